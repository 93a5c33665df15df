package jobs_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// countingStore counts reads of the whole Dataset.
type countingStore struct {
	training.Store
	datasets atomic.Int32
}

func (c *countingStore) Dataset(ctx context.Context) (*training.Dataset, error) {
	c.datasets.Add(1)
	return c.Store.Dataset(ctx)
}

// TestJobsPlanFromTheLiveModel: with the live model as their roster
// (muster serve), the jobs read no Dataset of their own, and what another
// replica wrote after the model was loaded (1002 completes both courses)
// is in their plan, as it would be in a Dataset read from the store.
func TestJobsPlanFromTheLiveModel(t *testing.T) {
	t.Run("bolt", func(t *testing.T) {
		st := newBolt(t)
		plansFromTheModel(t, st, st)
	})
	t.Run("redis, two replicas", func(t *testing.T) {
		url := startRedis(t)
		plansFromTheModel(t, openRedis(t, url, "roster"), openRedis(t, url, "roster"))
	})
}

// plansFromTheModel runs the jobs of a replica on here, whose model was
// loaded before another replica wrote through other.
func plansFromTheModel(t *testing.T, here, other training.Store) {
	seedForce(t, here)
	st := &countingStore{Store: here}
	c := newClock(at(asOf))
	m := live.New(live.Config{Store: st, Clock: c.Now})
	defer m.Close()
	ctx := context.Background()
	if err := m.Current(ctx); err != nil {
		t.Fatal(err)
	}
	// Another replica's post: written to the store, not through m, and
	// no Tail runs here.
	done := date("2026-11-20")
	if _, err := other.AddCompletions(ctx, training.CompletionBatch{Completions: []training.Completion{
		{OfficerID: "1002", CourseID: "cse-recognition", Date: done, Source: training.Source{ImportID: "api-b", At: c.Now()}},
		{OfficerID: "1002", CourseID: "trauma-informed-communication", Date: done, Source: training.Source{ImportID: "api-b", At: c.Now()}},
	}, Imports: []training.ImportRecord{{ID: "api-b", Kind: training.ImportAPI, By: "lms", At: c.Now(), Outcome: training.OutcomeApplied}}}); err != nil {
		t.Fatal(err)
	}
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
	s.UseRoster(m)
	p, err := s.PlanReminders(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if p.Counts.ToRemind != 1 {
		t.Errorf("plan from the model reminds %d officers, want 1 (1002 has completed both courses on another replica)", p.Counts.ToRemind)
	}
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 1 {
		t.Errorf("reminder run from the model: %v, want 1 enqueued", r.Counts)
	}
	for _, job := range []string{jobs.JobDigests, jobs.JobSnapshot, jobs.JobRetention} {
		mustRun(t, s, job, false, asOf)
	}
	if n := st.datasets.Load(); n != 1 {
		t.Errorf("the store's Dataset was read %d times, want once (the model's load): the jobs read a copy of their own", n)
	}
	snaps, err := here.DailySnapshots(ctx, asOf, asOf)
	if err != nil || len(snaps) != 1 || len(snaps[0].Units) != 6 {
		t.Errorf("snapshot from the model: %v, %v; want one of 6 units", snaps, err)
	}
}

// TestRunReadsTheStoreOnce: without a roster (the CLI), a reminder run
// that plans in several batches still reads the store's Dataset once.
func TestRunReadsTheStoreOnce(t *testing.T) {
	base := newBolt(t)
	seedMany(t, base, 5001) // two planning batches
	st := &countingStore{Store: base}
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 5001 {
		t.Errorf("run: %v, want 5001 enqueued", r.Counts)
	}
	if n := st.datasets.Load(); n != 1 {
		t.Errorf("the store's Dataset was read %d times by one run, want once", n)
	}
}
