package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// The demo force `serve --demo` loads: big enough to look real, small
// enough to load in a second or two.
const (
	demoOfficers   = 3000
	demoUnits      = 60
	demoSeed       = 1
	demoTrendWeeks = 26
)

// errNotEmpty refuses demo data in a store that holds a roster.
var errNotEmpty = errors.New("--demo loads made-up officers only into an empty store, and this one already holds a roster; start without --demo, or use another MUSTER_DATA_DIR")

// loadDemo loads the demo force and weekly trend snapshots into an empty
// store, and says so; a store with officers is refused, never mixed.
func (a *App) loadDemo(ctx context.Context) error {
	ds, err := a.store.Dataset(ctx)
	if err != nil {
		return err
	}
	if len(ds.Officers) > 0 {
		return errNotEmpty
	}
	today := training.DateOf(a.Clock())
	cs := demo.Force(demoSeed, demoOfficers, demoUnits, today)
	cs.BaseRevision = ds.Revision
	if _, err := a.store.ApplyChanges(ctx, cs); err != nil {
		return fmt.Errorf("loading demo data: %w", err)
	}
	if ds, err = a.store.Dataset(ctx); err != nil {
		return err
	}
	for w := demoTrendWeeks; w >= 0; w-- {
		r, err := training.BuildReport(ds, today.AddDays(-7*w), training.ReportOptions{})
		if err != nil {
			return err
		}
		snap := training.DailySnapshot{Date: r.AsOf, Units: map[string]map[string]training.Counts{}}
		r.Walk(func(n *training.ReportNode) {
			m := make(map[string]training.Counts, len(n.Courses))
			for _, c := range n.Courses {
				m[c.Course] = c.Counts
			}
			snap.Units[n.Unit] = m
		})
		if err := a.store.PutDailySnapshot(ctx, snap); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.Out, "Loaded DEMO DATA: %d made-up officers in %d teams (never use this data directory for real rosters).\n", len(cs.Officers), demoUnits)
	return nil
}
