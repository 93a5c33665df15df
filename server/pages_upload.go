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

type uploadView struct {
	MaxMB int64
	// What was chosen, kept when the form comes back with a problem.
	Partial, Strict bool
	Sheet           string
}

func (p *webPages) pageUpload(c echo.Context) error {
	return p.renderForm(c, "upload", "Upload", nil, uploadView{MaxMB: p.cfg.MaxUploadBytes >> 20})
}

// pageUploadPost reads the file as a dry run and shows the preview; a file
// that cannot be read brings the form back with one clear message by the
// file field (the GOV.UK error pattern), never an empty report.
func (p *webPages) pageUploadPost(c echo.Context) error {
	view := uploadView{MaxMB: p.cfg.MaxUploadBytes >> 20, Partial: c.FormValue("full") == "0",
		Strict: c.FormValue("strict") == "1", Sheet: c.FormValue("sheet")}
	again := func(msg string) error {
		return p.renderForm(c, "upload", "Upload", formErrors{{Field: "file", Message: msg}}, view)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return again(fmt.Sprintf("The file is larger than %d MB. Split it, or ask an administrator to raise the limit.", view.MaxMB))
		}
		return again("Choose the roster or completion export to upload (an xlsx, xlsm or csv file).")
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
			return again(msg)
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
