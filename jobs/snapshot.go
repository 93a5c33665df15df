package jobs

import (
	"context"

	"github.com/muster-police/muster/training"
)

// runSnapshot stores the force's figures for the day (every unit path,
// every course) for the trend chart.
func (s *Scheduler) runSnapshot(ctx context.Context, st *runState) error {
	ds, err := s.store.Dataset(ctx)
	if err != nil {
		return err
	}
	snap, err := training.BuildSnapshot(ds, st.asOf)
	if err != nil {
		return err
	}
	st.count("units", len(snap.Units))
	st.count("courses", len(ds.Courses))
	if st.dryRun {
		return nil
	}
	return s.store.PutDailySnapshot(ctx, snap)
}
