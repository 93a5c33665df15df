package ui

// Officers' requests in the pages: the forms on an officer's own page
// (/me/:token: More time, Done elsewhere), and the Requests page where
// those who may decide approve or decline. Every step is
// internal/requests; these handlers only read forms and answer.

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// meRequestRow is one of an officer's requests on their page.
type meRequestRow struct {
	Course, What, Words string
	Open                bool
}

// meRequestParts adds the request forms and the officer's requests to
// their page.
func (p *Pages) meRequestParts(c echo.Context, view *officerView, token string) error {
	mine, err := p.Requests.Mine(c.Request().Context(), view.Officer.ID)
	if err != nil {
		return err
	}
	now := p.Now()
	open := map[string]training.Request{}
	title := map[string]string{}
	for _, r := range view.Rows {
		title[r.Course.ID] = r.Course.Title
	}
	for _, r := range mine {
		if r.OpenAt(now) {
			open[r.CourseID] = r
		}
		view.Requests = append(view.Requests, meRequestRow{Course: orStr(title[r.CourseID], r.CourseID), What: r.What(),
			Words: r.StateWords(now), Open: r.OpenAt(now)})
	}
	view.Token, view.CSRF = token, web.CSRFToken(c)
	for i := range view.Rows {
		row := &view.Rows[i]
		if r, ok := open[row.Course.ID]; ok {
			row.OpenRequest = r.What() + " — " + r.StateWords(now)
			continue
		}
		switch row.Status.Status {
		case training.StatusOverdue, training.StatusDueSoon, training.StatusOutstanding:
			row.CanExtend = true
			base := training.ExtensionBase(row.Status.Due, now)
			row.MaxUntil = training.MaxExtension(row.Course, base)
			row.MinUntil = base.AddDays(1)
			row.CanClaim = true
		}
	}
	return nil
}

// MeRequest receives a request from an officer's own page. The link
// is the officer's credential: a bad, expired, revoked or leaver's link
// is refused like the page itself.
func (p *Pages) MeRequest(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	c.Response().Header().Set("Referrer-Policy", "same-origin") // as pageMe
	rec, err := p.OfficerForLink(ctx, token)
	if err != nil {
		return err
	}
	cert, certErr := web.ReadCertificate(c)
	if errors.Is(certErr, web.ErrTooLarge) {
		return certErr
	}
	kind := c.FormValue("kind")
	courseID := c.FormValue("course")
	by := requests.Actor{RequestID: web.RequestIDOf(c)}
	var reqErr error
	switch {
	case certErr != nil:
		reqErr = training.FieldErrorf(training.KindInvalid, "certificate", "%s", training.MessageOf(certErr))
	case kind == string(training.RequestExtension):
		until, derr := formDate(c.FormValue("until"), "until")
		if derr != nil {
			reqErr = derr
			break
		}
		_, reqErr = p.Requests.AskMoreTime(ctx, rec.Officer.ID, training.ExtensionAsk{CourseID: courseID, Until: until, Reason: c.FormValue("reason")}, by)
	case kind == string(training.RequestClaim):
		done, derr := formDate(c.FormValue("done"), "done")
		if derr != nil {
			reqErr = derr
			break
		}
		_, reqErr = p.Requests.ClaimDone(ctx, rec.Officer.ID, training.ClaimAsk{CourseID: courseID, Done: done, Where: c.FormValue("where"), Certificate: cert}, by)
	default:
		return training.Invalidf("choose what to ask for")
	}
	if reqErr == nil {
		return p.redirectFlash(c, "/me/"+url.PathEscape(token)+"#your-requests", "ok", "Your request was sent. You will get an email when it is decided.")
	}
	// The page again, with the form open and the problem by its field.
	var errs formErrors
	field := training.FieldOf(reqErr)
	if field == "" {
		field = "course"
	}
	if !errs.addErr(field+"-"+kind+"-"+courseID, reqErr) {
		return reqErr
	}
	st, courses, err := p.OfficerStatusForLink(ctx, token)
	if err != nil {
		return err
	}
	view := officerPage(st, courses, p.Today())
	view.Public = true
	if err := p.meRequestParts(c, view, token); err != nil {
		return err
	}
	view.Errors, view.OpenForm = errs, kind+"-"+courseID
	view.Typed = map[string]string{"until": c.FormValue("until"), "reason": c.FormValue("reason"), "done": c.FormValue("done"), "where": c.FormValue("where")}
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	return p.renderForm(c, "officer", "Your training", errs, view)
}

// formDate reads a date input (YYYY-MM-DD from a date picker, or DD/MM/YYYY typed).
func formDate(s, field string) (training.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return training.Date{}, nil // the domain says what is missing
	}
	if d, err := training.ParseDate(s); err == nil {
		return d, nil
	}
	if t, err := time.Parse("2/1/2006", s); err == nil {
		return training.NewDate(t.Year(), t.Month(), t.Day()), nil
	}
	return training.Date{}, training.FieldErrorf(training.KindInvalid, field, "%q is not a date; use DD/MM/YYYY", s)
}

// requestsView is the Requests page.
type requestsView struct {
	Items []requests.Item
	All   bool // showing decided and lapsed ones too
	Open  int
}

// ListRequests lists the requests the viewer may decide (HR and admins: all).
func (p *Pages) ListRequests(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	all := c.QueryParam("show") == "all"
	items, err := p.Requests.List(c.Request().Context(), u, !all)
	if err != nil {
		return err
	}
	view := &requestsView{Items: items, All: all}
	for _, it := range items {
		if it.MayDecide {
			view.Open++
		}
	}
	return p.render(c, http.StatusOK, "requests", "Requests", view)
}

// RequestDecide approves or declines a request.
func (p *Pages) RequestDecide(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	approve := c.FormValue("decision") == "approve"
	if !approve && c.FormValue("decision") != "decline" {
		return training.Invalidf("choose approve or decline")
	}
	id := c.Param("id")
	r, err := p.Requests.Decide(c.Request().Context(), u, id, requests.Decision{Approve: approve, Reason: c.FormValue("reason")}, web.RequestsActor(c))
	if err != nil {
		if msg, ok := userMessage(err); ok && !errors.Is(err, training.ErrNotFound) && !errors.Is(err, training.ErrForbidden) {
			return p.redirectFlash(c, "/requests#request-"+url.PathEscape(id), "error", msg)
		}
		return err
	}
	return p.redirectFlash(c, "/requests", "ok", "Request "+string(r.State)+": the officer will get an email.")
}

// RequestCertificate downloads a request's certificate (those who may decide it only).
func (p *Pages) RequestCertificate(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	cert, err := p.Requests.Certificate(c.Request().Context(), u, c.Param("id"), web.RequestsActor(c))
	if err != nil {
		return err
	}
	return web.CertificateDownload(c, cert)
}
