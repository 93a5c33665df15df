package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// Sender tuning.
const (
	sendBatch = 100
	// sendRelease is how many messages a run takes before it gives the
	// store's mapped pages back (training.PageReleaser): sending a first start's
	// 100,000 reminders from a bolt store at the relay's pace mapped about
	// 7 KB of the file per message, 330 MiB of RSS in two minutes. A
	// relay's minute allowance (e.g. 30) never reaches it, so the pages
	// that posts and readers use stay cached in a day's trickle of mail.
	sendRelease = 2000
	// claimFor is how long a message being sent is hidden from other
	// senders: longer than a send may take (connecting, then up to
	// mail.DefaultReplyTimeout for the reply to the end of data), so no
	// other replica sends it while the relay is still deciding. If the
	// process dies between the relay's acceptance and the record, the
	// message goes again once the claim lapses: the one duplicate the
	// design allows, carrying the same Message-ID.
	claimFor = mail.DefaultReplyTimeout + 5*time.Minute
)

var errNotDue = errors.New("message is no longer due")

// probeWait is how long the first message of a run goes alone (real time:
// it bounds a wait on the network, not on the schedule).
const probeWait = 5 * time.Second

// runSender drains the outbox, most overdue first (the oldest due), up to
// Limits.Connections messages at once. Each due message waits for the
// relay's allowance (Limits: the minute's is waited for, a spent day's
// allowance ends the run until it frees), is claimed, sent and recorded
// as sent the moment the relay accepts it; otherwise:
//   - a permanent failure of the message (5xx to its recipient or
//     content) marks it failed, to be re-queued by an admin;
//   - a temporary one (4xx) backs that message off exponentially and the
//     run goes on with the others, so a few greylisted recipients never
//     hold up the rest; after Policy.GiveUpAfter it fails;
//   - a relay-wide failure (the sender refused, no connection, TLS,
//     authentication, 421) stops the run at once: the message is put back
//     as it was (no attempt counted), the rest are not touched, the relay
//     is recorded as down (SettingRelay) and the run ends with an error.
//     The next run tries again, and the first message through marks the
//     relay up.
//
// A slow answer holds one connection; the others go on.
func (s *Scheduler) runSender(ctx context.Context, st *runState) error {
	if err := s.releaseDeadClaims(ctx, st); err != nil {
		return err
	}
	var window *sendWindow
	if s.cfg.Limits.limited() && !st.dryRun {
		w, err := loadSendWindow(ctx, s.store, s.cfg.Limits)
		if err != nil {
			return err
		}
		window = w
	}
	p := &sendPool{s: s, st: st, work: make(chan training.Message), first: make(chan struct{})}
	for range s.cfg.Limits.Connections {
		p.wg.Add(1)
		go p.worker(ctx)
	}
	err := s.dispatch(ctx, st, p, window)
	close(p.work)
	p.wg.Wait()
	if err == nil {
		err = p.relayErr()
	}
	s.noteQueue(ctx, window, p.heldUntil)
	return err
}

// dispatch claims due messages, oldest due first, and hands them to the
// pool's connections until none is due, the relay fails, the day's
// allowance is spent, or the scheduler stops.
func (s *Scheduler) dispatch(ctx context.Context, st *runState, p *sendPool, window *sendWindow) error {
	cutoff := s.clock()
	var bodies *bodyRenderer  // loaded on the first reminder that needs it
	seen := map[string]bool{} // each message is tried at most once per run
	sinceRelease := 0
	// limit is sendBatch more than the messages this run has tried that
	// are still due at the head of the queue (a claim that failed), so
	// each look brings up to sendBatch new ones. (Asking for sendBatch
	// plus every message seen made the batches grow with the run: a first
	// start's 100,000 reminders were read tens of thousands at a time,
	// and held.)
	limit := sendBatch
	for ctx.Err() == nil {
		if sinceRelease >= sendRelease {
			s.releasePages()
			sinceRelease = 0
		}
		msgs, err := s.store.DueMessages(ctx, cutoff, limit)
		if err != nil {
			return err
		}
		if st.dryRun {
			st.count("due", len(msgs))
			return nil
		}
		fresh := msgs[:0]
		for _, m := range msgs {
			if !seen[m.ID] {
				fresh = append(fresh, m)
			}
		}
		if len(fresh) == 0 {
			if len(msgs) < limit {
				return nil // nothing due that this run has not tried
			}
			limit = len(msgs) + sendBatch
			continue
		}
		limit = len(msgs) - len(fresh) + sendBatch
		sinceRelease += len(fresh)
		for _, m := range fresh {
			seen[m.ID] = true
			if ctx.Err() != nil || s.stopping() || p.relayErr() != nil {
				return nil // stopping: unsent messages stay queued
			}
			if window != nil {
				held, err := s.awaitAllowance(ctx, window, p)
				if err != nil || held {
					return err
				}
			}
			claimed, err := s.claim(ctx, m.ID)
			if err != nil {
				if !errors.Is(err, errNotDue) {
					st.fail("claiming message %s: %v", m.ID, err)
				}
				continue
			}
			if needsBody(claimed) {
				if bodies == nil {
					if bodies, err = s.newBodyRenderer(ctx, st); err != nil {
						s.release(ctx, claimed.ID)
						return err
					}
				}
				if err := s.renderReminder(ctx, bodies.r, bodies.courses, &claimed, s.clock()); err != nil {
					p.record(ctx, claimed, err)
					continue
				}
			}
			select {
			case p.work <- claimed:
			case <-ctx.Done():
				s.release(ctx, claimed.ID)
				return nil
			}
			if !p.opened {
				// The first message of a run goes alone until it is answered
				// or probeWait passes: a relay that is down (refused
				// connection, sender, TLS, AUTH: all answered at once) gets
				// one attempt, not one per connection, and a relay slow to
				// answer the end of data holds only that one.
				p.opened = true
				t := time.NewTimer(probeWait)
				select {
				case <-p.first:
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return nil
				}
				t.Stop()
			}
		}
	}
	return nil
}

