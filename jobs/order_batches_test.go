package jobs

import (
	"fmt"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestOrderAcrossBatches: a run queued in batches, all within one clock
// tick (a fixed clock does this every time), gives store IDs that ascend
// from one batch to the next, and places each batch's reminders for a
// due date after the previous batch's for that date, still ordered by due
// date first and all due at once. Interleaved keys made every batch
// rewrite the outbox's pages (BenchmarkReminderRun/bolt: 7.7 CPU-s
// against 4.1).
func TestOrderAcrossBatches(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	batch := func(from int) []training.Message {
		var ms []training.Message
		for i := range 50 {
			n := from + i
			due := []string{"2026-03-31", "2026-06-30", "2026-12-20"}[n%3]
			ms = append(ms, training.Message{
				MessageID:  fmt.Sprintf("<%08x@muster>", n*7919),
				LedgerKeys: []string{fmt.Sprintf("remind|%06d|cse|overdue-1|%s", (n*37)%1000, due)},
			})
		}
		return ms
	}
	var all []training.Message
	first := 0
	for b := range 4 {
		ms := batch(b * 50)
		order(ms, now, first)
		first += len(ms)
		if len(all) > 0 {
			last, next := all[len(all)-1], ms[0]
			if next.ID <= last.ID {
				t.Fatalf("batch %d starts at ID %s, not after the previous batch's last %s", b, next.ID, last.ID)
			}
		}
		for i := 1; i < len(ms); i++ {
			if ms[i].ID <= ms[i-1].ID {
				t.Fatalf("IDs within batch %d do not ascend: %s then %s", b, ms[i-1].ID, ms[i].ID)
			}
		}
		all = append(all, ms...)
	}
	latest := map[string]time.Time{} // due date -> the latest place queued so far
	for _, m := range all {
		due := dueOf(m)
		if !m.NextAttempt.After(latest[due]) {
			t.Errorf("message %s for %s placed at %s, not after the earlier batches' %s", m.ID, due, m.NextAttempt, latest[due])
		}
		latest[due] = m.NextAttempt
		if m.NextAttempt.After(now) {
			t.Errorf("message %s is not due at once: %s after %s", m.ID, m.NextAttempt, now)
		}
	}
	if !latest["2026-03-31"].Before(latest["2026-06-30"]) {
		t.Errorf("the most overdue do not come first: %v", latest)
	}
	for _, m := range all {
		if dueOf(m) == "2026-06-30" && !m.NextAttempt.After(latest["2026-03-31"]) {
			t.Errorf("a reminder due 2026-06-30 is placed before one due 2026-03-31")
		}
	}
}
