package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// Sender tuning.
const (
	sendBatch = 100
	// claimFor is how long a message being sent is hidden from other
	// senders. If the process dies between the SMTP send and recording it,
	// the message is sent again once the claim lapses: the one duplicate
	// the design allows, carrying the same Message-ID.
	claimFor = 10 * time.Minute
	// stopAfterTemporary ends a run after this many temporary failures in
	// a row (the relay is down): the rest wait for the next run untouched.
	stopAfterTemporary = 5
)

var errNotDue = errors.New("message is no longer due")

// runSender drains the outbox: every due message is claimed, sent and
// recorded as sent, or rescheduled with exponential backoff, or failed
// (a permanent error, or temporary ones for longer than GiveUpAfter).
//
// Delivery is at least once: a crash between the relay accepting a
// message and UpdateMessage recording it leaves the message claimed but
// queued, and it is sent again after the claim lapses, with the same
// Message-ID (so mail clients show it once).
func (s *Scheduler) runSender(ctx context.Context, st *runState) error {
	cutoff := s.clock()
	temporaryInARow := 0
	var bodies *bodyRenderer  // loaded on the first reminder that needs it
	seen := map[string]bool{} // each message is tried at most once per run
	for ctx.Err() == nil {
		msgs, err := s.store.DueMessages(ctx, cutoff, sendBatch+len(seen))
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
			return nil
		}
		for _, m := range fresh {
			seen[m.ID] = true
			if ctx.Err() != nil || s.stopping() {
				return nil // stopping: unsent messages stay queued
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
						return err
					}
				}
				err = s.renderReminder(ctx, bodies.r, bodies.courses, &claimed, s.clock())
			}
			if err == nil {
				err = s.cfg.Mailer.Send(ctx, claimed)
				if err != nil && ctx.Err() != nil {
					// Stopped mid-send: whether the relay took it is unknown, so
					// leave it claimed; it goes again when the claim lapses.
					return nil
				}
			}
			if rerr := s.recordSend(ctx, claimed, err); rerr != nil {
				st.fail("recording message %s: %v", m.ID, rerr)
			}
			switch {
			case err == nil:
				st.count("sent", 1)
				temporaryInARow = 0
			case errors.Is(err, errNoLongerNeeded):
				st.count("no_longer_needed", 1)
				temporaryInARow = 0
			case mail.IsPermanent(err):
				st.count("failed", 1)
				st.fail("message %s failed permanently; the outbox shows why", m.ID)
				temporaryInARow = 0
			default:
				st.count("retry", 1)
				temporaryInARow++
				if temporaryInARow >= stopAfterTemporary {
					st.fail("mail relay unavailable, the rest wait for the next run: %v", err)
					return nil
				}
			}
		}
	}
	return nil
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

// recordSend writes the outcome of one attempt, with the bodies as sent.
// It uses a context that is not cancelled by a stop, so a send that
// happened is recorded.
func (s *Scheduler) recordSend(ctx context.Context, sent training.Message, sendErr error) error {
	now := s.clock()
	return s.store.UpdateMessage(context.WithoutCancel(ctx), sent.ID, func(m *training.Message) error {
		m.Attempts++
		switch {
		case sendErr == nil:
			m.State, m.Sent, m.LastError = training.MessageSent, now, ""
			m.Subject, m.Text, m.HTML = sent.Subject, sent.Text, sent.HTML
		case mail.IsPermanent(sendErr) || now.Sub(m.Created) >= s.policy.GiveUpAfter:
			m.State, m.LastError = training.MessageFailed, sendErr.Error()
			if sent.Text != "" {
				m.Subject, m.Text, m.HTML = sent.Subject, sent.Text, sent.HTML
			}
		default:
			m.LastError = sendErr.Error()
			m.NextAttempt = now.Add(s.policy.backoff(m.Attempts))
		}
		return nil
	})
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
