package jobs_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

var secret = []byte("test-secret-for-officer-links")

// clock is a settable clock shared by a test's schedulers.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// at returns 09:00 London time on d.
func at(d training.Date) time.Time { return d.Time().Add(9 * time.Hour) }

func date(s string) training.Date {
	d, err := training.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func newBolt(t testing.TB) training.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func newScheduler(t testing.TB, st training.Store, m mail.Sender, c *clock, owner string) *jobs.Scheduler {
	t.Helper()
	s, err := jobs.New(jobs.Config{Store: st, Logger: testLogger(t), Clock: c.Now, BaseURL: "https://muster.example",
		Secret: secret, Mailer: m, Owner: owner, Schedules: jobs.Schedules{Sender: "off"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testCourses replace the two default courses: URLs, no deadlines, so due
// dates follow start dates.
func testCourses() []training.Course {
	return []training.Course{
		{ID: "cse-recognition", Title: "CSE recognition", DueWithinDays: 90, ValidForMonths: 36, DueSoonDays: 30, URL: "https://learning.example/cse"},
		{ID: "trauma-informed-communication", Title: "Trauma-informed communication", DueWithinDays: 60, ValidForMonths: 24, DueSoonDays: 30, URL: "https://learning.example/tic"},
	}
}

// seed writes courses and officers (and completions/exemptions) to st.
func seed(t testing.TB, st training.Store, courses []training.Course, officers []training.Officer, comps []training.Completion, exs []training.Exemption) {
	t.Helper()
	ctx := context.Background()
	if err := st.PutCourses(ctx, courses); err != nil {
		t.Fatal(err)
	}
	rev, err := st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "seed", Kind: training.ImportAPI, By: "test",
		At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Outcome: training.OutcomeApplied},
		Officers: officers, Completions: comps, Exemptions: exs}
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
}

// officer makes an active officer starting on start (due dates follow:
// cse start+90, tic start+60).
func officer(id, name, email, unit, start string) training.Officer {
	return training.Officer{ID: id, DisplayID: id, Name: name, Email: email, Unit: unit, StartDate: date(start), FirstSeen: date(start)}
}
