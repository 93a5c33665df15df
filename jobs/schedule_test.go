package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

func london(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, training.London)
}

// The clocks go forward on Sunday 2026-03-29 at 01:00 GMT and back on
// Sunday 2026-10-25 at 02:00 BST; runs stay at the same local time.
func TestScheduleAcrossClockChanges(t *testing.T) {
	s := newScheduler(t, newBolt(t), mail.NewDrop(t.TempDir()), newClock(time.Now()), "one")
	daily, err := jobs.ParseSchedule("0 8 * * *")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		job     string
		after   time.Time
		want    time.Time
		wantUTC string
	}{
		{"weekday reminders over the spring weekend", jobs.JobReminders, london(2026, 3, 27, 9, 0), london(2026, 3, 30, 8, 0), "2026-03-30T07:00:00Z"},
		{"weekday reminders before the change", jobs.JobReminders, london(2026, 3, 26, 9, 0), london(2026, 3, 27, 8, 0), "2026-03-27T08:00:00Z"},
		{"weekday reminders over the autumn weekend", jobs.JobReminders, london(2026, 10, 23, 9, 0), london(2026, 10, 26, 8, 0), "2026-10-26T08:00:00Z"},
		{"weekday reminders before the autumn change", jobs.JobReminders, london(2026, 10, 22, 9, 0), london(2026, 10, 23, 8, 0), "2026-10-23T07:00:00Z"},
		{"Monday digests after spring change", jobs.JobDigests, london(2026, 3, 28, 12, 0), london(2026, 3, 30, 7, 0), "2026-03-30T06:00:00Z"},
		{"snapshot on the spring change night", jobs.JobSnapshot, london(2026, 3, 28, 23, 0), london(2026, 3, 29, 0, 30), "2026-03-29T00:30:00Z"},
		{"snapshot on the autumn change night", jobs.JobSnapshot, london(2026, 10, 24, 23, 0), london(2026, 10, 25, 0, 30), "2026-10-24T23:30:00Z"},
		{"daily 08:00 on the spring Sunday", "", london(2026, 3, 28, 9, 0), london(2026, 3, 29, 8, 0), "2026-03-29T07:00:00Z"},
		{"daily 08:00 on the autumn Sunday", "", london(2026, 10, 24, 9, 0), london(2026, 10, 25, 8, 0), "2026-10-25T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got time.Time
			if tt.job == "" {
				got = daily.Next(tt.after.UTC().In(training.London))
			} else {
				var ok bool
				if got, ok = s.NextRun(tt.job, tt.after.UTC()); !ok {
					t.Fatalf("%s has no schedule", tt.job)
				}
			}
			if !got.Equal(tt.want) || got.UTC().Format(time.RFC3339) != tt.wantUTC {
				t.Errorf("next after %v = %v (%s UTC), want %v (%s)", tt.after, got, got.UTC().Format(time.RFC3339), tt.want, tt.wantUTC)
			}
			if got.In(training.London).Hour() != tt.want.Hour() {
				t.Errorf("local hour %d, want %d", got.In(training.London).Hour(), tt.want.Hour())
			}
		})
	}
}

func TestBadSchedulesAreRefused(t *testing.T) {
	for _, spec := range []string{"0 8 * *", "every day", "61 8 * * *"} {
		_, err := jobs.New(jobs.Config{Store: newBolt(t), Mailer: mail.NewDrop(t.TempDir()), Secret: secret,
			Schedules: jobs.Schedules{Reminders: spec}})
		if err == nil {
			t.Errorf("schedule %q accepted", spec)
		}
	}
}

// Catch-up at start: a run missed while the service was down happens at
// once; one that was not missed does not.
func TestCatchUpAtStart(t *testing.T) {
	friday := london(2026, 11, 20, 8, 0)
	tests := []struct {
		name string
		now  time.Time
		runs int // reminder runs after Start and Stop
	}{
		{"Monday 10:00, last run Friday 08:00: missed", london(2026, 11, 23, 10, 0), 2},
		{"Monday 07:00, before the 08:00 run: not missed", london(2026, 11, 23, 7, 0), 1},
		{"Saturday: Friday's run happened", london(2026, 11, 21, 12, 0), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newBolt(t)
			seedForce(t, st)
			ctx := context.Background()
			prev := training.JobRun{ID: "earlier", Job: jobs.JobReminders, Started: friday, Finished: friday.Add(time.Minute)}
			if err := st.PutJobRun(ctx, prev); err != nil {
				t.Fatal(err)
			}
			s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(tt.now), "one")
			if err := s.Start(ctx); err != nil {
				t.Fatal(err)
			}
			s.Stop() // waits for the catch-up runs
			runs, err := st.JobRuns(ctx, jobs.JobReminders, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != tt.runs {
				t.Fatalf("%d reminder runs, want %d", len(runs), tt.runs)
			}
			if tt.runs == 2 && (runs[0].Error != "" || runs[0].Counts["enqueued"] != 2 || runs[0].Finished.IsZero()) {
				t.Errorf("catch-up run %+v", runs[0])
			}
		})
	}
}
