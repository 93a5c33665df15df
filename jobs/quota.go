package jobs

// The relay's sending limits. A force's relay is often Microsoft 365,
// which limits one sending mailbox (SMTP AUTH client submission) to 30
// messages a minute, 10,000 recipients in a rolling 24 hours and three
// concurrent connections; past them it rejects or delays submissions
// ("432 4.3.2 Concurrent connections limit exceeded", "554 5.2.0
// STOREDRV.Submission.Exception:SubmissionQuotaExceededException").
// Read at learn.microsoft.com/en-us/exchange/troubleshoot/send-emails/
// smtp-submission-improvements and the Exchange Online service
// description's "Sending limits" (learn.microsoft.com/office365/
// servicedescriptions/exchange-online-service-description/
// exchange-online-limits#sending-limits-1). The sender keeps below the
// configured limits itself, so nothing is rejected for being too fast.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/muster-police/muster/training"
)

// SendLimits bound what the sender hands the relay. Zero values: no limit
// (and DefaultConnections).
type SendLimits struct {
	// PerMinute is the most messages in any 60 seconds.
	PerMinute int
	// PerDay is the most messages in any 24 hours (rolling, as Exchange
	// Online counts).
	PerDay int
	// Connections is how many messages are handed over at once, each on
	// its own connection, so that one slow answer does not hold the rest.
	Connections int
}

// DefaultConnections is the sender's parallelism when none is set: below
// Exchange Online's three concurrent connections per mailbox.
const DefaultConnections = 2

// Validate checks the limits (none negative, connections at most 16).
func (l SendLimits) Validate() error {
	switch {
	case l.PerMinute < 0 || l.PerDay < 0:
		return training.Invalidf("sending limits must not be negative")
	case l.Connections < 0 || l.Connections > 16:
		return training.Invalidf("SMTP connections must be between 1 and 16")
	case l.PerDay > 0 && l.PerMinute > l.PerDay:
		return training.Invalidf("the per-minute limit (%d) is above the per-day limit (%d)", l.PerMinute, l.PerDay)
	}
	return nil
}

func (l SendLimits) withDefaults() SendLimits {
	if l.Connections <= 0 {
		l.Connections = DefaultConnections
	}
	return l
}

func (l SendLimits) limited() bool { return l.PerMinute > 0 || l.PerDay > 0 }

// settingSendWindow holds the sends of the last 24 hours (a sendWindow as
// JSON), so that a restart or another replica keeps within the limits.
const settingSendWindow = "mail.send_window"

// sendWindow counts the messages handed to the relay: each one of the last
// minute by its time, and those of the last day by the minute they went in.
type sendWindow struct {
	Recent  []time.Time   `json:"recent"`  // the last 60 s, oldest first
	Minutes map[int64]int `json:"minutes"` // unix minute -> messages (the last 24 h)
	mu      sync.Mutex
	limits  SendLimits
	store   training.JobStore
}

// loadSendWindow reads the window kept in the store (empty when none).
func loadSendWindow(ctx context.Context, st training.JobStore, l SendLimits) (*sendWindow, error) {
	w := &sendWindow{Minutes: map[int64]int{}, limits: l, store: st}
	v, err := st.Setting(ctx, settingSendWindow)
	switch {
	case errors.Is(err, training.ErrNotFound):
		return w, nil
	case err != nil:
		return nil, err
	}
	if err := json.Unmarshal([]byte(v), w); err != nil {
		return nil, fmt.Errorf("mail send window: %w", err)
	}
	if w.Minutes == nil {
		w.Minutes = map[int64]int{}
	}
	return w, nil
}

// forget drops what no longer counts at now. A minute counts for the day
// until the whole minute is 24 h old.
func (w *sendWindow) forget(now time.Time) {
	i := 0
	for i < len(w.Recent) && !w.Recent[i].After(now.Add(-time.Minute)) {
		i++
	}
	w.Recent = w.Recent[i:]
	for m := range w.Minutes {
		if !time.Unix((m+1)*60, 0).Add(24 * time.Hour).After(now) {
			delete(w.Minutes, m)
		}
	}
}

func (w *sendWindow) today() int {
	n := 0
	for _, c := range w.Minutes {
		n += c
	}
	return n
}

// dayFreesAt is when the oldest minute of the day's count stops counting.
func (w *sendWindow) dayFreesAt() time.Time {
	oldest := int64(-1)
	for m := range w.Minutes {
		if oldest < 0 || m < oldest {
			oldest = m
		}
	}
	return time.Unix((oldest+1)*60, 0).Add(24 * time.Hour)
}

// reserve takes one send at now: ok, or the time to wait for the minute's
// allowance (short) or, with dayFull, for the day's.
func (w *sendWindow) reserve(ctx context.Context, now time.Time) (ok bool, until time.Time, dayFull bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.forget(now)
	if w.limits.PerDay > 0 && w.today() >= w.limits.PerDay {
		return false, w.dayFreesAt(), true, nil
	}
	if w.limits.PerMinute > 0 && len(w.Recent) >= w.limits.PerMinute {
		return false, w.Recent[len(w.Recent)-w.limits.PerMinute].Add(time.Minute), false, nil
	}
	if w.limits.PerMinute > 0 {
		w.Recent = append(w.Recent, now)
	}
	w.Minutes[now.Unix()/60]++
	b, err := json.Marshal(w)
	if err == nil {
		// Written before the send: a crash after it counts a message that
		// may not have gone, never the other way round.
		err = w.store.PutSetting(context.WithoutCancel(ctx), settingSendWindow, string(b))
	}
	if err != nil {
		return false, time.Time{}, false, fmt.Errorf("recording the send window: %w", err)
	}
	return true, time.Time{}, false, nil
}

// emptyBy estimates when queued messages will all have gone at the
// limits, from now (zero without limits: as fast as the relay takes them).
func (w *sendWindow) emptyBy(now time.Time, queued int) time.Time {
	if queued <= 0 || !w.limits.limited() {
		return time.Time{}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.forget(now)
	t, q := now, queued
	if d := w.limits.PerDay; d > 0 {
		if left := d - w.today(); q > left {
			// What today's allowance leaves goes over the following days,
			// a full allowance each.
			t = w.dayFreesAt()
			if left <= 0 {
				left = 0
			}
			q -= left
			for q > d {
				t = t.Add(24 * time.Hour)
				q -= d
			}
		}
	}
	if m := w.limits.PerMinute; m > 0 {
		t = t.Add(time.Duration((q+m-1)/m) * time.Minute)
	}
	return t
}
