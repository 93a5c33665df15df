package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

type uploadView struct{ MaxMB int64 }

func (p *webPages) pageUpload(c echo.Context) error {
	return p.render(c, http.StatusOK, "upload", "Upload", uploadView{MaxMB: p.cfg.MaxUploadBytes >> 20})
}

// pageUploadPost reads the file as a dry run and shows the preview.
func (p *webPages) pageUploadPost(c echo.Context) error {
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return p.redirectFlash(c, "/upload", "error", fmt.Sprintf("The file is larger than %d MB.", p.cfg.MaxUploadBytes>>20))
		}
		return p.redirectFlash(c, "/upload", "error", "Choose a file to upload.")
	}
	opts, err := importOptionsFrom(c)
	if err != nil {
		return err
	}
	opts.DryRun, opts.ConfirmLeavers = true, false
	u, _ := currentUser(c)
	rep, err := p.runImport(c.Request().Context(), u.Username, fh, opts)
	if err != nil {
		if msg, ok := userMessage(err); ok {
			if rep != nil && rep.ImportID != "" && rep.Outcome == training.OutcomeFailed {
				// Show what was detected and every problem, not just the sentence.
				p.addFlash(c, "error", msg)
				return p.renderReport(c, rep, false)
			}
			return p.redirectFlash(c, "/upload", "error", msg)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/upload/"+url.PathEscape(rep.ImportID))
}

type previewView struct {
	ID          string
	Report      *importers.Report
	Preview     bool
	CanConfirm  bool
	MessageKind string
	ErrorsXLSX  string
}

// renderReport shows an import report: a preview waiting for a decision,
// or an entry of the history.
func (p *webPages) renderReport(c echo.Context, rep *importers.Report, preview bool) error {
	v := &previewView{ID: rep.ImportID, Report: rep, Preview: preview,
		ErrorsXLSX: "/api/v1/imports/" + url.PathEscape(rep.ImportID) + "/errors.xlsx"}
	v.CanConfirm = rep.Outcome == training.OutcomeApplied || rep.Outcome == training.OutcomeRefused && rep.NeedsConfirmation
	switch {
	case rep.Outcome == training.OutcomeFailed:
		v.MessageKind = "error"
	case rep.NeedsConfirmation, rep.Outcome == training.OutcomeRefused:
		v.MessageKind = "warn"
	case rep.Outcome == training.OutcomeApplied && !preview:
		v.MessageKind = "ok"
	default:
		v.MessageKind = "info"
	}
	title := "Import of " + rep.FileName
	if preview {
		title = "Preview: " + rep.FileName
	}
	return p.render(c, http.StatusOK, "preview", title, v)
}

// pagePreview shows a kept dry run (or, once used, the logged import).
func (p *webPages) pagePreview(c echo.Context) error {
	id := c.Param("id")
	rep, err := p.keptPreview(c.Request().Context(), id)
	if errors.Is(err, training.ErrNotFound) {
		return c.Redirect(http.StatusSeeOther, "/imports/"+url.PathEscape(id))
	}
	if err != nil {
		return err
	}
	return p.renderReport(c, rep, true)
}

func (p *webPages) pagePreviewConfirm(c echo.Context) error {
	id := c.Param("id")
	u, _ := currentUser(c)
	rep, err := p.confirmImport(c.Request().Context(), u.Username, id, c.FormValue("confirm_leavers") == "1")
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/upload", "error", msg)
		}
		return err
	}
	switch rep.Outcome {
	case training.OutcomeApplied:
		p.log.Info("import applied from the web", "request_id", requestIDOf(c), "import_id", rep.ImportID)
		return p.redirectFlash(c, "/", "ok", rep.Message)
	case training.OutcomeRefused:
		return p.redirectFlash(c, "/upload/"+url.PathEscape(id), "warn", rep.Message)
	}
	return p.redirectFlash(c, "/imports", "info", rep.Message)
}

func (p *webPages) pagePreviewCancel(c echo.Context) error {
	if err := p.cancelImport(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return p.redirectFlash(c, "/upload", "info", "Cancelled: nothing was imported.")
}

type importsView struct{ Imports []training.ImportRecord }

// importsHistoryLimit bounds the upload history shown.
const importsHistoryLimit = 200

func (p *webPages) pageImports(c echo.Context) error {
	recs, err := p.store.Imports(c.Request().Context(), importsHistoryLimit)
	if err != nil {
		return err
	}
	for i := range recs {
		if len(recs[i].Report) > 0 {
			recs[i].Report = []byte{1} // only "has a report" is shown
		}
	}
	return p.render(c, http.StatusOK, "imports", "Upload history", importsView{Imports: recs})
}

func (p *webPages) pageImport(c echo.Context) error {
	rep, err := p.importReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return p.renderReport(c, rep, false)
}
