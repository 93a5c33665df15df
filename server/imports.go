package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"path/filepath"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// A dry-run upload is kept in the store, so that confirming it applies
// exactly the file that was previewed, on whichever replica the confirm
// reaches: the file, the options and the report, for previewTTL.
const previewTTL = time.Hour

// ImportOptions are the choices of one upload (the form fields full,
// dry_run, strict, sheet, confirm (or confirm_leavers), course, map,
// save_mapping).
type ImportOptions struct {
	Full, DryRun, Strict, ConfirmLeavers bool
	Sheet                                string
	// Mapping, Course and SaveMappingAs: importers.Options.
	Mapping       []training.MappingRule
	Course        string
	SaveMappingAs string
}

// runImport imports one uploaded file for user by. A dry run keeps the
// file in the store as a preview under the report's ImportID for
// confirmImport (on any replica); any other run keeps nothing. Failed files come back as ErrInvalid
// with the importer's one-sentence reason.
func (s *Server) runImport(ctx context.Context, by string, fh *multipart.FileHeader, opts ImportOptions) (*importers.Report, error) {
	if fh.Size > s.cfg.MaxUploadBytes {
		return nil, errTooLarge
	}
	release, err := s.imports.acquire(by, fh.Size)
	if err != nil {
		return nil, err
	}
	defer release()
	src, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	defer src.Close()
	data, err := io.ReadAll(io.LimitReader(src, s.cfg.MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if int64(len(data)) > s.cfg.MaxUploadBytes {
		return nil, errTooLarge
	}
	return s.importData(ctx, by, filepath.Base(fh.Filename), data, opts)
}

// importData imports (or, for a dry run, previews and keeps) one file.
func (s *Server) importData(ctx context.Context, by, name string, data []byte, opts ImportOptions) (*importers.Report, error) {
	rep, err := s.importFile(ctx, by, data, name, opts)
	s.auditImport(ctx, by, training.AuditUpload, rep, err)
	if err != nil || !opts.DryRun {
		return rep, err
	}
	report, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("preview report: %w", err)
	}
	now := s.now()
	err = s.store.PutUpload(ctx, training.Upload{ID: rep.ImportID, FileName: name, By: by, Full: opts.Full,
		Strict: opts.Strict, ConfirmLeavers: opts.ConfirmLeavers, Sheet: opts.Sheet, Data: data, Report: report,
		Created: now, Expires: now.Add(previewTTL)}, training.UploadQuota{PerUser: s.cfg.Limits.PreviewBytesPerUser, Total: s.cfg.Limits.PreviewBytes})
	if err != nil {
		return nil, fmt.Errorf("keep preview: %w", err)
	}
	return rep, nil
}

func (s *Server) importFile(ctx context.Context, by string, data []byte, name string, opts ImportOptions) (*importers.Report, error) {
	limits := importers.DefaultLimits()
	limits.MaxBytes = s.cfg.MaxUploadBytes
	rep, err := importers.Run(ctx, s.store, importers.Source{Name: name, R: bytes.NewReader(data), Size: int64(len(data))}, importers.Options{
		Full: opts.Full, DryRun: opts.DryRun, Strict: opts.Strict, Confirmed: opts.ConfirmLeavers,
		Sheet: opts.Sheet, By: by, Now: s.now(), Limits: limits,
		Mapping: opts.Mapping, Course: opts.Course, SaveMappingAs: opts.SaveMappingAs,
	})
	outcome := "error"
	if rep != nil {
		outcome = string(rep.Outcome)
		if opts.DryRun {
			outcome = "preview"
		}
	}
	s.metrics.imports.WithLabelValues(outcome).Inc()
	if err != nil {
		if errors.Is(err, training.ErrInvalid) && rep != nil && rep.Message != "" {
			return rep, &training.Error{Kind: training.KindInvalid, Field: training.FieldOf(err), Message: rep.Message, Err: err}
		}
		return rep, err
	}
	return rep, nil
}

// confirmImport applies a kept dry run (confirmLeavers answers the 20%
// leaver guard). The preview is dropped once applied or found unchanged;
// a refusal keeps it so it can be confirmed again.
func (s *Server) confirmImport(ctx context.Context, by, id string, confirmLeavers bool) (*importers.Report, error) {
	u, err := s.store.Upload(ctx, id, s.now())
	if errors.Is(err, training.ErrNotFound) {
		return nil, training.NotFoundf("this preview has expired or was already used; upload the file again")
	}
	if err != nil {
		return nil, err
	}
	release, err := s.imports.acquire(by, int64(len(u.Data)))
	if err != nil {
		return nil, err
	}
	defer release()
	opts := ImportOptions{Full: u.Full, Strict: u.Strict, Sheet: u.Sheet, ConfirmLeavers: u.ConfirmLeavers || confirmLeavers}
	// The preview's report keeps the person's column choices: the file is
	// applied exactly as it was previewed (the mapping was saved then).
	var previewed importers.Report
	if err := jsonUnmarshal(u.Report, &previewed); err != nil {
		return nil, fmt.Errorf("kept preview report %s: %w", id, err)
	}
	opts.Mapping, opts.Course = previewed.Choices.Mapping, previewed.Choices.Course
	rep, err := s.importFile(ctx, by, u.Data, u.FileName, opts)
	s.auditImport(ctx, by, training.AuditImportConfirmed, rep, err)
	if err != nil {
		return rep, err
	}
	if rep.Outcome != training.OutcomeRefused {
		if err := s.store.DeleteUpload(ctx, id); err != nil {
			// Applied already; the kept file expires on its own.
			s.log.Warn("removing a confirmed preview", "id", id, "err", err)
		}
	}
	return rep, nil
}

// previewAgain reads a kept dry run's file again with other column
// choices (mapping, course, a name to save them under): a new preview
// replaces the old one. The upload's other options stay as they were.
func (s *Server) previewAgain(ctx context.Context, by, id string, choice ImportOptions) (*importers.Report, error) {
	u, err := s.store.Upload(ctx, id, s.now())
	if errors.Is(err, training.ErrNotFound) {
		return nil, training.NotFoundf("this preview has expired or was already used; upload the file again")
	}
	if err != nil {
		return nil, err
	}
	opts := ImportOptions{Full: u.Full, Strict: u.Strict, Sheet: u.Sheet, DryRun: true,
		Mapping: choice.Mapping, Course: choice.Course, SaveMappingAs: choice.SaveMappingAs}
	rep, err := s.importData(ctx, by, u.FileName, u.Data, opts)
	if err != nil {
		return rep, err
	}
	if err := s.store.DeleteUpload(ctx, id); err != nil {
		s.log.Warn("removing a replaced preview", "id", id, "err", err)
	}
	return rep, nil
}

// cancelImport forgets a kept dry run.
func (s *Server) cancelImport(ctx context.Context, id string) error {
	return s.store.DeleteUpload(ctx, id)
}

// importReport returns the report of a logged import or a kept preview.
func (s *Server) importReport(ctx context.Context, id string) (*importers.Report, error) {
	if rep, err := s.keptPreview(ctx, id); !errors.Is(err, training.ErrNotFound) {
		return rep, err
	}
	rec, err := s.store.Import(ctx, id)
	if err != nil {
		return nil, err
	}
	var rep importers.Report
	if len(rec.Report) == 0 {
		return &importers.Report{ImportID: rec.ID, Outcome: rec.Outcome, FileName: rec.FileName, FileHash: rec.FileHash,
			Full: rec.Kind == training.ImportFull, By: rec.By, At: rec.At, Summary: rec.Summary}, nil
	}
	if err := jsonUnmarshal(rec.Report, &rep); err != nil {
		return nil, fmt.Errorf("stored import report %s: %w", id, err)
	}
	return &rep, nil
}

// keptPreview returns the report of a dry run still waiting for a
// decision; ErrNotFound once it was used, cancelled or has expired.
func (s *Server) keptPreview(ctx context.Context, id string) (*importers.Report, error) {
	u, err := s.store.Upload(ctx, id, s.now())
	if err != nil {
		return nil, err
	}
	var rep importers.Report
	if err := jsonUnmarshal(u.Report, &rep); err != nil {
		return nil, fmt.Errorf("kept preview report %s: %w", id, err)
	}
	return &rep, nil
}