// awaitAllowance waits for the minute's allowance; held is true when the
// day's is spent (the run ends; the queue waits until it frees).
func (s *Scheduler) awaitAllowance(ctx context.Context, w *sendWindow, p *sendPool) (held bool, err error) {
	for {
		ok, until, dayFull, err := w.reserve(ctx, s.clock())
		switch {
		case err != nil:
			return false, err
		case ok:
			return false, nil
		case dayFull:
			p.mu.Lock()
			p.heldUntil = until
			p.mu.Unlock()
			p.st.count("held_for_daily_limit", 1)
			s.log.Info("jobs: the relay's daily allowance is used; the outbox waits", "until", until)
			return true, nil
		}
		if err := s.cfg.Sleep(ctx, until.Sub(s.clock())); err != nil {
			return false, nil // stopping
		}
	}
}

// sendPool is the sender's connections: each takes a claimed message,
// sends it and records the outcome.
type sendPool struct {
	s    *Scheduler
	st   *runState
	work chan training.Message
	wg   sync.WaitGroup

	opened    bool          // (dispatcher) the first message went
	first     chan struct{} // closed when the first outcome is recorded
	firstOnce sync.Once

	mu        sync.Mutex
	relay     error     // the first relay-wide failure
	heldUntil time.Time // the day's allowance frees then
}

func (p *sendPool) relayErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.relay
}

func (p *sendPool) worker(ctx context.Context) {
	defer p.wg.Done()
	s := p.s
	for m := range p.work {
		if p.relayErr() != nil || ctx.Err() != nil {
			s.release(ctx, m.ID) // not tried: due again at once
			continue
		}
		// A stop cancels ctx, which mail.SMTP heeds only until the
		// message is being handed over: leaving before the relay's reply
		// is what makes a duplicate, so that wait is bounded by the reply
		// timeout instead.
		err := s.cfg.Mailer.Send(ctx, m)
		if err != nil && ctx.Err() != nil {
			// Stopped before the relay took it: due again at once.
			s.release(ctx, m.ID)
			continue
		}
		p.record(ctx, m, err)
	}
}

// record writes one attempt's outcome and counts it.
func (p *sendPool) record(ctx context.Context, m training.Message, err error) {
	s, st := p.s, p.st
	defer p.firstOnce.Do(func() { close(p.first) })
	if rerr := s.recordSend(ctx, m, err); rerr != nil {
		st.fail("recording message %s: %v", m.ID, rerr)
	}
	s.countOutcome(err)
	switch {
	case err == nil:
		st.count("sent", 1)
		s.relayUp(ctx)
	case errors.Is(err, errNoLongerNeeded):
		st.count("no_longer_needed", 1)
	case mail.IsRelay(err):
		st.count("relay_unavailable", 1)
		summary := mail.Summary(err)
		p.mu.Lock()
		first := p.relay == nil
		if first {
			p.relay = fmt.Errorf("%s; every message stays queued and goes when the relay answers", summary)
		}
		p.mu.Unlock()
		if first {
			s.relayDown(ctx, summary)
			s.log.Error("jobs: mail relay unavailable; the outbox waits for the next run", "problem", summary)
		}
	case mail.IsPermanent(err):
		st.count("failed", 1)
		st.fail("message %s failed: %s (re-queue it once fixed)", m.ID, mail.Summary(err))
		s.relayUp(ctx)
	default:
		st.count("deferred", 1)
		s.relayUp(ctx)
	}
}

