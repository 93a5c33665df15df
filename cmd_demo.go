package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// errNotEmpty refuses demo data in a store that holds a roster.
var errNotEmpty = errors.New("--demo loads made-up officers only into an empty store, and this one already holds a roster; start without --demo, or use another MUSTER_DATA_DIR")

// demoJobs marks the reminder and digest runs a new demo store would
// catch up as done, and says so: --demo never writes thousands of emails
// unasked. "Run now" on the Jobs page still writes them, as files.
func (a *App) demoJobs(ctx context.Context, jr jobRunner) error {
	m, ok := jr.(interface {
		MarkDone(context.Context) (int, error)
	})
	if !ok {
		return nil
	}
	n, err := m.MarkDone(ctx)
	if err != nil {
		return err
	}
	where := "to " + a.Config.mailDir() + " as .eml files"
	if a.Config.SMTP.Host != "" {
		where = "through the relay " + a.Config.SMTP.Host
	}
	fmt.Fprintf(a.Out, "DEMO: reminders and digests do not run on their own. Today's catch-up run (%d reminders) is marked done and wrote no email; \"Run now\" on the Jobs page writes them %s.\n", n, where)
	return nil
}

// loadDemo loads the demo force and weekly trend snapshots into an empty
// store, and says so; a store with officers is refused, never mixed.
func (a *App) loadDemo(ctx context.Context) error {
	n, err := demo.Load(ctx, a.store, training.DateOf(a.Clock()))
	if errors.Is(err, demo.ErrNotEmpty) {
		return errNotEmpty
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Out, "Loaded DEMO DATA: %d made-up officers in %d teams (never use this data directory for real rosters).\n", n, demo.DemoUnits)
	return nil
}
