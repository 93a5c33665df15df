package jobs

import (
	"context"

	"github.com/muster-police/muster/training"
)

// runSnapshot stores the force's figures for the day (every unit path,
// every course) for the trend chart.
func (s *Scheduler) runSnapshot(ctx context.Context, st *runState) error {
	var snap training.DailySnapshot
	courses := 0
	if err := s.rosterForRun().ReadRoster(ctx, func(ds *training.Dataset) error {
		var err error
		snap, err = training.BuildSnapshot(ds, st.asOf)
		courses = len(ds.Courses)
		return err
	}); err != nil {
		return err
	}
	st.count("units", len(snap.Units))
	st.count("courses", courses)
	if st.dryRun {
		return nil
	}
	return s.store.PutDailySnapshot(ctx, snap)
}
