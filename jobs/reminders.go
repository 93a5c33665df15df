package jobs

import (
	"context"
	"time"

	"github.com/muster-police/muster/training"
)

// runReminders plans the reminder run and writes its messages to the outbox.
func (s *Scheduler) runReminders(ctx context.Context, st *runState) error {
	ds, err := s.store.Dataset(ctx)
	if err != nil {
		return err
	}
	plan, err := s.planWithLedger(ctx, ds, st.asOf)
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
		return nil
	}
	r, terr := loadRenderer(ctx, s.store, TemplateReminder)
	if r == nil {
		return terr
	}
	if terr != nil {
		st.fail("%v", terr)
	}
	now := s.clock()
	msgs := s.reminderMessages(plan, r, st.run.ID, now, func(i int, err error) {
		st.fail("rendering a reminder: %v", err)
	})
	s.enqueue(ctx, st, msgs)
	return nil
}

// reminderMessages renders one message per planned reminder.
func (s *Scheduler) reminderMessages(plan *Plan, r *renderer, runID string, now time.Time, fail func(int, error)) []training.Message {
	domain := s.messageDomain()
	expires := plan.AsOf.AddDays(s.policy.LinkValidDays)
	return renderAll(len(plan.Reminders), func(i int) (training.Message, error) {
		rem := plan.Reminders[i]
		data := ReminderData{Name: rem.Name, AsOf: plan.AsOf.UK(), LinkExpires: expires.UK(),
			StatusURL: s.cfg.BaseURL + "/me/" + training.SignOfficerLink(s.cfg.Secret, rem.OfficerID, expires.AddDays(1).Time())}
		keys := make([]string, len(rem.Items))
		for j, it := range rem.Items {
			keys[j] = it.Key
			data.Courses = append(data.Courses, CourseLine{Title: it.Title, Status: statusWords(it.Status),
				Due: it.Due.UK(), Overdue: plan.AsOf.After(it.Due), Lapsed: it.Lapsed, URL: it.URL})
		}
		subject, text, html, err := r.render(data)
		if err != nil {
			return training.Message{}, err
		}
		m := newMessage("reminder", rem.Email, keys, domain, runID, now)
		m.Subject, m.Text, m.HTML = subject, text, html
		return m, nil
	}, fail)
}
