package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/training"
)

// auditQueryFrom reads the audit search parameters shared by the API and
// the page: actor, action, officer, from, to, limit, cursor.
func auditQueryFrom(c echo.Context) (training.AuditQuery, error) {
	q, err := training.AuditFilter{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"),
		Officer: c.QueryParam("officer"), From: c.QueryParam("from"), To: c.QueryParam("to")}.Query()
	if err != nil {
		return q, err
	}
	if v := c.QueryParam("limit"); v != "" {
		if q.Limit, err = strconv.Atoi(v); err != nil || q.Limit < 1 || q.Limit > training.MaxAuditPage {
			return q, training.Invalidf("limit must be a whole number from 1 to %d", training.MaxAuditPage)
		}
	}
	q.Cursor = c.QueryParam("cursor")
	return q, nil
}

// apiAudit searches the audit trail (admins): one page newest first as
// JSON, or with format=csv every matching event as a download.
func (s *Server) apiAudit(c echo.Context) error {
	q, err := auditQueryFrom(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	switch f := strings.ToLower(c.QueryParam("format")); f {
	case "", "json":
		if q.Limit == 0 {
			q.Limit = 100
		}
		page, err := s.store.Audit(ctx, q)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page)
	case "csv":
		events, err := training.AuditAll(ctx, s.store, q)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := export.AuditCSV(&buf, events); err != nil {
			return fmt.Errorf("audit export: %w", err)
		}
		s.audit(c, training.AuditAuditSearched, "", "", training.AuditOK, fmt.Sprintf("csv rows=%d", len(events)))
		return sendFile(c, "audit-"+s.today().String(), "csv", buf.Bytes())
	default:
		return training.Invalidf("format must be json or csv")
	}
}

// apiSubjectAccess exports everything held about one officer (admins), as
// JSON (default) or xlsx; the export itself is audited.
func (s *Server) apiSubjectAccess(c echo.Context) error {
	format := strings.ToLower(c.QueryParam("format"))
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "xlsx" {
		return training.Invalidf("format must be json or xlsx")
	}
	return s.sendSubjectAccess(c, c.Param("id"), format)
}

// sendSubjectAccess answers with a subject access file (API and page).
func (s *Server) sendSubjectAccess(c echo.Context, id, format string) error {
	sa, err := training.CollectSubjectAccess(c.Request().Context(), s.store, id, s.now())
	if err != nil {
		return err
	}
	var body []byte
	switch format {
	case "xlsx":
		var buf bytes.Buffer
		if err := export.SubjectAccessXLSX(&buf, sa); err != nil {
			return fmt.Errorf("subject access export: %w", err)
		}
		body = buf.Bytes()
	default:
		if body, err = json.MarshalIndent(sa, "", "  "); err != nil {
			return fmt.Errorf("subject access export: %w", err)
		}
	}
	s.audit(c, training.AuditSubjectAccess, training.TargetOfficer, sa.OfficerID, training.AuditOK, format)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", "subject-access-"+s.today().String()+"."+format))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	ctype := echo.MIMEApplicationJSON
	if format == "xlsx" {
		ctype = exportTypes["xlsx"]
	}
	return c.Blob(http.StatusOK, ctype, body)
}
