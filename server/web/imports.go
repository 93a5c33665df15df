package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// A dry-run upload is kept in the store, so that confirming it applies
// exactly the file that was previewed, on whichever replica the confirm
// reaches: the file, the options and the report, for previewTTL.
const PreviewTTL = time.Hour

// ImportOptions are the choices of one upload (the form fields full,
// dry_run, strict, sheet, confirm (or confirm_leavers), course, map,
// save_mapping).
type ImportOptions struct {
	Full, DryRun, Strict, Confirmed bool
	Sheet                           string
	// Mapping, Course and SaveMappingAs: importers.Options.
	Mapping       []training.MappingRule
	Course        string
	SaveMappingAs string
	// KeepFailed (the web pages) keeps a dry run's file even when it
	// cannot be read, as a failed attempt: its page shows the problem and
	// a pick list for every column, and reading it again needs no new
	// upload. prevColumns are the columns to offer when the failure names
	// none (a re-read with choices that did not work).
	KeepFailed  bool
	prevColumns []importers.Column
}

// RunImport imports one uploaded file for user by, received by
// ReceiveUpload (which holds by's import slot). A dry run keeps the
// file in the store as a preview under the report's ImportID for
// ConfirmImport (on any replica); any other run keeps nothing. Failed
// files come back as ErrInvalid with the importer's one-sentence reason.
func (s *Core) RunImport(ctx context.Context, by string, up *ReceivedUpload, opts ImportOptions) (*importers.Report, error) {
	if up.size > s.Cfg.MaxUploadBytes {
		return nil, ErrTooLarge
	}
	return s.importData(ctx, by, up.name, up.file, up.size, opts)
}

// importData imports (or, for a dry run, previews and keeps) one file.
func (s *Core) importData(ctx context.Context, by, name string, r io.ReaderAt, size int64, opts ImportOptions) (*importers.Report, error) {
	rep, err := s.ImportFile(ctx, by, r, size, name, opts)
	s.auditImport(ctx, by, training.AuditUpload, rep, err)
	var fe *importers.FileError
	if err != nil && opts.DryRun && opts.KeepFailed && errors.As(err, &fe) && (len(fe.Headers) > 0 || len(opts.prevColumns) > 0) {
		data, rerr := io.ReadAll(io.NewSectionReader(r, 0, size))
		if rerr != nil {
			return nil, fmt.Errorf("keep the failed file: %w", rerr)
		}
		return s.keepFailed(ctx, by, name, data, opts, rep, fe, err)
	}
	if err != nil || !opts.DryRun {
		return rep, err
	}
	report, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("preview report: %w", err)
	}
	// The preview keeps the file in the store, for a confirm on any replica.
	data, err := io.ReadAll(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, fmt.Errorf("preview file: %w", err)
	}
	now := s.Now()
	err = s.Store.PutPreview(ctx, training.Preview{ID: rep.ImportID, FileName: name, By: by, Full: opts.Full,
		Strict: opts.Strict, Confirmed: opts.Confirmed, Sheet: opts.Sheet, Data: data, Report: report,
		Created: now, Expires: now.Add(PreviewTTL)}, training.PreviewQuota{PerUser: s.Cfg.Limits.PreviewBytesPerUser, Total: s.Cfg.Limits.PreviewBytes})
	if err != nil {
		return nil, fmt.Errorf("keep preview: %w", err)
	}
	return rep, nil
}

func (s *Core) ImportFile(ctx context.Context, by string, r io.ReaderAt, size int64, name string, opts ImportOptions) (*importers.Report, error) {
	limits := importers.DefaultLimits()
	limits.MaxBytes = s.Cfg.MaxUploadBytes
	rep, err := importers.Run(ctx, s.Store, importers.Source{Name: name, R: r, Size: size}, importers.Options{
		Full: opts.Full, DryRun: opts.DryRun, Strict: opts.Strict, Confirmed: opts.Confirmed,
		Sheet: opts.Sheet, By: by, Now: s.Now(), Limits: limits,
		Mapping: opts.Mapping, Course: opts.Course, SaveMappingAs: opts.SaveMappingAs,
	})
	outcome := "error"
	if rep != nil {
		outcome = string(rep.Outcome)
		if opts.DryRun {
			outcome = "preview"
		}
	}
	s.Metrics.Imports.WithLabelValues(outcome).Inc()
	if err != nil {
		if errors.Is(err, training.ErrInvalid) && rep != nil && rep.Message != "" {
			return rep, &training.Error{Kind: training.KindInvalid, Field: training.FieldOf(err), Message: rep.Message, Err: err}
		}
		return rep, err
	}
	return rep, nil
}

