package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// mappingFrom reads the upload form's column choices: "map" fields of
// the form HEADER=FIELD (the API, the CLI's --map), and the preview
// page's per-column choices col_header_N / col_field_N (a blank field
// keeps what Muster detected).
func mappingFrom(c echo.Context) ([]training.MappingRule, error) {
	form, err := c.FormParams()
	if err != nil {
		return nil, training.Invalidf("the form could not be read")
	}
	var out []training.MappingRule
	lines := form["map"]
	for _, block := range form["map_lines"] { // the upload form's text box: one per line
		lines = append(lines, strings.Split(block, "\n")...)
	}
	for _, v := range lines {
		if strings.TrimSpace(v) == "" {
			continue
		}
		r, err := importers.ParseMappingRule(strings.TrimSpace(v))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	for i := 0; i < training.MaxMappingHeaders; i++ {
		h, ok := form["col_header_"+strconv.Itoa(i)]
		if !ok {
			break
		}
		f := form.Get("col_field_" + strconv.Itoa(i))
		if len(h) == 0 || h[0] == "" || f == "" {
			continue
		}
		out = append(out, training.MappingRule{Header: h[0], Field: f})
	}
	if len(out) > training.MaxMappingHeaders {
		return nil, training.Invalidf("a mapping has at most %d columns", training.MaxMappingHeaders)
	}
	return out, nil
}

// apiImportCreate imports an uploaded roster (multipart field "file");
// with dry_run=true it only previews, keeping the file for confirm.
func (s *apiHandler) apiImportCreate(c echo.Context) error {
	u, _ := currentUser(c)
	up, release, err := s.receiveUpload(c, u.Username)
	if err != nil {
		return err
	}
	defer release()
	defer up.close()
	opts, err := importOptionsFrom(c)
	if err != nil {
		return err
	}
	rep, err := s.runImport(c.Request().Context(), u.Username, up, opts)
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

// apiImports lists the import log, newest first (?limit, default 100).
func (s *apiHandler) apiImports(c echo.Context) error {
	_, limit, err := paging(c, 100)
	if err != nil {
		return err
	}
	recs, err := s.store.Imports(c.Request().Context(), limit)
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

// apiImport returns one import's full report (a logged import or a kept preview).
func (s *apiHandler) apiImport(c echo.Context) error {
	rep, err := s.importReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// apiImportErrors downloads an import's problems as a workbook.
func (s *apiHandler) apiImportErrors(c echo.Context) error {
	rep, err := s.importReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteErrorsXLSX(&buf); err != nil {
		return fmt.Errorf("error workbook: %w", err)
	}
	return sendFile(c, "import-errors-"+rep.ImportID, "xlsx", buf.Bytes())
}

// apiImportConfirm applies a kept dry run (?confirm=true answers the
// guards).
func (s *apiHandler) apiImportConfirm(c echo.Context) error {
	confirm, err := confirmField(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	rep, err := s.confirmImport(c.Request().Context(), u, c.Param("id"), confirm)
	if err != nil {
		return err
	}
	return c.JSON(importStatus(rep), rep)
}
