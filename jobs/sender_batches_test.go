package jobs_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// dueWatch is a bolt store that records the largest batch the sender
// asks DueMessages for, and fails the claim of the messages in stuck
// (they stay queued and due).
type dueWatch struct {
	*bolt.Store
	mu       sync.Mutex
	maxLimit int
	stuck    map[string]bool
}

func (d *dueWatch) DueMessages(ctx context.Context, now time.Time, limit int) ([]training.Message, error) {
	d.mu.Lock()
	d.maxLimit = max(d.maxLimit, limit)
	d.mu.Unlock()
	return d.Store.DueMessages(ctx, now, limit)
}

func (d *dueWatch) UpdateMessage(ctx context.Context, id string, fn func(*training.Message) error) error {
	d.mu.Lock()
	stuck := d.stuck[id]
	d.mu.Unlock()
	if stuck {
		return errors.New("the disk hiccuped")
	}
	return d.Store.UpdateMessage(ctx, id, fn)
}

// TestSenderReadsTheQueueInBatches: a sender run over 350 due messages
// reads the queue 100 at a time (it used to ask for 100 more than it had
// seen each time, reading and holding a first start's queue tens of
// thousands at a time) and sends every message once; when more than a
// batch of messages it has tried are still due at the head of the queue,
// it looks past them (asking for 100 more than those) and sends the rest.
func TestSenderReadsTheQueueInBatches(t *testing.T) {
	st := &dueWatch{Store: newBolt(t).(*bolt.Store)}
	seedMany(t, st, 350)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 350 {
		t.Fatalf("reminders: %v", r.Counts)
	}
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["sent"] != 350 {
		t.Fatalf("sender: %v", r.Counts)
	}
	if st.maxLimit > 100 {
		t.Errorf("the sender asked for %d due messages at once, want batches of 100", st.maxLimit)
	}

	// 150 messages whose claim fails stay due at the head of the queue.
	if r := mustRun(t, s, jobs.JobReminders, false, asOf.AddDays(7)); r.Counts["enqueued"] != 350 {
		t.Fatalf("reminders a week later: %v", r.Counts)
	}
	head, err := st.Store.DueMessages(t.Context(), at(asOf.AddDays(7)), 150)
	if err != nil || len(head) != 150 {
		t.Fatalf("head of the queue: %d, %v", len(head), err)
	}
	st.mu.Lock()
	st.stuck, st.maxLimit = map[string]bool{}, 0
	for _, m := range head {
		st.stuck[m.ID] = true
	}
	st.mu.Unlock()
	s = newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf.AddDays(7))), "one")
	r = mustRun(t, s, jobs.JobSender, false, asOf.AddDays(7))
	if r.Counts["sent"] != 200 || r.Counts["errors"] != 150 {
		t.Errorf("sender with 150 stuck at the head: %v, want 200 sent and 150 errors", r.Counts)
	}
	if st.maxLimit > 250 {
		t.Errorf("with 150 stuck at the head the sender asked for %d due messages at once, want at most 250", st.maxLimit)
	}
}

// TestSenderGivesPagesBack: a sender run that takes more than 2,000
// messages gives the store's mapped pages back on the way (once for
// 2,100); the reminder run that queued them did so after its batch.
func TestSenderGivesPagesBack(t *testing.T) {
	if testing.Short() {
		t.Skip("2,100 messages")
	}
	st := &releasing{Store: newBolt(t).(*bolt.Store)}
	seedMany(t, st, 2100)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 2100 {
		t.Fatalf("reminders: %v", r.Counts)
	}
	before := st.released.Load()
	if r := mustRun(t, s, jobs.JobSender, false, asOf); r.Counts["sent"] != 2100 {
		t.Fatalf("sender: %v", r.Counts)
	}
	if got := st.released.Load() - before; got != 1 {
		t.Errorf("the sender released the pages %d times for 2,100 messages, want 1", got)
	}
}
