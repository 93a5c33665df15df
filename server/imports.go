package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// A dry-run upload is kept so that confirming it applies exactly the file
// that was previewed: the file in a private temp directory, the options
// and the report, for previewTTL, at most maxPreviews at a time.
const (
	previewTTL  = time.Hour
	maxPreviews = 20
)

// ImportOptions are the choices of one upload (the form fields full,
// dry_run, strict, sheet, confirm_leavers).
type ImportOptions struct {
	Full, DryRun, Strict, ConfirmLeavers bool
	Sheet                                string
}

type preview struct {
	id      string
	path    string
	name    string
	size    int64
	opts    ImportOptions
	by      string
	report  *importers.Report
	expires time.Time
}

// previewStore keeps dry-run uploads until they are confirmed, cancelled
// or expire.
type previewStore struct {
	mu    sync.Mutex
	dir   string
	items map[string]*preview
}

func newPreviewStore() *previewStore { return &previewStore{items: map[string]*preview{}} }

// put keeps p's file (already written under p.path) and evicts expired
// and, beyond maxPreviews, the oldest previews.
func (ps *previewStore) put(p *preview, now time.Time) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.items[p.id] = p
	var live []*preview
	for id, q := range ps.items {
		if !now.Before(q.expires) {
			ps.dropLocked(id)
			continue
		}
		live = append(live, q)
	}
	sort.Slice(live, func(i, j int) bool { return live[i].expires.Before(live[j].expires) })
	for len(live) > maxPreviews {
		ps.dropLocked(live[0].id)
		live = live[1:]
	}
}

func (ps *previewStore) get(id string, now time.Time) (*preview, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.items[id]
	if ok && !now.Before(p.expires) {
		ps.dropLocked(id)
		return nil, false
	}
	return p, ok
}

func (ps *previewStore) drop(id string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.dropLocked(id)
}

func (ps *previewStore) dropLocked(id string) {
	if p, ok := ps.items[id]; ok {
		_ = os.Remove(p.path)
		delete(ps.items, id)
	}
}

// tempFile creates a file in the store's private directory.
func (ps *previewStore) tempFile() (*os.File, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.dir == "" {
		dir, err := os.MkdirTemp("", "muster-uploads-")
		if err != nil {
			return nil, fmt.Errorf("upload directory: %w", err)
		}
		ps.dir = dir
	}
	return os.CreateTemp(ps.dir, "upload-*")
}

// close removes every kept upload.
func (ps *previewStore) close() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.items = map[string]*preview{}
	if ps.dir != "" {
		_ = os.RemoveAll(ps.dir)
		ps.dir = ""
	}
}

// runImport imports one uploaded file for user by. A dry run keeps the
// file as a preview under the report's ImportID for confirmImport; any
// other run removes it when done. Failed files come back as ErrInvalid
// with the importer's one-sentence reason.
func (s *Server) runImport(ctx context.Context, by string, fh *multipart.FileHeader, opts ImportOptions) (*importers.Report, error) {
	if fh.Size > s.cfg.MaxUploadBytes {
		return nil, errTooLarge
	}
	src, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	defer src.Close()
	f, err := s.uploads.tempFile()
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		f.Close()
		if !keep {
			_ = os.Remove(f.Name())
		}
	}()
	size, err := io.Copy(f, io.LimitReader(src, s.cfg.MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	if size > s.cfg.MaxUploadBytes {
		return nil, errTooLarge
	}
	name := filepath.Base(fh.Filename)
	rep, err := s.importFile(ctx, by, f, name, size, opts)
	if err != nil {
		return rep, err
	}
	if opts.DryRun {
		keep = true
		s.uploads.put(&preview{id: rep.ImportID, path: f.Name(), name: name, size: size, opts: opts, by: by,
			report: rep, expires: s.now().Add(previewTTL)}, s.now())
	}
	return rep, nil
}

func (s *Server) importFile(ctx context.Context, by string, r io.ReaderAt, name string, size int64, opts ImportOptions) (*importers.Report, error) {
	limits := importers.DefaultLimits()
	limits.MaxBytes = s.cfg.MaxUploadBytes
	rep, err := importers.Run(ctx, s.store, importers.Source{Name: name, R: r, Size: size}, importers.Options{
		Full: opts.Full, DryRun: opts.DryRun, Strict: opts.Strict, ConfirmLeavers: opts.ConfirmLeavers,
		Sheet: opts.Sheet, By: by, Now: s.now(), Limits: limits,
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
			return rep, fmt.Errorf("%w: %s", training.ErrInvalid, rep.Message)
		}
		return rep, err
	}
	return rep, nil
}

// confirmImport applies a kept dry run (confirmLeavers answers the 20%
// leaver guard). The preview is dropped once applied or found unchanged;
// a refusal keeps it so it can be confirmed again.
func (s *Server) confirmImport(ctx context.Context, by, id string, confirmLeavers bool) (*importers.Report, error) {
	p, ok := s.uploads.get(id, s.now())
	if !ok {
		return nil, fmt.Errorf("%w: this preview has expired or was already used; upload the file again", training.ErrNotFound)
	}
	f, err := os.Open(p.path)
	if err != nil {
		return nil, fmt.Errorf("preview file: %w", err)
	}
	defer f.Close()
	opts := p.opts
	opts.DryRun = false
	opts.ConfirmLeavers = opts.ConfirmLeavers || confirmLeavers
	rep, err := s.importFile(ctx, by, f, p.name, p.size, opts)
	if err != nil {
		return rep, err
	}
	if rep.Outcome != training.OutcomeRefused {
		s.uploads.drop(id)
	}
	return rep, nil
}

// cancelImport forgets a kept dry run.
func (s *Server) cancelImport(id string) { s.uploads.drop(id) }

// importReport returns the report of a logged import or a kept preview.
func (s *Server) importReport(ctx context.Context, id string) (*importers.Report, error) {
	if p, ok := s.uploads.get(id, s.now()); ok {
		return p.report, nil
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
