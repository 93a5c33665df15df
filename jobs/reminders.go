package jobs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// planBatch is how many officers a reminder run plans and queues at a
// time: memory holds one batch's plan and messages, not the whole run's
// (about 100,000 messages on a force's first run).
const planBatch = 5000

// runReminders plans the reminder run and writes its messages to the
// outbox, planBatch officers at a time (in ID order). Each message's
// place in the queue follows its due date (order), so batches need no
// order between them.
func (s *Scheduler) runReminders(ctx context.Context, st *runState) error {
	roster := s.rosterForRun()
	var ids []string
	if err := roster.ReadRoster(ctx, func(ds *training.Dataset) error {
		ids = make([]string, 0, len(ds.Officers))
		for id := range ds.Officers {
			ids = append(ids, id)
		}
		return nil
	}); err != nil {
		return err
	}
	var r *renderer
	if !st.dryRun {
		var terr error
		if r, terr = loadRenderer(ctx, s.store, TemplateReminder); r == nil {
			return terr
		} else if terr != nil {
			st.fail("%v", terr)
		}
	}
	sort.Strings(ids)
	for start := 0; start < len(ids); start += planBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Each batch is copied out of the roster as it is now (the live
		// model moves with posts meanwhile) and planned outside its lock.
		var sub *training.Dataset
		if err := roster.ReadRoster(ctx, func(ds *training.Dataset) error {
			sub = rosterBatch(ds, ids[start:min(start+planBatch, len(ids))])
			return nil
		}); err != nil {
			return err
		}
		plan, err := s.planWithLedger(ctx, sub, st.asOf)
		if err != nil {
			return err
		}
		c := plan.Counts
		for k, v := range map[string]int{"officers": c.Officers, "leavers": c.Leavers, "no_action": c.NoAction,
			"already_sent": c.AlreadySent, "to_remind": c.ToRemind, "items": c.Items, "cannot_remind": c.CannotRemind,
			"no_email": c.NoEmail, "invalid_email": c.InvalidEmail} {
			st.count(k, v)
		}
		if st.dryRun {
			continue
		}
		msgs := s.reminderMessages(plan, r, st.run.ID, s.clock(), func(i int, err error) {
			st.fail("rendering a reminder: %v", err)
		})
		s.enqueue(ctx, st, msgs)
		s.releasePages()
	}
	return nil
}

// reminderMessages builds one outbox message per planned reminder. Only
// the subject is rendered now: the bodies are rendered by the sender just
// before delivery (renderReminder), from the ledger keys, which name the
// officer, courses, stages and due dates. That keeps a run for 150,000
// officers to small writes, and puts the current template, name and a
// fresh status link in each email.
func (s *Scheduler) reminderMessages(plan *Plan, r *renderer, runID string, now time.Time, fail func(int, error)) []training.Message {
	domain := s.messageDomain()
	return renderAll(len(plan.Reminders), func(i int) (training.Message, error) {
		rem := plan.Reminders[i]
		data := ReminderData{Name: rem.Name, AsOf: plan.AsOf.UK(), ReplyTo: s.cfg.ReplyTo}
		keys := make([]string, len(rem.Items))
		for j, it := range rem.Items {
			keys[j] = it.Key
			data.Courses = append(data.Courses, CourseLine{Title: it.Title, Status: statusWords(it.Status), Words: it.Words,
				Due: it.Due.UK(), Overdue: plan.AsOf.After(it.Due), Lapsed: it.Lapsed, URL: it.URL})
		}
		subject, err := r.subject(data)
		if err != nil {
			return training.Message{}, err
		}
		m := newMessage("reminder", rem.Email, keys, domain, runID, now)
		m.Subject = subject
		return m, nil
	}, fail)
}

// reminderKey is a parsed reminder ledger key.
type reminderKey struct {
	officer, course, stage string
	due                    training.Date
}

func parseReminderKey(k string) (reminderKey, bool) {
	p := strings.Split(k, "|")
	if len(p) != 5 || p[0] != "remind" {
		return reminderKey{}, false
	}
	due, err := training.ParseDate(p[4])
	if err != nil {
		return reminderKey{}, false
	}
	return reminderKey{officer: p[1], course: p[2], stage: p[3], due: due}, true
}

// needsBody reports whether a message's bodies are rendered at sending.
func needsBody(m training.Message) bool { return m.Kind == "reminder" && m.Text == "" && m.HTML == "" }

// renderReminder renders a planned reminder's subject and bodies as of
// now, for the officer and courses its ledger keys name. Statuses are
// evaluated on the send date against the planned due dates.
func (s *Scheduler) renderReminder(ctx context.Context, r *renderer, courses map[string]training.Course, m *training.Message, now time.Time) error {
	if len(m.LedgerKeys) == 0 {
		return mail.Permanent(fmt.Errorf("reminder %s names no course", m.ID))
	}
	first, ok := parseReminderKey(m.LedgerKeys[0])
	if !ok {
		return mail.Permanent(fmt.Errorf("reminder %s has a malformed ledger key", m.ID))
	}
	rec, err := s.store.Officer(ctx, first.officer)
	if errors.Is(err, training.ErrNotFound) {
		return mail.Permanent(fmt.Errorf("reminder %s: the officer is no longer on the roster", m.ID))
	}
	if err != nil {
		return err
	}
	if !rec.Officer.Active() {
		return errNoLongerNeeded
	}
	today := training.DateOf(now)
	expires := today.AddDays(s.policy.LinkValidDays)
	data := ReminderData{Name: rec.Officer.Name, AsOf: today.UK(), LinkExpires: expires.UK(), ReplyTo: s.cfg.ReplyTo,
		StatusURL: s.cfg.BaseURL + "/me/" + training.SignOfficerLinkAt(s.cfg.Secret, first.officer, now, expires.AddDays(1).Time())}
	for _, k := range m.LedgerKeys {
		rk, ok := parseReminderKey(k)
		if !ok {
			return mail.Permanent(fmt.Errorf("reminder %s has a malformed ledger key", m.ID))
		}
		c, ok := courses[rk.course]
		if !ok {
			c = training.Course{ID: rk.course, Title: rk.course, DueSoonDays: training.DefaultDueSoonDays}
		}
		st := training.Evaluate(rec.Officer, c, rec.Completions, rec.Exemptions, today)
		if st.ActionDate() != rk.due {
			continue // completed, renewed or exempted since the run planned it
		}
		// The same words as the officer's page on the same day (training.Describe).
		data.Courses = append(data.Courses, CourseLine{Title: c.Title, Due: rk.due.UK(), Overdue: today.After(rk.due), URL: c.URL,
			Lapsed: st.Completion != nil && st.Status != training.StatusCompliant,
			Status: statusWords(st.Status), Words: training.Describe(st).Words})
	}
	if len(data.Courses) == 0 {
		return errNoLongerNeeded
	}
	subject, text, html, err := r.render(data)
	if err != nil {
		return mail.Permanent(err)
	}
	m.Subject, m.Text, m.HTML = subject, text, html
	return nil
}

// errNoLongerNeeded marks a reminder whose officer left, or completed or
// was exempted from every course in it, between planning and sending. It
// is permanent: the message is recorded as failed with this reason.
var errNoLongerNeeded = mail.Permanent(errors.New("not sent: the officer has left, or has completed or been exempted from every course in it, since the reminder was planned"))
