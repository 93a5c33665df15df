package training

import "strconv"

// This file is the one wording of a person's standing on a course
// (docs/COMPLIANCE.md, "Status in words"). The officer page, /me,
// reminders, digests and exports all print Describe, so an officer is
// never told "due soon" in one place and a plain "Compliant" in another.

// Description is one course status in words, for people.
type Description struct {
	// Label is the status in one or two words: "Compliant",
	// "Overdue", "Due soon", "Outstanding", "Exempt", "Not required".
	Label string
	// Detail is the dates that go with the label, e.g. "until 24/12/2026 —
	// renew by 25/12/2026"; "" when there are none.
	Detail string
	// Words is the whole sentence: Label and Detail, e.g. "Compliant until
	// 24/12/2026 — renew by 25/12/2026". Use it wherever one line is shown.
	Words string
	// Class names the colour: the status's name, or "renew" for a
	// completion that is valid but inside its renewal window.
	Class string
	// Until is the last day a valid completion counts (zero: never lapses).
	Until Date
	// RenewBy is the due date of the renewal once inside the renewal window.
	RenewBy Date
	// Extended is "extended to DATE by NAME" when an approved request
	// for more time set Due; "" otherwise.
	Extended string
	// Due is the date by which the course must be (re)done when not compliant.
	Due Date
}

// Describe words a course status. It is a pure function of the status:
// Evaluate has already decided the dates (including RenewBy).
func Describe(cs CourseStatus) Description {
	d := Description{Class: string(cs.Status), Due: cs.Due, RenewBy: cs.RenewBy}
	lapsed := cs.Completion != nil
	switch cs.Status {
	case StatusCompliant:
		d.Label = "Compliant"
		switch {
		case cs.Expires.IsZero():
			d.Detail = "(does not expire)"
		default:
			d.Until = cs.Expires.AddDays(-1)
			d.Detail = "until " + d.Until.UK()
			if !cs.RenewBy.IsZero() {
				d.Detail += " — renew by " + cs.RenewBy.UK()
				d.Class = "renew"
			}
		}
	case StatusOverdue:
		d.Label = "Overdue"
		if lapsed {
			d.Detail = "— renewal was due " + cs.Due.UK()
		} else {
			d.Detail = "— was due " + cs.Due.UK()
		}
	case StatusDueSoon:
		d.Label = "Due soon"
		if lapsed {
			d.Detail = "— expired, renew by " + cs.Due.UK()
		} else {
			d.Detail = "— due by " + cs.Due.UK()
		}
	case StatusOutstanding:
		d.Label = "Outstanding"
		d.Detail = "— due by " + cs.Due.UK()
	case StatusExempt:
		d.Label = "Exempt"
		if cs.Exemption != nil && !cs.Exemption.Until.IsZero() {
			d.Detail = "until " + cs.Exemption.Until.UK()
		}
	case StatusNotRequired:
		d.Label = "Not required"
	default:
		d.Label = string(cs.Status)
	}
	if cs.Extension != nil && cs.Status != StatusCompliant {
		// An approved request for more time (the due date is its Until).
		d.Detail += " (" + ExtensionWords(*cs.Extension) + ")"
		d.Extended = ExtensionWords(*cs.Extension)
	}
	d.Words = d.Label
	if d.Detail != "" {
		d.Words += " " + d.Detail
	}
	return d
}

// StatusLabel is a status in one or two words, as Describe labels it:
// for filters and counts, where there is no one person's dates.
func StatusLabel(s Status) string {
	return Describe(CourseStatus{Status: s}).Label
}

// FormatCount writes a count for people, with thousands separators:
// 1,843. Pages, emails and job summaries all use it.
func FormatCount(n int) string {
	if n < 0 {
		return "-" + FormatCount(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
