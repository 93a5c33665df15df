package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

type uploadView struct {
	MaxMB int64
	// What was chosen, kept when the form comes back with a problem.
	Partial, Strict bool
	Sheet           string
	Course          string
	MapLines        string
	SaveMapping     string
	// Courses and Mappings fill the course list and name the saved mappings.
	Courses  []training.Course
	Mappings []training.ColumnMapping
}

func (p *Pages) Upload(c echo.Context) error {
	view := uploadView{MaxMB: p.Cfg.MaxUploadBytes >> 20}
	if err := p.fillUploadLists(c, &view); err != nil {
		return err
	}
	return p.renderForm(c, "upload", "Upload", nil, view)
}

// fillUploadLists adds the courses and saved mappings to the upload form.
func (p *Pages) fillUploadLists(c echo.Context, v *uploadView) error {
	ctx := c.Request().Context()
	var err error
	if v.Courses, err = p.Store.Courses(ctx); err != nil {
		return err
	}
	v.Mappings, err = p.Store.Mappings(ctx)
	return err
}

// UploadPost reads the file as a dry run and shows the preview; a file
// that cannot be read brings the form back with one clear message by the
// file field (the GOV.UK error pattern), never an empty report.
func (p *Pages) UploadPost(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	up, release, upErr := p.ReceiveUpload(c, u.Username)
	if upErr == nil {
		defer release()
		defer up.Close()
	}
	view := uploadView{MaxMB: p.Cfg.MaxUploadBytes >> 20}
	if upErr == nil { // else the body may be unread: the fields are not looked at
		view.Partial, view.Strict, view.Sheet = c.FormValue("full") == "0", c.FormValue("strict") == "1", c.FormValue("sheet")
		view.Course, view.MapLines, view.SaveMapping = c.FormValue("course"), c.FormValue("map_lines"), c.FormValue("save_mapping")
	}
	if err := p.fillUploadLists(c, &view); err != nil {
		return err
	}
	again := func(msg string) error {
		return p.renderForm(c, "upload", "Upload", formErrors{{Field: "file", Message: msg}}, view)
	}
	switch {
	case errors.Is(upErr, web.ErrTooLarge):
		return again(fmt.Sprintf("The file is larger than %d MB. Split it, or ask an administrator to raise the limit.", view.MaxMB))
	case errors.Is(upErr, web.ErrNoFilePart):
		return again("Choose the roster or completion export to upload (an xlsx, xlsm or csv file).")
	case upErr != nil:
		if msg, ok := userMessage(upErr); ok && !errors.Is(upErr, training.ErrForbidden) {
			return again(msg)
		}
		return upErr
	}
	opts, err := web.ImportOptionsFrom(c)
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.renderForm(c, "upload", "Upload", formErrors{{Field: "map_lines", Message: "The column mapping cannot be used: " + msg}}, view)
		}
		return err
	}
	opts.DryRun, opts.Confirmed, opts.KeepFailed = true, false, true
	rep, err := p.RunImport(c.Request().Context(), u.Username, up, opts)
	if err != nil {
		if p.keptAttempt(c, rep) {
			// Unrecognised headers: the file is kept, and its page offers
			// a pick list for every column; it is never chosen again.
			return c.Redirect(http.StatusSeeOther, "/upload/"+url.PathEscape(rep.ImportID))
		}
		var errs formErrors
		if errs.addErr(uploadField(training.FieldOf(err)), err) {
			return p.renderForm(c, "upload", "Upload", errs, view)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/upload/"+url.PathEscape(rep.ImportID))
}

type previewView struct {
	ID         string
	Report     *importers.Report
	Preview    bool
	CanConfirm bool
	// Mine: the viewer uploaded this preview and may decide it (Remap:
	// change its columns); CanCancel: an admin may cancel someone else's
	// (training.CheckPreviewDecision).
	Mine, Remap, CanCancel bool
	MessageKind            string
	ErrorsXLSX             string
	// Choices are what a column can be read as (the column list's pick
	// lists); Courses, the courses a one-course file can be for.
	Choices []columnChoice
	Courses []training.Course
	// Failed is a reading that failed: the page shows the problem in the
	// error summary and the columns to choose, and nothing to confirm.
	Failed bool
}

// columnChoice is one entry of a column's pick list.
type columnChoice struct{ Value, Label string }

// renderReport shows an import report: a preview waiting for a decision,
// or an entry of the history.
func (p *Pages) renderReport(c echo.Context, rep *importers.Report, preview bool) error {
	v := &previewView{ID: rep.ImportID, Report: rep, Preview: preview,
		ErrorsXLSX: "/api/v1/imports/" + url.PathEscape(rep.ImportID) + "/errors.xlsx"}
	v.CanConfirm = rep.Outcome == training.OutcomeApplied || rep.Outcome == training.OutcomeRefused && rep.NeedsConfirmation
	v.Failed = rep.Outcome == training.OutcomeFailed
	if preview {
		// Whose it is, from the kept upload (a failed reading's report
		// may not say).
		by := rep.By
		if up, err := p.Store.Preview(c.Request().Context(), rep.ImportID, p.Now()); err == nil {
			by = up.By
		}
		u, _ := web.CurrentUser(c)
		v.Mine = training.CheckPreviewDecision(u, by, false) == nil
		v.Remap, v.CanCancel = v.Mine, training.CheckPreviewDecision(u, by, true) == nil
		v.CanConfirm = v.CanConfirm && v.Mine
		cs, err := p.Store.Courses(c.Request().Context())
		if err != nil {
			return err
		}
		v.Courses = cs
		for _, f := range importers.FieldChoices() {
			v.Choices = append(v.Choices, columnChoice{string(f.Field), f.Label})
		}
		for _, course := range cs {
			v.Choices = append(v.Choices, columnChoice{"course:" + course.ID, importers.CourseChoicePrefix + course.Title})
		}
	}
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

// Preview shows a kept dry run (or, once used, the logged import).
func (p *Pages) Preview(c echo.Context) error {
	id := c.Param("id")
	rep, err := p.KeptPreview(c.Request().Context(), id)
	if errors.Is(err, training.ErrNotFound) {
		return c.Redirect(http.StatusSeeOther, "/imports/"+url.PathEscape(id))
	}
	if err != nil {
		return err
	}
	return p.renderReport(c, rep, true)
}

func (p *Pages) PreviewConfirm(c echo.Context) error {
	id := c.Param("id")
	u, _ := web.CurrentUser(c)
	rep, err := p.ConfirmImport(c.Request().Context(), u, id, c.FormValue("confirm_leavers") == "1" || c.FormValue("confirm") == "1")
	if err != nil {
		if msg, ok := userMessage(err); ok && !errors.Is(err, training.ErrForbidden) {
			return p.redirectFlash(c, "/upload", "error", msg)
		}
		return err
	}
	switch rep.Outcome {
	case training.OutcomeApplied:
		p.Log.Info("import applied from the web", "request_id", web.RequestIDOf(c), "import_id", rep.ImportID)
		return p.redirectFlash(c, "/", "ok", rep.Message)
	case training.OutcomeRefused:
		return p.redirectFlash(c, "/upload/"+url.PathEscape(id), "warn", rep.Message)
	}
	return p.redirectFlash(c, "/imports", "info", rep.Message)
}

// PreviewRemap reads the previewed file again with the column
// choices made on the preview page, and shows the new preview.
func (p *Pages) PreviewRemap(c echo.Context) error {
	id := c.Param("id")
	opts, err := web.ImportOptionsFrom(c)
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/upload/"+url.PathEscape(id), "error", "The column choices cannot be used: "+msg)
		}
		return err
	}
	u, _ := web.CurrentUser(c)
	opts.KeepFailed = true
	rep, err := p.PreviewAgain(c.Request().Context(), u, id, opts)
	if err != nil {
		if p.keptAttempt(c, rep) {
			// The failed reading replaced the preview (and its Confirm).
			return c.Redirect(http.StatusSeeOther, "/upload/"+url.PathEscape(rep.ImportID))
		}
		if msg, ok := userMessage(err); ok && !errors.Is(err, training.ErrForbidden) {
			return p.redirectFlash(c, "/upload/"+url.PathEscape(id), "error", msg)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/upload/"+url.PathEscape(rep.ImportID))
}

// keptAttempt reports whether rep is a failed reading kept with its file.
func (p *Pages) keptAttempt(c echo.Context, rep *importers.Report) bool {
	return p.KeptFailure(c.Request().Context(), rep)
}

func (p *Pages) PreviewCancel(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	if err := p.CancelImport(c.Request().Context(), u, web.RequestIDOf(c), c.Param("id")); err != nil {
		return err
	}
	return p.redirectFlash(c, "/upload", "info", "Cancelled: nothing was imported.")
}

type importsView struct{ Imports []training.ImportRecord }

// importsHistoryLimit bounds the upload history shown.
const importsHistoryLimit = 200

func (p *Pages) Imports(c echo.Context) error {
	recs, err := p.Store.Imports(c.Request().Context(), importsHistoryLimit)
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

func (p *Pages) Import(c echo.Context) error {
	rep, err := p.ImportReport(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return p.renderReport(c, rep, false)
}

// uploadField is the upload form's input for a domain error's field: the
// column mapping's box, else the file.
func uploadField(field string) string {
	if field == "mapping" {
		return "map_lines"
	}
	return "file"
}
