package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

const benchOfficers = 150_000

// benchForce is the demo force the benchmarks plan reminders for.
func benchForce() training.ChangeSet {
	return demo.Force(1, benchOfficers, 600, training.DateOf(demo.Now()))
}

// BenchmarkReminderRun times one whole reminder run for 150,000 officers
// on a fresh store: read the dataset, plan, look up the ledger, render
// and write the outbox. Setting up each fresh store is not timed.
func BenchmarkReminderRun(b *testing.B) {
	cs := benchForce()
	asOf := training.DateOf(demo.Now())
	b.Run("bolt", func(b *testing.B) {
		base := filepath.Join(b.TempDir(), "base.db")
		st, err := bolt.Open(base, bolt.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.ApplyChanges(context.Background(), cs); err != nil {
			b.Fatal(err)
		}
		st.Close()
		benchRuns(b, asOf, func(i int) training.Store {
			path := filepath.Join(b.TempDir(), fmt.Sprintf("run%d.db", i))
			copyFile(b, base, path)
			st, err := bolt.Open(path, bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		})
	})
	b.Run("redis", func(b *testing.B) {
		url := startRedis(b)
		benchRuns(b, asOf, func(i int) training.Store {
			st := openRedis(b, url, fmt.Sprintf("bench%d", i))
			if _, err := st.ApplyChanges(context.Background(), cs); err != nil {
				b.Fatal(err)
			}
			return st
		})
	})
}

func benchRuns(b *testing.B, asOf training.Date, fresh func(i int) training.Store) {
	b.ReportAllocs()
	b.StopTimer()
	enqueued := 0
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		st := fresh(i)
		s, err := jobs.New(jobs.Config{Store: st, Clock: demo.Now, Logger: benchLogger(), BaseURL: "https://muster.example",
			Secret: secret, Mailer: mail.NewDrop(b.TempDir())})
		if err != nil {
			b.Fatal(err)
		}
		before := cpuTime()
		b.StartTimer()
		r, err := s.RunNow(context.Background(), jobs.JobReminders, false, asOf)
		b.StopTimer()
		cpu += cpuTime() - before
		if err != nil || r.Error != "" || len(r.Errors) > 0 {
			b.Fatalf("run: %v %s %v", err, r.Error, r.Errors)
		}
		enqueued = r.Counts["enqueued"]
	}
	b.ReportMetric(float64(enqueued), "messages/op")
	// CPU seconds used by this process per run (all goroutines, GC
	// included; not the Redis server's): a figure that does not depend on
	// how busy a shared machine is, unlike ns/op.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// benchLogger shows the phases of each run with -v (MUSTER_BENCH_PHASES=1).
func benchLogger() *slog.Logger {
	if os.Getenv("MUSTER_BENCH_PHASES") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// BenchmarkPlanReminders times the pure planning step alone (no store).
func BenchmarkPlanReminders(b *testing.B) {
	ds := benchDataset(benchForce())
	asOf := training.DateOf(demo.Now())
	b.ReportAllocs()
	var plan *jobs.Plan
	for b.Loop() {
		plan = jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
	}
	b.ReportMetric(float64(plan.Counts.ToRemind), "reminders/op")
}

// benchDataset is cs as the store's Dataset, with the default courses.
func benchDataset(cs training.ChangeSet) *training.Dataset {
	return demo.Dataset(cs, training.DefaultCourses())
}
