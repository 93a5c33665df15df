package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// Three schedulers (replicas) share one store and race to run the same
// reminder run and drain the same outbox, several times over. Every
// planned reminder must reach the SMTP server exactly once.
func TestThreeReplicasRace(t *testing.T) {
	backends := map[string]func(testing.TB) training.Store{"bolt": newBolt, "redis": newRedis}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			var officers []training.Officer
			for i := range 60 {
				id := fmt.Sprintf("R%03d", i)
				officers = append(officers, officer(id, "Officer "+id, fmt.Sprintf("r%03d@force.example", i), "Frontline / East", "2026-09-02"))
			}
			seed(t, st, testCourses(), officers, nil, nil)
			srv := mailtest.New(t)
			c := newClock(at(asOf))
			var replicas []*jobs.Scheduler
			for i := range 3 {
				replicas = append(replicas, newScheduler(t, st, smtpSender(t, srv), c, fmt.Sprintf("replica-%d", i)))
			}
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, 100)
			for _, s := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 3 {
						for _, job := range []string{jobs.JobReminders, jobs.JobSender} {
							r, err := s.RunNow(ctx, job, false, asOf)
							if err != nil && !errors.Is(err, training.ErrConflict) {
								errs <- err
							}
							if r.Error != "" {
								errs <- errors.New(r.Error)
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			mustRun(t, replicas[0], jobs.JobSender, false, asOf) // whatever a lost race left due
			box := outbox(t, st)
			if len(box) != 60 {
				t.Errorf("outbox has %d messages, want 60 (one per officer)", len(box))
			}
			seen := map[string]int{}
			for _, r := range srv.Messages() {
				seen[r.MessageID()]++
			}
			for _, m := range box {
				if m.State != training.MessageSent {
					t.Errorf("message %s is %s", m.ID, m.State)
				}
			}
			if len(seen) != 60 {
				t.Errorf("%d distinct messages delivered, want 60", len(seen))
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("Message-ID %s delivered %d times", id, n)
				}
			}
		})
	}
}
