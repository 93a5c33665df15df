package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/muster-police/muster/training"
)

// enqueueBatch is how many messages one Enqueue call writes.
const enqueueBatch = 1000

// ledgerSet returns the keys already enqueued, in one store read (a
// round trip per key cost Redis about a second for 100,000 keys).
func ledgerSet(ctx context.Context, st training.MailStore, keys []string) (map[string]bool, error) {
	return st.LedgerHasKeys(ctx, keys)
}

// planWithLedger plans once to learn which keys are candidates, looks
// them up in the ledger, and plans again without the ones already sent.
func (s *Scheduler) planWithLedger(ctx context.Context, ds *training.Dataset, asOf training.Date) (*Plan, error) {
	return s.dropLedgered(ctx, PlanReminders(ds, ds.Courses, asOf, s.policy, nil))
}

// dropLedgered looks a draft plan's keys up in the ledger and drops the
// ones already sent.
func (s *Scheduler) dropLedgered(ctx context.Context, draft *Plan) (*Plan, error) {
	var keys []string
	for _, r := range draft.Reminders {
		for _, it := range r.Items {
			keys = append(keys, it.Key)
		}
	}
	sent, err := ledgerSet(ctx, s.store, keys)
	if err != nil {
		return nil, err
	}
	dropSent(draft, sent)
	return draft, nil
}

// dropSent removes reminder items whose keys were already enqueued, as
// PlanReminders does with a ledger function, without evaluating again.
// (Officers without a usable email never have items in the ledger.)
func dropSent(p *Plan, sent map[string]bool) {
	if len(sent) == 0 {
		return
	}
	kept := p.Reminders[:0]
	for _, r := range p.Reminders {
		items := r.Items[:0]
		for _, it := range r.Items {
			if sent[it.Key] {
				p.Counts.AlreadySent++
				p.Counts.Items--
				continue
			}
			items = append(items, it)
		}
		if len(items) == 0 {
			p.Counts.ToRemind--
			p.Counts.NoAction++
			continue
		}
		r.Items = items
		kept = append(kept, r)
	}
	p.Reminders = kept
}

// plannedMessageID derives a message's Message-ID from what it
// announces, so every replica planning the same message names it alike.
func plannedMessageID(kind string, keys []string, domain string) string {
	sorted := append([]string(nil), keys...)
	sort.Strings(sorted)
	sum := sha256.Sum256([]byte(kind + "\n" + strings.Join(sorted, "\n")))
	return "<" + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// newMessage fills the outbox fields of a planned message; enqueue gives
// it its store ID.
func newMessage(kind, to string, keys []string, domain, runID string, now time.Time) training.Message {
	return training.Message{MessageID: plannedMessageID(kind, keys, domain), LedgerKeys: keys, Kind: kind, To: to,
		State: training.MessageQueued, Created: now, NextAttempt: now, RunID: runID}
}

// order sorts messages by ledger key and gives them store IDs that
// ascend in the same order (run time, the run's sequence, a piece of the
// Message-ID). Ordered keys let a B+tree store append instead of
// rewriting pages all over the tree: with 100,000 messages that is the
// difference between seconds and a minute on bolt. first is how many
// messages the run has ordered before these (runState.ordered): a run
// queues in batches, and numbering each batch from 0 made the IDs of
// batches queued within one clock tick (or under a fixed clock)
// interleave, every batch rewriting the outbox's pages.
func order(msgs []training.Message, now time.Time, first int) {
	sort.Slice(msgs, func(i, j int) bool { return firstKey(msgs[i]) < firstKey(msgs[j]) })
	stamp := now.UTC().Format("20060102T150405.000000Z")
	for i := range msgs {
		msgs[i].ID = fmt.Sprintf("%s-%07d-%s", stamp, first+i, strings.Trim(msgs[i].MessageID, "<>")[:8])
	}
	// Most overdue first: the sender takes the earliest NextAttempt first,
	// so a run larger than the relay's daily allowance reaches the most
	// overdue officers on its first day. A reminder is due from its due
	// date (or now, for one not yet due), less queueWindow, plus a
	// microsecond for each message the run has queued before it: every
	// message is due at once, the due date alone decides the order, and
	// within one due date the run's messages follow one another in the
	// order they are queued. So a run queued in batches keeps the order,
	// and each batch's entries in the store's due index land after the
	// previous batch's for the same date instead of among them (thousands
	// of people share a course's deadline: interleaving them made every
	// batch rewrite the same pages, and a 150,000-officer run took twice
	// the CPU).
	for i := range msgs {
		at := now
		if d, err := training.ParseDate(dueOf(msgs[i])); err == nil && d.Time().Before(now) {
			at = d.Time()
		}
		seq := min(first+i, queueWindowMessages-1)
		msgs[i].NextAttempt = at.Add(-queueWindow + time.Duration(seq)*time.Microsecond)
	}
}

// queueWindow is how far before its due date a run's first message is
// placed in the queue; a run's messages a microsecond apart fill it
// (queueWindowMessages: ten million, far more than a run queues).
const (
	queueWindow         = 10 * time.Second
	queueWindowMessages = int(queueWindow / time.Microsecond)
)

// dueOf is the earliest due date a reminder announces ("YYYY-MM-DD", the
// last part of each ledger key "remind|officer|course|stage|due");
// digests sort after every date.
func dueOf(m training.Message) string {
	d := "~"
	for _, k := range m.LedgerKeys {
		if strings.HasPrefix(k, "remind|") {
			d = min(d, k[strings.LastIndexByte(k, '|')+1:])
		}
	}
	return d
}

func firstKey(m training.Message) string {
	if len(m.LedgerKeys) == 0 {
		return ""
	}
	return m.LedgerKeys[0]
}

// renderAll renders n messages with fn on every CPU, keeping the order.
// Messages that fail to render are left out and reported through fail.
func renderAll(n int, fn func(i int) (training.Message, error), fail func(i int, err error)) []training.Message {
	out := make([]training.Message, n)
	ok := make([]bool, n)
	workers := max(1, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				m, err := fn(i)
				if err != nil {
					mu.Lock()
					fail(i, err)
					mu.Unlock()
					continue
				}
				out[i], ok[i] = m, true
			}
		}()
	}
	wg.Wait()
	kept := out[:0]
	for i := range out {
		if ok[i] {
			kept = append(kept, out[i])
		}
	}
	return kept
}

// enqueue writes messages in batches; a failed batch is recorded and the
// rest go on. The ledger check inside Enqueue makes a racing replica's
// copy of the same message a no-op.
func (s *Scheduler) enqueue(ctx context.Context, st *runState, msgs []training.Message) {
	st.mu.Lock()
	first := st.ordered
	st.ordered += len(msgs)
	st.mu.Unlock()
	order(msgs, s.clock(), first)
	for i := 0; i < len(msgs); i += enqueueBatch {
		batch := msgs[i:min(i+enqueueBatch, len(msgs))]
		done, err := s.store.Enqueue(ctx, batch)
		if err != nil {
			st.fail("writing %d messages to the outbox: %v", len(batch), err)
			continue
		}
		st.count("enqueued", len(done))
		st.count("already_enqueued", len(batch)-len(done))
	}
}
