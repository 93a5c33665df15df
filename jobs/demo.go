package jobs

import (
	"context"

	"github.com/muster-police/muster/training"
)

// CountMarkedDone is the count a run marked done without running holds
// (MarkDone): the reminders it would have planned, or 1 for a digest run.
const CountMarkedDone = "marked_done"

// MarkDone records a successful run of the reminder and digest jobs as of
// now that wrote nothing, so that Start does not catch them up: a demo
// force loaded a minute ago is not reminded of years of training at once.
// It returns how many reminders the catch-up run would have written.
func (s *Scheduler) MarkDone(ctx context.Context) (int, error) {
	now := s.clock()
	plan, err := s.PlanReminders(ctx, training.DateOf(now))
	if err != nil {
		return 0, err
	}
	for job, n := range map[string]int{JobReminders: plan.Counts.ToRemind, JobDigests: 1} {
		jr := training.JobRun{ID: now.UTC().Format("20060102T150405Z") + "-" + job + "-" + randomHex(3),
			Job: job, Started: now, Finished: now, Counts: map[string]int{CountMarkedDone: n}}
		if err := s.store.PutJobRun(ctx, jr); err != nil {
			return 0, err
		}
	}
	return plan.Counts.ToRemind, nil
}
