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
	snap, err := Snapshot(ds, st.asOf)
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

// Snapshot computes the day's figures: the force report as a flat map
// from unit path ("" = force) to course to counts.
func Snapshot(ds *training.Dataset, asOf training.Date) (training.DailySnapshot, error) {
	rep, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		return training.DailySnapshot{}, err
	}
	snap := training.DailySnapshot{Date: asOf, Units: map[string]map[string]training.Counts{}}
	rep.Walk(func(n *training.ReportNode) {
		m := make(map[string]training.Counts, len(n.Courses))
		for _, c := range n.Courses {
			m[c.Course] = c.Counts
		}
		snap.Units[n.Unit] = m
	})
	return snap, nil
}
