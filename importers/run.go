package importers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/muster-police/muster/training"
)

// Source is the file to import.
type Source struct {
	// Name is the file's name as uploaded (shown in reports and provenance).
	Name string
	R    io.ReaderAt
	Size int64
}

// Options are the user's choices for one import.
type Options struct {
	// Full marks the file as the whole roster: active officers missing from
	// it become leavers (with the 20% guard).
	Full bool
	// DryRun plans and reports without writing anything.
	DryRun bool
	// Strict refuses the whole file when any cell or row is in error.
	Strict bool
	// Confirmed applies a file a guard would refuse (Report.Guards): a full
	// upload making more than 20% of active officers leavers, IDs that
	// mostly match nobody, many units or names changed.
	Confirmed bool
	// Mapping is the person's choice of what columns hold (Report.Choices
	// echoes it, so that a confirmed preview applies the same choice).
	Mapping []training.MappingRule
	// Course is the course of a file that covers one course without naming it.
	Course string
	// SaveMappingAs, when set, saves Mapping (and Course) under this name
	// for later files with the same headers.
	SaveMappingAs string
	// Sheet names the sheet to read ("" = detect).
	Sheet string
	// By is who imports (user name), recorded as provenance.
	By string
	// Now is the time of the import; zero means time.Now().
	Now      time.Time
	Limits   Limits
	Progress func(rows int)
}

// Run imports one file: it reads it, plans the changes against the
// store's data, applies them atomically unless the plan is refused, the
// file changes nothing or opts.DryRun is set, and logs every attempt that
// changes nothing. Outcomes refused and no_change come back as a Report
// with a nil error. A file that cannot be read returns a failed Report and
// an error wrapping training.ErrInvalid (its message is one sentence for
// the user); ErrConflict means the store kept changing during the import.
func Run(ctx context.Context, st training.Store, src Source, opts Options) (*Report, error) {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := training.DateOf(now)
	rep := &Report{ImportID: newImportID(now), FileName: src.Name, Full: opts.Full, DryRun: opts.DryRun,
		Strict: opts.Strict, By: opts.By, At: now}
	rep.fill()

	hash, err := fileHash(src)
	if err != nil {
		rep, err = failed(rep, "The file could not be read, so nothing was imported.", err)
		return rep, withLogError(err, logAttempt(ctx, st, rep))
	}
	rep.FileHash = hash
	// A file imported before is recognised by its hash, unless the person
	// now reads it differently (a mapping or a course): then it is planned
	// again, and says "nothing changed" itself when that is so.
	if done, ok := alreadyImported(ctx, st, rep); ok && len(opts.Mapping) == 0 && opts.Course == "" {
		return done, withLogError(nil, logAttempt(ctx, st, done))
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		return nil, fmt.Errorf("importers: reading the roster: %w", err)
	}

	saved, err := st.Mappings(ctx)
	if err != nil {
		return nil, fmt.Errorf("importers: reading the saved mappings: %w", err)
	}
	rep.Choices = Choices{Mapping: opts.Mapping, Course: opts.Course}
	rs := ReadOptions{Sheet: opts.Sheet, Courses: ds.Courses, Today: today, Limits: opts.Limits, Progress: opts.Progress,
		Mapping: opts.Mapping, Saved: saved, Course: opts.Course, FileName: src.Name}
	rows, det, probs, err := readRows(ctx, src, rs)
	if err != nil {
		msg := "The file could not be read, so nothing was imported."
		if ctx.Err() != nil {
			err, msg = ctx.Err(), "The import was cancelled before anything was changed."
		}
		var fe *FileError
		if errors.As(err, &fe) {
			msg = fe.Reason
		}
		if det != nil {
			rep.Detection = *det
		}
		rep.Problems = probs
		rep.fill()
		rep.Outcome, rep.Message = training.OutcomeFailed, msg
		// The reader's error is one sentence for the user: returned as is.
		return rep, withLogError(err, logAttempt(ctx, st, rep))
	}

	if opts.SaveMappingAs != "" {
		if err := saveMapping(ctx, st, opts, det, now); err != nil {
			rep.Detection, rep.Problems = *det, probs
			msg := "The column mapping could not be saved, so nothing was imported: " + sentence(err) + "."
			if errors.Is(err, training.ErrInvalid) {
				err = &training.Error{Kind: training.KindInvalid, Field: "mapping", Message: msg, Err: err}
			}
			rep, err = failed(rep, msg, err)
			return rep, withLogError(err, logAttempt(ctx, st, rep))
		}
	}
	in := PlanInput{Detection: *det, Problems: probs, Dataset: ds, Full: opts.Full, Strict: opts.Strict,
		Confirmed: opts.Confirmed, DryRun: opts.DryRun, Today: today,
		ImportID: rep.ImportID, FileName: src.Name, FileHash: hash, By: opts.By, At: now}
	if rows.len() > largeImport {
		// The workbook reader's tables (shared strings, the XML decoder's
		// garbage) are dropped now rather than under the plan.
		debug.FreeOSMemory()
	}
	// The plan is made after the read, not batch by batch beside it: the
	// change set it builds is much larger than the packed rows it
	// replaces, and beside the read it would stack on the workbook
	// reader's tables, past the aim of 1.5 times the raw read's peak
	// memory (README, "Import time, after the reading").
	pl := planRows(rows, in)
	// The rows are not kept for a re-plan: they would double the memory an
	// import holds while the store writes. A conflict (rare) reads the file again.
	rows = nil
	rs.Progress = nil
	pl.Report.Choices = rep.Choices
	if opts.SaveMappingAs != "" {
		pl.Report.MappingSaved = opts.SaveMappingAs
	}
	rep, err = apply(ctx, st, pl, func(ds *training.Dataset) (*Planned, error) {
		rows, _, _, err := readRows(ctx, src, rs)
		if err != nil {
			return nil, err
		}
		in.Dataset = ds
		return planRows(rows, in), nil
	})
	return rep, withLogError(err, logAttempt(ctx, st, rep))
}

// saveMapping keeps the person's column choices for this file's headers.
func saveMapping(ctx context.Context, st training.Store, opts Options, det *Detection, now time.Time) error {
	m := training.ColumnMapping{Name: clean(opts.SaveMappingAs), Rules: opts.Mapping, Course: opts.Course, By: opts.By, At: now.UTC()}
	for _, c := range det.Columns {
		m.Headers = append(m.Headers, c.Header)
	}
	return st.PutMapping(ctx, m)
}

// withLogError adds a failure to log the attempt to err (which may be nil).
func withLogError(err, logErr error) error {
	if logErr == nil {
		return err
	}
	return errors.Join(err, fmt.Errorf("importers: logging the import: %w", logErr))
}

// readRows reads the file, keeping its rows compactly for planning.
func readRows(ctx context.Context, src Source, opts ReadOptions) (*rowStore, *Detection, []Problem, error) {
	rows := &rowStore{}
	det, probs, err := Read(src.R, src.Size, src.Name, opts, func(r Record) error {
		rows.addRecord(r)
		return ctx.Err()
	})
	return rows, det, probs, err
}

// fileHash is the hex SHA-256 of the whole file: the same file imported
// twice is recognised by it.
func fileHash(src Source) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(src.R, 0, src.Size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// newImportID returns a sortable, unique import ID: imp-20261124T091500Z-3f9a1c2b.
func newImportID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return "imp-" + now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
