package demo

import (
	"context"
	"fmt"

	"github.com/muster-police/muster/training"
)

// The demo force that `serve --demo` and the dashboard's "load demo data"
// button load: big enough to look real, small enough to load in a second.
const (
	DemoOfficers   = 3000
	DemoUnits      = 60
	DemoSeed       = 1
	DemoTrendWeeks = 26
)

// ErrNotEmpty refuses demo data in a store that already holds a roster:
// made-up officers are never mixed with real ones.
var ErrNotEmpty = training.Conflictf("demo data loads only into an empty store, and this one already holds a roster")

// Load writes the demo force into an empty store, with weekly trend
// snapshots for the last DemoTrendWeeks weeks. It returns the number of
// officers loaded.
func Load(ctx context.Context, st training.Store, today training.Date) (int, error) {
	ds, err := st.Dataset(ctx)
	if err != nil {
		return 0, err
	}
	if len(ds.Officers) > 0 {
		return 0, ErrNotEmpty
	}
	if err := st.PutCourses(ctx, Courses()); err != nil {
		return 0, fmt.Errorf("loading demo courses: %w", err)
	}
	if ds, err = st.Dataset(ctx); err != nil {
		return 0, err
	}
	cs := Force(DemoSeed, DemoOfficers, DemoUnits, today)
	cs.BaseRevision = ds.Revision
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		return 0, fmt.Errorf("loading demo data: %w", err)
	}
	if err := PutTrend(ctx, st, today, DemoTrendWeeks); err != nil {
		return 0, err
	}
	return len(cs.Officers), nil
}

// PutTrend writes weekly snapshots of the store's current data as of each
// of the last weeks weeks, so a trend chart has something to show at once.
func PutTrend(ctx context.Context, st training.Store, today training.Date, weeks int) error {
	ds, err := st.Dataset(ctx)
	if err != nil {
		return err
	}
	for w := weeks; w >= 0; w-- {
		snap, err := training.BuildSnapshot(ds, today.AddDays(-7*w))
		if err != nil {
			return err
		}
		if err := st.PutDailySnapshot(ctx, snap); err != nil {
			return err
		}
	}
	return nil
}