// noteQueue records, with the relay's state, when the queue will be empty
// at the sending limits and whether the day's allowance holds it.
func (s *Scheduler) noteQueue(ctx context.Context, w *sendWindow, heldUntil time.Time) {
	if w == nil {
		return
	}
	stats, err := s.store.OutboxStats(ctx)
	if err != nil {
		s.log.Warn("jobs: counting the outbox", "err", err)
		return
	}
	now := s.clock()
	empty := w.emptyBy(now, stats.ByState[training.MessageQueued])
	s.putRelay(ctx, func(r *training.RelayStatus) {
		r.EmptyBy, r.HeldUntil = empty, heldUntil
	})
}

// claim atomically checks that m is still queued and due, and hides it
// from other senders for claimFor.
func (s *Scheduler) claim(ctx context.Context, id string) (training.Message, error) {
	var out training.Message
	now := s.clock()
	err := s.store.UpdateMessage(ctx, id, func(m *training.Message) error {
		if m.State != training.MessageQueued || m.NextAttempt.After(now) {
			return errNotDue
		}
		m.NextAttempt = now.Add(claimFor)
		out = *m
		return nil
	})
	return out, err
}

// releaseDeadClaims runs once per scheduler with Config.SoleProcess:
// every queued message that is not yet due but would be within claimFor
// is made due now. That covers each claim a killed process left (it had
// the message in hand; the relay may or may not have accepted it, so it
// goes again, with its Message-ID: the guarantee's one duplicate) and
// some backoffs (retried sooner, once). Holding the sender lock means no
// sender of this process is mid-send, and SoleProcess that no other
// process is.
func (s *Scheduler) releaseDeadClaims(ctx context.Context, st *runState) error {
	if !s.cfg.SoleProcess || st.dryRun {
		return nil
	}
	s.failMu.Lock()
	done := s.claimsReleased
	s.claimsReleased = true
	s.failMu.Unlock()
	if done {
		return nil
	}
	now := s.clock()
	// Only the messages not yet due (a first start's queue of 100,000
	// reminders is all due, and was read whole here).
	msgs, err := s.store.MessagesDueBetween(ctx, now, now.Add(claimFor))
	if err != nil {
		return err
	}
	// They go first: before the oldest message already due (the sender
	// takes the earliest NextAttempt first), in the order they were claimed.
	first := now
	if len(msgs) > 0 {
		oldest, err := s.store.DueMessages(ctx, now, 1)
		if err != nil {
			return err
		}
		if len(oldest) > 0 && oldest[0].NextAttempt.Before(first) {
			first = oldest[0].NextAttempt
		}
	}
	n := 0
	for i, m := range msgs {
		at := first.Add(-time.Duration(len(msgs)-i) * time.Microsecond)
		err := s.store.UpdateMessage(ctx, m.ID, func(m *training.Message) error {
			if m.State != training.MessageQueued || !m.NextAttempt.After(now) {
				return errNotDue
			}
			m.NextAttempt = at
			return nil
		})
		switch {
		case err == nil:
			n++
		case errors.Is(err, errNotDue):
		default:
			return err
		}
	}
	if n > 0 {
		st.count("released_after_restart", n)
		s.log.Info("jobs: messages in hand when the last process stopped are due again", "messages", n)
	}
	return nil
}

// release makes a claimed message due again at once (it was not sent).
func (s *Scheduler) release(ctx context.Context, id string) {
	now := s.clock()
	err := s.store.UpdateMessage(context.WithoutCancel(ctx), id, func(m *training.Message) error {
		if m.State == training.MessageQueued {
			m.NextAttempt = now
		}
		return nil
	})
	if err != nil {
		s.log.Warn("jobs: releasing a claimed message", "message", id, "err", err)
	}
}

