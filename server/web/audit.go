package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/training"
)

// Audit records what the caller of c did in the audit trail. A failure to
// record is logged (without the event's content) and does not fail the
// request: the action itself has already happened.
func (s *Core) Audit(c echo.Context, action training.AuditAction, targetKind, targetID, outcome, detail string) {
	actor := "anonymous"
	if u, ok := CurrentUser(c); ok {
		actor = u.Username
	}
	s.AuditAs(c.Request().Context(), actor, RequestIDOf(c), action, targetKind, targetID, outcome, detail)
}

// AuditAs records an event for a named actor (a failed sign-in's
// username, or "cli" for commands forwarded from the muster command).
func (s *Core) AuditAs(ctx context.Context, actor, requestID string, action training.AuditAction, targetKind, targetID, outcome, detail string) {
	if actor == "" {
		actor = "anonymous"
	}
	e := training.NewAuditEvent(s.Now(), actor, action, targetKind, targetID, outcome, detail)
	e.RequestID = requestID
	// The request may be cancelled just after the action (client gone):
	// the record must be written all the same.
	if err := s.Store.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		s.Log.Error("audit: event not recorded", "action", string(action), "request_id", requestID, "err", err)
	}
}

// auditImport records an upload or a confirmation with its counts (never
// the file's name, which may name a person).
func (s *Core) auditImport(ctx context.Context, by string, action training.AuditAction, rep *importers.Report, err error) {
	outcome, id, detail := training.AuditOK, "", ""
	if rep != nil {
		id = rep.ImportID
		m := rep.Summary
		detail = fmt.Sprintf("%s dry_run=%t added=%d updated=%d leavers=%d completions=%d exemptions=%d rows_rejected=%d",
			rep.Outcome, rep.DryRun, m.Added, m.Updated, m.Leavers, m.Completions, m.Exemptions, m.RowsRejected)
		if rep.Outcome == training.OutcomeRefused || rep.Outcome == training.OutcomeFailed {
			outcome = training.AuditFailed
		}
	}
	if err != nil {
		outcome = training.AuditFailed
	}
	s.AuditAs(ctx, by, "", action, training.TargetImport, id, outcome, detail)
}

// AuditQueryFrom reads the audit search parameters shared by the API and
// the page: actor, action, officer, from, to, limit, cursor.
func AuditQueryFrom(c echo.Context) (training.AuditQuery, error) {
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

// SendSubjectAccess answers with a subject access file (API and page).
func (s *Core) SendSubjectAccess(c echo.Context, id, format string) error {
	sa, err := training.CollectSubjectAccess(c.Request().Context(), s.Store, id, s.Now())
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
	s.Audit(c, training.AuditSubjectAccess, training.TargetOfficer, sa.OfficerID, training.AuditOK, format)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", "subject-access-"+s.Today().String()+"."+format))
	c.Response().Header().Set("Cache-Control", "private, no-store")
	ctype := echo.MIMEApplicationJSON
	if format == "xlsx" {
		ctype = ExportTypes["xlsx"]
	}
	return c.Blob(http.StatusOK, ctype, body)
}
