package ui

// Form errors in the GOV.UK Design System's pattern
// (design-system.service.gov.uk/components/error-summary/ and
// /components/error-message/): an error summary at the top of the page
// headed "There is a problem", each entry linking to its field; the same
// message next to the field, prefixed by a visually hidden "Error:"; the
// page title prefixed by "Error: "; and everything typed kept. The layout
// renders the summary and the title from pageView.Errors; templates use
// the "field-error" and "invalid" helpers.

import (
	"html/template"
	"strings"

	"github.com/labstack/echo/v4"
)

// fieldError is one problem with one form field; Field is the input's id
// (the summary links to "#"+Field).
type fieldError struct {
	Field, Message string
}

// formErrors are a form's problems, in the order of the fields.
type formErrors []fieldError

// add records a problem with field (the first one per field is kept).
func (f *formErrors) add(field, msg string) {
	if f.For(field) == "" {
		*f = append(*f, fieldError{Field: field, Message: msg})
	}
}

// For is the message for field, or "".
func (f formErrors) For(field string) string {
	for _, e := range f {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// addErr records err under field. It returns false for an error a user
// cannot fix (to be returned as is). Pages choose field from the error's
// own (training.FieldOf), mapping the domain's names to their inputs.
func (f *formErrors) addErr(field string, err error) bool {
	msg, ok := userMessage(err)
	if !ok {
		return false
	}
	f.add(field, msg)
	return true
}

// fieldErrorHTML is the message shown by a field (the "field-error" template
// does the same; this one is for attributes computed in Go).
func invalidAttrs(errs formErrors, field string) template.HTMLAttr {
	if errs.For(field) == "" {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + template.HTMLEscapeString(field) + `-error"`)
}

// errorTitle prefixes a page title with "Error: " when the form has problems.
func errorTitle(errs formErrors, title string) string {
	if len(errs) > 0 && !strings.HasPrefix(title, "Error: ") {
		return "Error: " + title
	}
	return title
}

// keptPrefix marks a flash that carries a typed value across a redirect.
const keptPrefix = "keep:"

// keep carries the value typed in field to the next page (post/redirect/get).
func (p *Pages) keep(c echo.Context, field, value string) {
	if value != "" {
		p.addFlash(c, keptPrefix+field, value)
	}
}

// kept is the value carried by keep for field ("" when none).
func (p *Pages) kept(c echo.Context, field string) string {
	for _, f := range p.readFlashes(c) {
		if f.Kind == keptPrefix+field {
			return f.Text
		}
	}
	return ""
}

// shownFlashes drops the carried values from the notices a page shows.
func shownFlashes(list []flash) []flash {
	out := list[:0:0]
	for _, f := range list {
		if !strings.HasPrefix(f.Kind, keptPrefix) {
			out = append(out, f)
		}
	}
	return out
}
