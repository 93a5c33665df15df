package importers

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/muster-police/muster/training"
)

// replanner recomputes a plan against a fresh Dataset (after ErrConflict).
type replanner func(ds *training.Dataset) (*Planned, error)

// largeImport is the size (rows, or officers and completions) above which
// an import returns freed memory to the system between its steps: a forced
// collection costs tens of milliseconds, a large import's garbage stacked on
// the next step's peak costs a hundred megabytes.
const largeImport = 20_000

// apply writes a plan whose outcome is applied, in one atomic ApplyChangeParts.
// When the store changed since the plan was made (ErrConflict) it reads the
// store again, re-plans once and retries; the same file applied meanwhile
// becomes no_change. It returns the final report. Attempts that change
// nothing are logged by the caller (logAttempt).
func apply(ctx context.Context, st training.Store, pl *Planned, again replanner) (*Report, error) {
	for attempt := 0; ; attempt++ {
		rep := pl.Report
		if rep.Outcome != training.OutcomeApplied || rep.DryRun {
			return rep, nil
		}
		head := pl.head
		head.Import.Report = rep.storedJSON()
		if pl.size() > largeImport {
			// The file's rows were just dropped; collect them now so the
			// store's own large transaction does not stack on top of them
			// (measured: peak memory of a 50k-row import 174 -> 119 MB).
			debug.FreeOSMemory()
		}
		// The officers and completions go to the store a chunk at a time,
		// each let go once encoded: the store's transaction never holds
		// them and their encoding whole at once.
		parts := pl.changes()
		if pl.size() > largeImport {
			parts = thenFree(parts)
		}
		_, err := st.ApplyChangeParts(ctx, head, parts)
		if err == nil {
			return rep, nil
		}
		if !errors.Is(err, training.ErrConflict) {
			return failed(rep, "The import could not be saved, so nothing was changed; try again in a moment.", err)
		}
		if done, ok := alreadyImported(ctx, st, rep); ok {
			return done, nil
		}
		if attempt > 0 {
			return failed(rep, "The data changed twice while this file was being imported, so nothing was changed; import it again.", err)
		}
		ds, derr := st.Dataset(ctx)
		if derr != nil {
			return failed(rep, "The import could not be saved, so nothing was changed; try again in a moment.", derr)
		}
		if pl, err = again(ds); err != nil {
			return failed(rep, "The data changed while this file was being imported and the file could not be read again, so nothing was changed; import it again.", err)
		}
	}
}

// thenFree hands freed memory back to the system once every part has been
// put: what the parts were is garbage by then, and the store's commit
// (bbolt writes every page it changed from buffers of its own) would
// otherwise stack on top of it.
func thenFree(parts training.ChangeParts) training.ChangeParts {
	return func(put func(training.ChangeSet) error) error {
		if err := parts(put); err != nil {
			return err
		}
		debug.FreeOSMemory()
		return nil
	}
}

// failed marks rep as failed with msg and returns it with err.
func failed(rep *Report, msg string, err error) (*Report, error) {
	rep.Outcome = training.OutcomeFailed
	rep.Message = msg
	return rep, fmt.Errorf("importers: %s: %w", rep.FileName, err)
}

// alreadyImported turns rep into no_change when a file with the same hash
// was applied before.
func alreadyImported(ctx context.Context, st training.Store, rep *Report) (*Report, bool) {
	if rep.FileHash == "" {
		return nil, false
	}
	prev, err := st.ImportByHash(ctx, rep.FileHash)
	if err != nil || prev.Outcome != training.OutcomeApplied {
		return nil, false
	}
	rep.Outcome = training.OutcomeNoChange
	rep.NeedsConfirmation = false
	who := prev.By
	if who == "" {
		who = "an unnamed user"
	}
	rep.Message = fmt.Sprintf("This file was already imported on %s by %s; nothing changed.", training.DateOf(prev.At).UK(), who)
	return rep, true
}

// logAttempt records an attempt that changed nothing (refused, failed, no
// change) so the import history shows it. Dry runs write nothing at all.
// It uses a context that outlives cancellation: a cancelled import is
// still an attempt worth recording.
func logAttempt(ctx context.Context, st training.Store, rep *Report) error {
	if rep.DryRun || rep.Outcome == training.OutcomeApplied {
		return nil
	}
	return st.PutImport(context.WithoutCancel(ctx), rep.logRecord())
}