// recordSend writes the outcome of one attempt, with the bodies as sent.
// It uses a context that is not cancelled by a stop, so a send that
// happened is recorded.
func (s *Scheduler) recordSend(ctx context.Context, sent training.Message, sendErr error) error {
	now := s.clock()
	return s.store.UpdateMessage(context.WithoutCancel(ctx), sent.ID, func(m *training.Message) error {
		switch {
		case sendErr == nil:
			m.Attempts++
			m.State, m.Sent, m.LastError = training.MessageSent, now, ""
			m.Subject, m.Text, m.HTML = sent.Subject, sent.Text, sent.HTML
		case mail.IsRelay(sendErr):
			// Not this message's fault: due again at once, no attempt
			// counted, so a long outage never turns it into a failure.
			m.LastError, m.NextAttempt = mail.Summary(sendErr), now
		case mail.IsPermanent(sendErr) || now.Sub(m.Created) >= s.policy.GiveUpAfter:
			m.Attempts++
			m.State, m.LastError = training.MessageFailed, sendErr.Error()
			if sent.Text != "" {
				m.Subject, m.Text, m.HTML = sent.Subject, sent.Text, sent.HTML
			}
		default:
			m.Attempts++
			m.LastError = sendErr.Error()
			m.NextAttempt = now.Add(s.policy.backoff(m.Attempts))
		}
		return nil
	})
}

// countOutcome adds a failure to this process's counters by class.
func (s *Scheduler) countOutcome(err error) {
	class := mail.Class(err)
	if class == "" || errors.Is(err, errNoLongerNeeded) {
		return
	}
	s.failMu.Lock()
	s.failures[class]++
	s.failMu.Unlock()
}

// DeliveryFailures returns the failed sends of this process by class
// (mail.ClassRelay, ClassRecipient, ClassDeferred, ClassMessage), for metrics.
func (s *Scheduler) DeliveryFailures() map[string]int64 {
	s.failMu.Lock()
	defer s.failMu.Unlock()
	out := map[string]int64{mail.ClassRelay: 0, mail.ClassRecipient: 0, mail.ClassDeferred: 0, mail.ClassMessage: 0}
	for k, v := range s.failures {
		out[k] = v
	}
	return out
}

// relayDown records the relay as down (keeping Since when it already was).
func (s *Scheduler) relayDown(ctx context.Context, problem string) {
	now := s.clock()
	s.failMu.Lock()
	s.relayUpAt = time.Time{}
	s.failMu.Unlock()
	s.putRelay(ctx, func(r *training.RelayStatus) {
		if !r.Down {
			r.Since = now
		}
		r.Down, r.Checked, r.Problem = true, now, problem
	})
}

// relayUp records the relay as answering: at most once a minute from
// this scheduler, so a batch does not write the state for every message.
func (s *Scheduler) relayUp(ctx context.Context) {
	now := s.clock()
	s.failMu.Lock()
	recent := !s.relayUpAt.IsZero() && now.Sub(s.relayUpAt) < time.Minute && !now.Before(s.relayUpAt)
	if !recent {
		s.relayUpAt = now
	}
	s.failMu.Unlock()
	if recent {
		return
	}
	s.putRelay(ctx, func(r *training.RelayStatus) {
		if r.Down || r.Since.IsZero() {
			r.Since = now
		}
		r.Down, r.Checked, r.Problem = false, now, ""
	})
}

func (s *Scheduler) putRelay(ctx context.Context, fn func(*training.RelayStatus)) {
	ctx = context.WithoutCancel(ctx)
	r, err := RelayStatus(ctx, s.store)
	if err != nil {
		r = training.RelayStatus{} // unreadable: write it afresh
	}
	fn(&r)
	b, err := json.Marshal(r)
	if err == nil {
		err = s.store.PutSetting(ctx, training.SettingRelay, string(b))
	}
	if err != nil {
		s.log.Warn("jobs: recording the mail relay's state", "err", err)
	}
}

// RelayStatus reads the relay's state as the sender last recorded it
// (zero when no message was ever tried).
func RelayStatus(ctx context.Context, st training.JobStore) (training.RelayStatus, error) {
	return training.ReadRelayStatus(ctx, st)
}

// bodyRenderer holds what rendering reminders at send time needs.
type bodyRenderer struct {
	r       *renderer
	courses map[string]training.Course
}

func (s *Scheduler) newBodyRenderer(ctx context.Context, st *runState) (*bodyRenderer, error) {
	r, err := loadRenderer(ctx, s.store, TemplateReminder)
	if r == nil {
		return nil, err
	}
	if err != nil {
		st.fail("%v", err)
	}
	cs, err := s.store.Courses(ctx)
	if err != nil {
		return nil, err
	}
	courses := make(map[string]training.Course, len(cs))
	for _, c := range cs {
		courses[c.ID] = c.Normalize()
	}
	return &bodyRenderer{r: r, courses: courses}, nil
}
