package ui

// The web pages' plumbing: embedded templates and assets, the renderer,
// the layout's view model (user, navigation by role, CSRF token, flash
// messages) and the template functions.

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// renderer renders one page template inside the layout. Every page is
// parsed once at start into its own set (layout + partials + page), so the
// pages' "content" blocks do not clash.
type renderer struct {
	pages map[string]*template.Template
}

func newRenderer() (*renderer, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("server: parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, fmt.Errorf("server: parse %s: %w", n, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render implements echo.Renderer: name is the page ("dashboard"), data a *pageView.
func (r *renderer) Render(w io.Writer, name string, data any, _ echo.Context) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("server: no page template %q", name)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

// content renders only page name's "content" block (to cache it).
func (r *renderer) content(name string, v *pageView) (template.HTML, error) {
	t, ok := r.pages[name]
	if !ok {
		return "", fmt.Errorf("server: no page template %q", name)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "content", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // html/template escaped it
}

// pageView is what the layout needs; Data is the page's own view model.
type pageView struct {
	// Content, when set, is the page's body rendered earlier (cached).
	Content template.HTML
	Title   string
	User    *training.User
	CSRF    string
	Nav     []navLink
	Flashes []flash
	// Errors are the form's problems: the layout shows the error summary
	// and prefixes the title with "Error: ".
	Errors formErrors
	Data   any
}

type navLink struct {
	Href, Label string
	Current     bool
}

// navFor lists the pages a role may open, in menu order.
func navFor(u *training.User, current string) []navLink {
	if u == nil {
		return nil
	}
	var links []navLink
	if u.Role.SeesFigures() {
		links = append(links, navLink{Href: "/", Label: "Dashboard"}, navLink{Href: "/officers", Label: "Officers"}, navLink{Href: "/matrix", Label: "Matrix"})
	}
	if u.Role.RecordsRegisters() {
		links = append(links, navLink{Href: "/registers", Label: "Registers"})
	}
	if u.Role.SeesWholeForce() {
		links = append(links, navLink{Href: "/upload", Label: "Upload"}, navLink{Href: "/imports", Label: "Imports"}, navLink{Href: "/courses", Label: "Courses"})
	}
	if u.Role == training.RoleAdmin {
		links = append(links, navLink{Href: "/accounts", Label: "Accounts"}, navLink{Href: "/jobs", Label: "Jobs"}, navLink{Href: "/audit", Label: "Audit"})
	}
	links = append(links, navLink{Href: "/help", Label: "Help"})
	for i := range links {
		links[i].Current = links[i].Href == current
	}
	return links
}

// render writes a full page: the layout around template name.
func (s *Pages) render(c echo.Context, status int, name, title string, data any) error {
	return s.renderView(c, status, name, &pageView{Title: title, Data: data})
}

// renderForm writes a page whose form has problems (errs, may be empty):
// 422 with the error summary when there are any.
func (s *Pages) renderForm(c echo.Context, name, title string, errs formErrors, data any) error {
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderView(c, status, name, &pageView{Title: errorTitle(errs, title), Errors: errs, Data: data})
}

// renderBody writes the layout around a body rendered earlier.
func (s *Pages) renderBody(c echo.Context, status int, title string, body template.HTML) error {
	return s.renderView(c, status, "error", &pageView{Title: title, Content: body})
}

func (s *Pages) renderView(c echo.Context, status int, name string, v *pageView) error {
	var u *training.User
	if cu, ok := web.CurrentUser(c); ok {
		u = &cu
	}
	v.User, v.CSRF, v.Flashes = u, web.CSRFToken(c), shownFlashes(s.takeFlashes(c))
	v.Nav = navFor(u, navCurrent(c.Request().URL.Path))
	if u != nil {
		v.Nav = withRequests(v.Nav, *u, s.openRequestCount(c.Request().Context(), *u), navCurrent(c.Request().URL.Path))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Render(status, name, v)
}

// navCurrent maps a request path to the nav entry it belongs to.
func navCurrent(p string) string {
	for _, pre := range []string{"/officers", "/requests", "/matrix", "/registers", "/upload", "/imports", "/courses", "/accounts", "/jobs", "/help"} {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return pre
		}
	}
	if p == "/" {
		return "/"
	}
	return ""
}

// RenderPageError is the HTML error page (installed as s.pageError).
func (s *Pages) RenderPageError(c echo.Context, status int, _ string, message string) error {
	title := http.StatusText(status)
	if status == http.StatusForbidden {
		title = "Not allowed"
		if message == "" {
			message = "You do not have access to this page."
		}
	}
	if status == http.StatusNotFound {
		title = "Page not found"
	}
	_, signedIn := web.CurrentUser(c)
	return s.render(c, status, "error", title, struct {
		Message  string
		SignedIn bool
	}{message, signedIn})
}

var funcs = template.FuncMap{
	"pct": func(p *training.Percent) string {
		if p == nil {
			return "—"
		}
		return p.String()
	},
	"barWidth": func(p *training.Percent) string {
		if p == nil {
			return "0"
		}
		return p.String()
	},
	"statusLabel": statusLabel,
	"describe":    training.Describe,
	"count":       formatCount,
	"minus":       func(a, b int) int { return a - b },
	"lastPart": func(u string) string {
		parts := training.SplitUnit(u)
		if len(parts) == 0 {
			return "Whole force"
		}
		return parts[len(parts)-1]
	},
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(training.London).Format("02/01/2006 15:04")
	},
	"sourceText": sourceText,
	"fieldLabel": fieldLabel,
	"chosen":     chosenField,
	"shortHash": func(h string) string {
		if len(h) > 12 {
			return h[:12] + "…"
		}
		return h
	},
	"outcomeClass": func(o training.ImportOutcome) string {
		switch o {
		case training.OutcomeApplied:
			return "compliant"
		case training.OutcomeFailed:
			return "overdue"
		case training.OutcomeRefused:
			return "due_soon"
		}
		return "exempt"
	},
	// capped says a list shows only the first n of total entries.
	// errFor is a form field's error message ("" when it has none).
	"errFor":  func(errs formErrors, field string) string { return errs.For(field) },
	"invalid": invalidAttrs,
	// fe is the "field-error" template's argument: {{template "field-error" (fe $.Errors "id")}}.
	// meRow is the "me-request-forms" template's argument: the page and one course.
	"meRow": func(v *officerView, r officerRow) struct {
		V *officerView
		R officerRow
	} {
		return struct {
			V *officerView
			R officerRow
		}{v, r}
	},
	"fe": func(errs formErrors, field string) struct{ Field, Msg string } {
		return struct{ Field, Msg string }{field, errs.For(field)}
	},
	// unitPicker is the "unit-picker" template's argument for the account
	// form of user ("" = the new-user form).
	"unitPicker": func(errs formErrors, user string, units []string, typed string) map[string]any {
		prefix, suffix := "", ""
		if user == "" {
			prefix = "new-"
		} else {
			suffix = "-" + user
		}
		return map[string]any{"Errors": errs, "Units": units, "Prefix": prefix, "Suffix": suffix,
			"Field": prefix + "add_unit" + suffix, "Typed": typed}
	},
	// courseFields is the "course-fields" template's argument: suffix "-ID"
	// for a course's form, or "new" for the new course (ids "new-title").
	"courseFields": func(errs formErrors, v *coursesView, suffix string, c training.Course) courseFieldsView {
		return courseFieldsView{Errors: errs, View: v, C: c, suffix: suffix}
	},
	// courseOpen says whether the editor of course id ("" for the new
	// course) starts open: when the page shows its errors or its change
	// preview. The others start closed, so that the page lists the courses
	// instead of every field of every course.
	"courseOpen": func(errs formErrors, v *coursesView, id string) bool {
		if p := v.Preview; p != nil && ((id == "" && p.Old == nil) || (id != "" && p.Old != nil && p.Course.ID == id)) {
			return true
		}
		for _, e := range errs {
			if (id == "" && strings.HasPrefix(e.Field, "new-")) || (id != "" && strings.HasSuffix(e.Field, "-"+id)) {
				return true
			}
		}
		return false
	},
	// audienceFor is the "audience" template's argument for the form of
	// course id ("" for the new course), with the page's errors.
	"audienceFor": func(errs formErrors, v *coursesView, id string) map[string]any {
		field := "audience-" + id
		if id == "" {
			field = "new-audience"
		}
		return map[string]any{"Errors": errs, "Ed": v.Audiences[id], "Field": field}
	},
	// previewFor is the change preview shown in the form of course id,
	// with the field ids of its confirmation box.
	"previewFor": func(errs formErrors, v *coursesView, id string, create bool) map[string]any {
		if v.Preview == nil || v.Preview.Course.ID != id || (v.Preview.Old == nil) != create {
			return nil
		}
		field := "confirm-" + id
		if create {
			field = "new-confirm"
		}
		return map[string]any{"Errors": errs, "C": v.Preview, "Field": field, "Sentence": changePreviewWords(*v.Preview)}
	},
	"peopleCount": peopleCount,
	// band is the red/amber/green of a percentage, by the xlsx's thresholds.
	"band": func(p *training.Percent) string {
		switch {
		case p == nil:
			return "none"
		case p.Float() >= export.GreenFrom:
			return "green"
		case p.Float() >= export.AmberFrom:
			return "amber"
		}
		return "red"
	},
	"target":    func() float64 { return export.GreenFrom },
	"hrMessage": hrMessage,
	// courseTitle is the title of course id among courses.
	"courseTitle": func(courses []training.Course, id string) string {
		for _, c := range courses {
			if c.ID == id {
				return c.Title
			}
		}
		return id
	},
	"layoutText": importers.Layout.Text,
	"capped": func(n, total int) string {
		if total > n {
			return fmt.Sprintf("Showing the first %d of %d.", n, total)
		}
		return ""
	},
}

// statusLabel is a status in words: training's one wording.
func statusLabel(s training.Status) string { return training.StatusLabel(s) }

// sourceText says where a record came from, in words.
func sourceText(src training.Source) string {
	switch {
	case training.FromRegister(src):
		return "Register, " + src.File + " (" + src.By + ")"
	case src.File != "" && src.Row > 0:
		return fmt.Sprintf("%s, row %d", src.File, src.Row)
	case src.File != "":
		return src.File
	case src.By != "":
		return "API (" + src.By + ")"
	}
	return "—"
}

// StaticHandler serves the embedded assets with a long cache lifetime.
func StaticHandler() echo.HandlerFunc {
	sub, _ := fs.Sub(staticFS, "static")
	h := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return func(c echo.Context) error {
		if strings.HasSuffix(c.Request().URL.Path, "/") {
			return echo.ErrNotFound // no directory listings
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// chosenField reports whether the person chose field for the column with
// this header (the preview's pick lists keep their choice).
func chosenField(rules []training.MappingRule, header, field string) bool {
	for _, r := range rules {
		if r.Header == header {
			return r.Field == field
		}
	}
	return false
}

// fieldLabel says what a column was read as, in the words of the
// preview's pick lists (importers.FieldChoices).
func fieldLabel(f importers.Field) string {
	switch f {
	case "":
		return "(ignored)"
	case importers.FieldCourseColumn:
		return "completion date of a course"
	}
	for _, c := range importers.FieldChoices() {
		if c.Field == f {
			return c.Label
		}
	}
	return strings.ReplaceAll(string(f), "_", " ")
}

// courseFieldsView is one course form's fields.
type courseFieldsView struct {
	Errors formErrors
	View   *coursesView
	C      training.Course
	suffix string
}

// F is the id of field name in this form.
func (v courseFieldsView) F(name string) string {
	if v.suffix == "new" {
		return "new-" + name
	}
	return name + v.suffix
}

// hrMessage puts an import report's message in HR's words for the page
// (the CLI's wording speaks of dry runs).
func hrMessage(m string) string {
	if rest, ok := strings.CutPrefix(m, "Dry run of "); ok {
		if file, what, ok := strings.Cut(rest, ", nothing was written: importing it would record "); ok {
			return "If you confirm, importing " + file + " will record " + what
		}
	}
	// A guard's refusal, shown on the preview where nothing has been
	// imported yet: say what to do on this page.
	if i := strings.Index(m, " Nothing was imported; check the examples, and if the file is right, confirm and import it again."); i >= 0 {
		return m[:i] + " Check the examples below; if the file is right, tick the box and confirm."
	}
	return m
}
