package training

import (
	"strconv"
	"strings"
)

// This file is the escalation rule (docs/COMPLIANCE.md, "Escalation"):
// who counts as escalated on a day, who hears of them up the line, and
// how the digest words it.

// MaxEscalateAfterDays bounds Course.EscalateAfterDays (ten years): a
// larger number is a typing slip, not a policy.
const MaxEscalateAfterDays = 3650

// DaysOverdue is how many days past its due date cs is on asOf: 1 on the
// first overdue day (the day after the due date); 0 when cs is not
// overdue.
func DaysOverdue(cs CourseStatus, asOf Date) int {
	if cs.Status != StatusOverdue || cs.Due.IsZero() {
		return 0
	}
	return cs.Due.DaysUntil(asOf)
}

// Escalated reports whether a person whose status on course c as of asOf
// is cs (from Evaluate, so the due date is the one every page uses) is
// escalated: overdue for at least the course's escalate_after_days.
// Courses without the setting never escalate; exempt and not required
// people are never overdue, so never escalated.
func Escalated(c Course, cs CourseStatus, asOf Date) bool {
	return c.EscalateAfterDays > 0 && cs.CourseID == c.ID && DaysOverdue(cs, asOf) >= c.EscalateAfterDays
}

// DescribeEscalation words an escalated status: the status as every page
// says it (Describe) and how long it has been overdue, e.g. "Overdue —
// was due 31/03/2026 (90 days overdue)".
func DescribeEscalation(cs CourseStatus, asOf Date) string {
	n := DaysOverdue(cs, asOf)
	days := strconv.Itoa(n) + " days"
	if n == 1 {
		days = "1 day"
	}
	return Describe(cs).Words + " (" + days + " overdue)"
}

// LineChain resolves the roster's line-manager column: an officer's
// LineManager names another officer by ID or by email. Use one from one
// goroutine (its index of emails is built on first use).
type LineChain struct {
	officers map[string]Officer
	byEmail  map[string]string // built on first use: most rosters name managers by ID
}

// NewLineChain indexes ds's officers for line-manager look-ups. Only
// active officers can be line managers.
func NewLineChain(ds *Dataset) *LineChain {
	return &LineChain{officers: ds.Officers}
}

// byEmailOf is the active officer whose email is addr (lower-cased), or "".
// The index costs a map entry per person (a second at a million people),
// so it is built the first time a line manager is named by email.
func (l *LineChain) byEmailOf(addr string) string {
	if l.byEmail == nil {
		l.byEmail = make(map[string]string, len(l.officers))
		for id, o := range l.officers {
			if o.Active() && o.Email != "" {
				l.byEmail[strings.ToLower(o.Email)] = id
			}
		}
	}
	return l.byEmail[addr]
}

// Manager returns the ID of o's line manager: the active officer o's
// LineManager names, never o themself; "" when there is none (no entry, a
// missing record, a leaver).
func (l *LineChain) Manager(o Officer) string {
	if o.LineManager == "" {
		return ""
	}
	id := NormalizeID(o.LineManager)
	if strings.Contains(o.LineManager, "@") {
		id = l.byEmailOf(strings.ToLower(strings.TrimSpace(o.LineManager)))
	}
	if m, ok := l.officers[id]; !ok || !m.Active() || id == o.ID {
		return ""
	}
	return id
}

// ManagerAbove returns the ID of o's line manager's own line manager, the
// one an escalation goes to; "" when a record in the chain is missing or
// a leaver, or the chain loops back to o or to the line manager.
func (l *LineChain) ManagerAbove(o Officer) string {
	m := l.Manager(o)
	if m == "" {
		return ""
	}
	above := l.Manager(l.officers[m])
	if above == "" || above == o.ID || above == m {
		return ""
	}
	return above
}

// UnitAbove is the parent of the unit path u: the unit whose managers hear
// of people escalated in u; "" for a top-level unit (or none).
func UnitAbove(u string) string {
	parts := SplitUnit(u)
	if len(parts) < 2 {
		return ""
	}
	return strings.Join(parts[:len(parts)-1], UnitSep)
}
