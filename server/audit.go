package server

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// audit records what the caller of c did in the audit trail. A failure to
// record is logged (without the event's content) and does not fail the
// request: the action itself has already happened.
func (s *Server) audit(c echo.Context, action training.AuditAction, targetKind, targetID, outcome, detail string) {
	actor := "anonymous"
	if u, ok := currentUser(c); ok {
		actor = u.Username
	}
	s.auditAs(c.Request().Context(), actor, requestIDOf(c), action, targetKind, targetID, outcome, detail)
}

// auditAs records an event for a named actor (a failed sign-in's
// username, or "cli" for commands forwarded from the muster command).
func (s *Server) auditAs(ctx context.Context, actor, requestID string, action training.AuditAction, targetKind, targetID, outcome, detail string) {
	if actor == "" {
		actor = "anonymous"
	}
	e := training.NewAuditEvent(s.now(), actor, action, targetKind, targetID, outcome, detail)
	e.RequestID = requestID
	// The request may be cancelled just after the action (client gone):
	// the record must be written all the same.
	if err := s.store.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("audit: event not recorded", "action", string(action), "request_id", requestID, "err", err)
	}
}

// auditImport records an upload or a confirmation with its counts (never
// the file's name, which may name a person).
func (s *Server) auditImport(ctx context.Context, by string, action training.AuditAction, rep *importers.Report, err error) {
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
	s.auditAs(ctx, by, "", action, training.TargetImport, id, outcome, detail)
}
