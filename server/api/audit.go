package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// AuditTrail searches the audit trail (admins): one page newest first as
// JSON, or with format=csv every matching event as a download.
func (s *Handler) AuditTrail(c echo.Context) error {
	q, err := web.AuditQueryFrom(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	switch f := strings.ToLower(c.QueryParam("format")); f {
	case "", "json":
		if q.Limit == 0 {
			q.Limit = 100
		}
		page, err := s.Store.Audit(ctx, q)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, page)
	case "csv":
		events, err := training.AuditAll(ctx, s.Store, q)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := export.AuditCSV(&buf, events); err != nil {
			return fmt.Errorf("audit export: %w", err)
		}
		s.Audit(c, training.AuditAuditSearched, "", "", training.AuditOK, fmt.Sprintf("csv rows=%d", len(events)))
		return web.SendFile(c, "audit-"+s.Today().String(), "csv", buf.Bytes())
	default:
		return training.Invalidf("format must be json or csv")
	}
}

// SubjectAccess exports everything held about one officer (admins), as
// JSON (default) or xlsx; the export itself is audited.
func (s *Handler) SubjectAccess(c echo.Context) error {
	format := strings.ToLower(c.QueryParam("format"))
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "xlsx" {
		return training.Invalidf("format must be json or xlsx")
	}
	return s.SendSubjectAccess(c, c.Param("id"), format)
}