// keepFailed keeps a file that could not be read as a failed attempt
// (within the preview quota): the report holds the problem, the columns
// to choose from (the headers found, or the previous reading's) and the
// choices to start from (the suggestions, or the ones just tried). It
// returns that report and the read's error; when the file cannot be kept
// (quota), no report, and the error alone.
func (s *Core) keepFailed(ctx context.Context, by, name string, data []byte, opts ImportOptions, rep *importers.Report, fe *importers.FileError, readErr error) (*importers.Report, error) {
	now := s.Now()
	failed := &importers.Report{Outcome: training.OutcomeFailed, FileName: name, Full: opts.Full, DryRun: true, By: by, At: now,
		Message: fe.Reason, Choices: importers.Choices{Mapping: opts.Mapping, Course: opts.Course}}
	if rep != nil {
		failed.ImportID = rep.ImportID
		failed.Detection.Format, failed.Detection.Sheets = rep.Detection.Format, rep.Detection.Sheets
	}
	if failed.ImportID == "" {
		failed.ImportID = "imp-" + now.UTC().Format("20060102T150405Z") + "-" + RandomToken()[:8]
	}
	if len(fe.Headers) > 0 {
		failed.Detection.HeaderRow = fe.HeaderRow
		suggested := len(opts.Mapping) == 0
		for i, h := range fe.Headers {
			col := importers.Column{Index: i, Letter: h.Letter, Header: h.Header, Why: "not a header Muster knows"}
			if h.Suggest != "" {
				col.Why = "probably " + h.SuggestLabel + ": close to “" + h.Near + "”"
				if suggested {
					failed.Choices.Mapping = append(failed.Choices.Mapping, training.MappingRule{Header: h.Header, Field: string(h.Suggest)})
				}
			}
			failed.Detection.Columns = append(failed.Detection.Columns, col)
		}
	} else {
		failed.Detection.Columns = opts.prevColumns
	}
	report, err := json.Marshal(failed)
	if err != nil {
		return nil, readErr
	}
	if err := s.Store.PutPreview(ctx, training.Preview{ID: failed.ImportID, FileName: name, By: by, Full: opts.Full,
		Strict: opts.Strict, Sheet: opts.Sheet, Data: data, Report: report, Created: now, Expires: now.Add(PreviewTTL)},
		training.PreviewQuota{PerUser: s.Cfg.Limits.PreviewBytesPerUser, Total: s.Cfg.Limits.PreviewBytes}); err != nil {
		s.Log.Warn("keeping a file that could not be read", "err", err)
		return nil, readErr
	}
	return failed, readErr
}

// KeptFailure reports whether rep is a failed reading kept with its file
// (keepFailed), waiting on its page for other column choices.
func (s *Core) KeptFailure(ctx context.Context, rep *importers.Report) bool {
	if rep == nil || rep.Outcome != training.OutcomeFailed || rep.ImportID == "" {
		return false
	}
	_, err := s.Store.Preview(ctx, rep.ImportID, s.Now())
	return err == nil
}

// ConfirmImport applies a kept dry run (confirmed answers the 20%
// leaver guard). The preview is dropped once applied or found unchanged;
// a refusal keeps it so it can be confirmed again.
func (s *Core) ConfirmImport(ctx context.Context, who training.User, id string, confirmed bool) (*importers.Report, error) {
	by := who.Username
	u, release, err := s.takePreview(ctx, who, id)
	if err != nil {
		return nil, err
	}
	defer release()
	opts := ImportOptions{Full: u.Full, Strict: u.Strict, Sheet: u.Sheet, Confirmed: u.Confirmed || confirmed}
	// The preview's report keeps the person's column choices: the file is
	// applied exactly as it was previewed (the mapping was saved then).
	var previewed importers.Report
	if err := JSONUnmarshal(u.Report, &previewed); err != nil {
		return nil, fmt.Errorf("kept preview report %s: %w", id, err)
	}
	if previewed.Outcome == training.OutcomeFailed {
		// Nothing on screen to confirm: the last reading failed.
		return nil, training.Invalidf("the file could not be read with the last choices; choose what its columns hold and read it again first")
	}
	opts.Mapping, opts.Course = previewed.Choices.Mapping, previewed.Choices.Course
	rep, err := s.ImportFile(ctx, by, bytes.NewReader(u.Data), int64(len(u.Data)), u.FileName, opts)
	s.auditImport(ctx, by, training.AuditImportConfirmed, rep, err)
	if err != nil {
		return rep, err
	}
	if rep.Outcome != training.OutcomeRefused {
		if err := s.Store.DeletePreview(ctx, id); err != nil {
			// Applied already; the kept file expires on its own.
			s.Log.Warn("removing a confirmed preview", "id", id, "err", err)
		}
	}
	return rep, nil
}

