package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// ImportCreate imports an uploaded roster (multipart field "file");
// with dry_run=true it only previews, keeping the file for confirm.
func (s *Handler) ImportCreate(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	up, release, err := s.ReceiveUpload(c, u.Username)
	if err != nil {
		return err
	}
	defer release()
	defer up.Close()
	opts, err := web.ImportOptionsFrom(c)
	if err != nil {
		return err
	}
	rep, err := s.RunImport(c.Request().Context(), u.Username, up, opts)
	if err != nil {
		return err
	}
	return c.JSON(importStatus(rep), rep)
}

// importStatus is 201 when an import changed the roster, else 200.
func importStatus(rep *importers.Report) int {
	if rep.Outcome == training.OutcomeApplied && !rep.DryRun {
		return http.StatusCreated
	}
	return http.StatusOK
}

// importListItem is one import log entry without its stored report.
type importListItem struct {
	training.ImportRecord
	Report json.RawMessage `json:"report,omitempty"`
}

// Imports lists the import log, newest first (?limit, default 100).
func (s *Handler) Imports(c echo.Context) error {
	_, limit, err := paging(c, 100)
	if err != nil {
		return err
	}
	recs, err := s.Store.Imports(c.Request().Context(), limit)
	if err != nil {
		return err
	}
	out := make([]importListItem, len(recs))
	for i, r := range recs {
		r.Report = nil
		out[i] = importListItem{ImportRecord: r}
	}
	return c.JSON(http.StatusOK, out)
}

// Import returns one import's full report (a logged import or a kept preview).
func (s *Handler) Import(c echo.Context) error {
	rep, err := s.ImportReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// ImportErrors downloads an import's problems as a workbook.
func (s *Handler) ImportErrors(c echo.Context) error {
	rep, err := s.ImportReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteErrorsXLSX(&buf); err != nil {
		return fmt.Errorf("error workbook: %w", err)
	}
	return web.SendFile(c, "import-errors-"+rep.ImportID, "xlsx", buf.Bytes())
}

// ImportConfirm applies a kept dry run (?confirm=true answers the
// guards).
func (s *Handler) ImportConfirm(c echo.Context) error {
	confirm, err := web.ConfirmField(c)
	if err != nil {
		return err
	}
	u, _ := web.CurrentUser(c)
	rep, err := s.ConfirmImport(c.Request().Context(), u, c.Param("id"), confirm)
	if err != nil {
		return err
	}
	return c.JSON(importStatus(rep), rep)
}
