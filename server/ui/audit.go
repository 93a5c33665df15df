package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// auditView is the audit page: the search as typed, one page of events,
// and links to the next page and to the csv of the whole search.
type auditView struct {
	Actor, Action, Officer, From, To string
	Actions                          []training.AuditAction
	Events                           []training.AuditEvent
	Next, CSV, First                 string
	Error                            string
}

// AuditTrail searches the audit trail (admins), 50 events a page.
func (p *Pages) AuditTrail(c echo.Context) error {
	v := auditView{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), Officer: c.QueryParam("officer"),
		From: c.QueryParam("from"), To: c.QueryParam("to"), Actions: training.AuditActions}
	search := url.Values{}
	for k, val := range map[string]string{"actor": v.Actor, "action": v.Action, "officer": v.Officer, "from": v.From, "to": v.To} {
		if strings.TrimSpace(val) != "" {
			search.Set(k, val)
		}
	}
	q, err := web.AuditQueryFrom(c)
	if err != nil {
		if !errors.Is(err, training.ErrInvalid) {
			return err
		}
		msg, _ := userMessage(err)
		v.Error = msg
		field := "from"
		switch {
		case strings.HasPrefix(msg, "action"):
			field = "action"
		case strings.HasPrefix(msg, "to "):
			field = "to"
		}
		var errs formErrors
		errs.add(field, msg)
		return p.renderForm(c, "audit", "Audit trail", errs, v)
	}
	q.Limit = 50
	page, err := p.Store.Audit(c.Request().Context(), q)
	if err != nil {
		return err
	}
	v.Events = page.Events
	if page.Next != "" {
		next := url.Values{}
		for k, vals := range search {
			next[k] = vals
		}
		next.Set("cursor", page.Next)
		v.Next = "/audit?" + next.Encode()
	}
	if q.Cursor != "" {
		v.First = "/audit?" + search.Encode()
	}
	search.Set("format", "csv")
	v.CSV = "/api/v1/audit?" + search.Encode()
	return p.render(c, http.StatusOK, "audit", "Audit trail", v)
}

// SubjectAccess downloads a subject access export (the officer page's
// button for admins).
func (p *Pages) SubjectAccess(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "json" {
		format = "xlsx"
	}
	return p.SendSubjectAccess(c, c.Param("id"), format)
}