// takePreview is a kept preview that who may decide on, with an import
// slot taken for its size (release it when done): the first steps of a
// confirm and of a re-read.
func (s *Core) takePreview(ctx context.Context, who training.User, id string) (training.Preview, func(), error) {
	u, err := s.Store.Preview(ctx, id, s.Now())
	if errors.Is(err, training.ErrNotFound) {
		return u, nil, training.NotFoundf("this preview has expired or was already used; upload the file again")
	}
	if err != nil {
		return u, nil, err
	}
	if err := training.CheckPreviewDecision(who, u.By, false); err != nil {
		return u, nil, err
	}
	release, err := s.ImportGate.Acquire(who.Username, int64(len(u.Data)))
	if err != nil {
		return u, nil, err
	}
	return u, release, nil
}

// PreviewAgain reads a kept dry run's file again with other column
// choices (mapping, course, a name to save them under): a new preview
// replaces the old one. The upload's other options stay as they were.
func (s *Core) PreviewAgain(ctx context.Context, who training.User, id string, choice ImportOptions) (*importers.Report, error) {
	by := who.Username
	u, release, err := s.takePreview(ctx, who, id)
	if err != nil {
		return nil, err
	}
	defer release()
	opts := ImportOptions{Full: u.Full, Strict: u.Strict, Sheet: u.Sheet, DryRun: true,
		Mapping: choice.Mapping, Course: choice.Course, SaveMappingAs: choice.SaveMappingAs, KeepFailed: choice.KeepFailed}
	var prev importers.Report
	if JSONUnmarshal(u.Report, &prev) == nil {
		opts.prevColumns = prev.Detection.Columns
	}
	rep, err := s.importData(ctx, by, u.FileName, bytes.NewReader(u.Data), int64(len(u.Data)), opts)
	if err != nil {
		if rep != nil && rep.ImportID != id && s.KeptFailure(ctx, rep) {
			// The failed reading replaced this preview: no Confirm remains
			// for a reading that is not on screen.
			if derr := s.Store.DeletePreview(ctx, id); derr != nil {
				s.Log.Warn("removing a replaced preview", "id", id, "err", derr)
			}
		}
		return rep, err
	}
	if err := s.Store.DeletePreview(ctx, id); err != nil {
		s.Log.Warn("removing a replaced preview", "id", id, "err", err)
	}
	return rep, nil
}

// CancelImport forgets a kept dry run: the uploader's own, or as an
// admin anyone's (training.CheckPreviewDecision); audited. A preview
// already gone is not an error.
func (s *Core) CancelImport(ctx context.Context, who training.User, requestID, id string) error {
	u, err := s.Store.Preview(ctx, id, s.Now())
	if errors.Is(err, training.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := training.CheckPreviewDecision(who, u.By, true); err != nil {
		s.AuditAs(ctx, who.Username, requestID, training.AuditPreviewCanceled, training.TargetImport, id, training.AuditDenied, "")
		return err
	}
	if err := s.Store.DeletePreview(ctx, id); err != nil {
		return err
	}
	detail := ""
	if u.By != who.Username {
		detail = "uploaded by " + u.By
	}
	s.AuditAs(ctx, who.Username, requestID, training.AuditPreviewCanceled, training.TargetImport, id, training.AuditOK, detail)
	return nil
}

// ImportReport returns the report of a logged import or a kept preview.
func (s *Core) ImportReport(ctx context.Context, id string) (*importers.Report, error) {
	if rep, err := s.KeptPreview(ctx, id); !errors.Is(err, training.ErrNotFound) {
		return rep, err
	}
	rec, err := s.Store.Import(ctx, id)
	if err != nil {
		return nil, err
	}
	var rep importers.Report
	if len(rec.Report) == 0 || rec.Kind == training.ImportRegister {
		// A register keeps the register, not an importer's report.
		return &importers.Report{ImportID: rec.ID, Outcome: rec.Outcome, FileName: rec.FileName, FileHash: rec.FileHash,
			Full: rec.Kind == training.ImportFull, By: rec.By, At: rec.At, Summary: rec.Summary}, nil
	}
	if err := JSONUnmarshal(rec.Report, &rep); err != nil {
		return nil, fmt.Errorf("stored import report %s: %w", id, err)
	}
	return &rep, nil
}

// KeptPreview returns the report of a dry run still waiting for a
// decision; ErrNotFound once it was used, cancelled or has expired.
func (s *Core) KeptPreview(ctx context.Context, id string) (*importers.Report, error) {
	u, err := s.Store.Preview(ctx, id, s.Now())
	if err != nil {
		return nil, err
	}
	var rep importers.Report
	if err := JSONUnmarshal(u.Report, &rep); err != nil {
		return nil, fmt.Errorf("kept preview report %s: %w", id, err)
	}
	return &rep, nil
}
