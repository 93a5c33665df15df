package jobs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Policy says when officers are reminded and how the outbox retries.
type Policy struct {
	// BeforeDays are the days before the due date a reminder goes out
	// (default 30 and 7).
	BeforeDays []int `json:"before_days"`
	// NoDueDateReminder turns off the reminder on the due date itself.
	NoDueDateReminder bool `json:"no_due_date_reminder,omitempty"`
	// OverdueEveryDays repeats the reminder while overdue: stage
	// overdue-N goes out N×OverdueEveryDays days after the due date
	// (default 7; negative: never).
	OverdueEveryDays int `json:"overdue_every_days"`
	// LinkValidDays is how long the signed status link in a reminder
	// works (default 60).
	LinkValidDays int `json:"link_valid_days"`
	// GiveUpAfter is how long the outbox keeps retrying a message that
	// fails temporarily before marking it failed (default 24 h).
	GiveUpAfter time.Duration `json:"give_up_after"`
	// RetryFirst and RetryMax bound the exponential backoff between
	// attempts (default 1 min doubling up to 1 h).
	RetryFirst time.Duration `json:"retry_first"`
	RetryMax   time.Duration `json:"retry_max"`
}

// DefaultPolicy is the reminder policy: 30 and 7 days before, on the
// due date, then weekly while overdue.
func DefaultPolicy() Policy {
	return Policy{BeforeDays: []int{30, 7}, OverdueEveryDays: 7, LinkValidDays: 60,
		GiveUpAfter: 24 * time.Hour, RetryFirst: time.Minute, RetryMax: time.Hour}
}

// withDefaults fills unset fields from DefaultPolicy.
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	if p.BeforeDays == nil {
		p.BeforeDays = d.BeforeDays
	}
	if p.OverdueEveryDays == 0 {
		p.OverdueEveryDays = d.OverdueEveryDays
	}
	if p.LinkValidDays <= 0 {
		p.LinkValidDays = d.LinkValidDays
	}
	if p.GiveUpAfter <= 0 {
		p.GiveUpAfter = d.GiveUpAfter
	}
	if p.RetryFirst <= 0 {
		p.RetryFirst = d.RetryFirst
	}
	if p.RetryMax <= 0 {
		p.RetryMax = d.RetryMax
	}
	p.BeforeDays = slices.Clone(p.BeforeDays)
	slices.Sort(p.BeforeDays) // nearest the due date first
	return p
}

func (p Policy) validate() error {
	for _, b := range p.BeforeDays {
		if b <= 0 {
			return training.Invalidf("reminder days before the due date must be positive, not %d", b)
		}
	}
	return nil
}

// Stage is one reminder of a cycle: which, and the day it is due.
type Stage struct {
	// Name is "before-30", "before-7", "due" or "overdue-N".
	Name string `json:"name"`
	// Day is the first day the stage may be sent.
	Day training.Date `json:"day"`
}

// StageAt returns the latest stage of the cycle for due date due whose
// day is on or before asOf: the one reminder a run on asOf may send. A
// run that missed earlier stages (the service was down) therefore sends
// only the most recent one. The name depends only on the due date and
// the stage's day, so every run on any replica agrees on it.
func (p Policy) StageAt(due, asOf training.Date) (Stage, bool) {
	until := asOf.DaysUntil(due) // > 0 before the due date
	if until < 0 && p.OverdueEveryDays > 0 {
		if n := -until / p.OverdueEveryDays; n >= 1 {
			return Stage{Name: "overdue-" + strconv.Itoa(n), Day: due.AddDays(n * p.OverdueEveryDays)}, true
		}
	}
	if until <= 0 && !p.NoDueDateReminder {
		return Stage{Name: "due", Day: due}, true
	}
	best := -1 // the nearest stage already reached: the smallest b >= until
	for _, b := range p.BeforeDays {
		if b >= until && (best < 0 || b < best) {
			best = b
		}
	}
	if best < 0 {
		return Stage{}, false
	}
	return Stage{Name: "before-" + strconv.Itoa(best), Day: due.AddDays(-best)}, true
}

// backoff returns the wait before the next attempt after attempts failures.
func (p Policy) backoff(attempts int) time.Duration {
	d := p.RetryFirst
	for i := 1; i < attempts && d < p.RetryMax; i++ {
		d *= 2
	}
	return min(d, p.RetryMax)
}

// ReminderKey is the ledger key of one (officer, course, stage, due date):
// "remind|officer|course|stage|YYYY-MM-DD".
func ReminderKey(officerID, courseID, stage string, due training.Date) string {
	iso := due.String()
	var b strings.Builder
	b.Grow(reminderKeyLen(officerID, courseID, stage, iso))
	writeReminderKey(&b, officerID, courseID, stage, iso)
	return b.String()
}

// reminderKeyLen is the length of ReminderKey's key, given the due date
// as YYYY-MM-DD (dueISO).
func reminderKeyLen(officerID, courseID, stage, dueISO string) int {
	return len("remind|") + len(officerID) + 1 + len(courseID) + 1 + len(stage) + 1 + len(dueISO)
}

// writeReminderKey writes ReminderKey's key to b: its one definition,
// which PlanReminders also writes into shared blocks (keyChunk).
func writeReminderKey(b *strings.Builder, officerID, courseID, stage, dueISO string) {
	for i, part := range [...]string{"remind", officerID, courseID, stage, dueISO} {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(part)
	}
}

// DigestKey is the ledger key of one weekly digest ("line" or "unit").
func DigestKey(kind, recipient string, week string) string {
	return strings.Join([]string{"digest", kind, recipient, week}, "|")
}

// ISOWeek names the ISO week of d, e.g. "2026-W48".
func ISOWeek(d training.Date) string {
	y, w := d.Time().ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
