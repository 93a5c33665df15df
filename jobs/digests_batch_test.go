package jobs_test

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// releasing is a bolt store that counts its ReleasePages calls.
type releasing struct {
	*bolt.Store
	released atomic.Int32
}

func (r *releasing) ReleasePages() error {
	r.released.Add(1)
	return r.Store.ReleasePages()
}

// TestDigestsInBatches: a run with more line digests than one batch
// renders and queues each digest once, to its own manager about their
// own report, with store IDs ascending in ledger-key order across the
// batches, and gives the store's mapped pages back after each batch;
// the reminder run does so after its batch too.
func TestDigestsInBatches(t *testing.T) {
	st := &releasing{Store: newBolt(t).(*bolt.Store)}
	const managers = 250
	var officers []training.Officer
	for i := range managers {
		m := officer(fmt.Sprintf("M%03d", i), fmt.Sprintf("Manager %03d", i), fmt.Sprintf("m%03d@force.example", i), "Frontline / North", "2025-01-01")
		r := officer(fmt.Sprintf("R%03d", i), fmt.Sprintf("Report %03d", i), fmt.Sprintf("r%03d@force.example", i), "Frontline / North", "2026-09-02")
		r.LineManager = m.ID
		officers = append(officers, m, r)
	}
	seed(t, st, testCourses(), officers, nil, nil)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	r := mustRun(t, s, jobs.JobDigests, false, asOf)
	if r.Counts["line_managers"] != managers || r.Counts["enqueued"] != managers || len(r.Errors) > 0 {
		t.Fatalf("counts %v (errors %v), want %d line managers, all enqueued", r.Counts, r.Errors, managers)
	}
	if got := st.released.Load(); got != 3 {
		t.Errorf("pages released %d times, want 3 (one per batch of 100 digests)", got)
	}
	var msgs []training.Message
	for _, m := range outbox(t, st) {
		msgs = append(msgs, m)
	}
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].ID < msgs[j].ID })
	for i, m := range msgs {
		n := fmt.Sprintf("%03d", i)
		if want := "digest|line|M" + n + "|2026-W48"; len(m.LedgerKeys) != 1 || m.LedgerKeys[0] != want {
			t.Fatalf("message %d in ID order has keys %v, want [%s]", i, m.LedgerKeys, want)
		}
		if m.To != "m"+n+"@force.example" || !strings.Contains(m.Text, "Report "+n) || strings.Count(m.Text, "(R") != strings.Count(m.Text, "(R"+n+")") {
			t.Fatalf("digest to %s is not about its own report Report %s:\n%s", m.To, n, m.Text)
		}
		if i > 0 && m.NextAttempt.Before(msgs[i-1].NextAttempt) {
			t.Errorf("digest %d is queued before digest %d", i, i-1)
		}
	}
	if r := mustRun(t, s, jobs.JobDigests, false, asOf); r.Counts["enqueued"] != 0 || r.Counts["already_sent"] != managers {
		t.Errorf("second run the same week: %v", r.Counts)
	}

	before := st.released.Load()
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] == 0 {
		t.Fatalf("reminders: %v", r.Counts)
	}
	if got := st.released.Load() - before; got != 1 {
		t.Errorf("the reminder run (one batch) released the pages %d times, want 1", got)
	}
}
