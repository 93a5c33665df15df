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
