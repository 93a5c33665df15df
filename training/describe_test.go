package training

import "testing"

func TestDescribe(t *testing.T) {
	c := Course{ID: "cse", Title: "CSE", ValidForMonths: 36, DueSoonDays: 30, DueWithinDays: 90, Deadline: NewDate(2026, 3, 31)}
	o := Officer{ID: "A1", Name: "Ann", FirstSeen: NewDate(2025, 1, 1)}
	done := []Completion{{CourseID: "cse", Date: NewDate(2023, 12, 25)}} // expires 25/12/2026
	for _, tc := range []struct {
		name  string
		comps []Completion
		exs   []Exemption
		asOf  Date
		words string
		class string
	}{
		{"valid, outside the window", done, nil, NewDate(2026, 11, 1), "Compliant until 24/12/2026", "compliant"},
		{"valid, inside the window", done, nil, NewDate(2026, 11, 25), "Compliant until 24/12/2026 — renew by 25/12/2026", "renew"},
		{"last valid day", done, nil, NewDate(2026, 12, 24), "Compliant until 24/12/2026 — renew by 25/12/2026", "renew"},
		{"lapsed today", done, nil, NewDate(2026, 12, 25), "Due soon — expired, renew by 25/12/2026", "due_soon"},
		{"lapsed and overdue", done, nil, NewDate(2027, 1, 2), "Overdue — renewal was due 25/12/2026", "overdue"},
		{"never done, overdue", nil, nil, NewDate(2026, 4, 1), "Overdue — was due 31/03/2026", "overdue"},
		{"never done, due soon", nil, nil, NewDate(2026, 3, 20), "Due soon — due by 31/03/2026", "due_soon"},
		{"never done, not yet due", nil, nil, NewDate(2026, 1, 1), "Outstanding — due by 31/03/2026", "outstanding"},
		{"exempt", nil, []Exemption{{CourseID: "cse", Until: NewDate(2027, 1, 1)}}, NewDate(2026, 1, 1), "Exempt until 01/01/2027", "exempt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Describe(Evaluate(o, c, tc.comps, tc.exs, tc.asOf))
			if d.Words != tc.words || d.Class != tc.class {
				t.Errorf("got %q (%s), want %q (%s)", d.Words, d.Class, tc.words, tc.class)
			}
		})
	}
	never := c
	never.ValidForMonths = 0
	if d := Describe(Evaluate(o, never, done, nil, NewDate(2030, 1, 1))); d.Words != "Compliant (does not expire)" {
		t.Errorf("never expires: %q", d.Words)
	}
	left := o
	left.Leaver = true
	if d := Describe(Evaluate(left, c, nil, nil, NewDate(2026, 1, 1))); d.Words != "Not required" {
		t.Errorf("leaver: %q", d.Words)
	}
}

// TestDescribeRenewWindow: a course with a longer early-renewal window
// says "renew by" from the start of that window.
func TestDescribeRenewWindow(t *testing.T) {
	c := Course{ID: "cse", ValidForMonths: 36, DueSoonDays: 30, RenewWithinDays: 90}
	o := Officer{ID: "A1", FirstSeen: NewDate(2025, 1, 1)}
	done := []Completion{{CourseID: "cse", Date: NewDate(2023, 12, 25)}}
	if d := Describe(Evaluate(o, c, done, nil, NewDate(2026, 10, 1))); d.Words != "Compliant until 24/12/2026 — renew by 25/12/2026" {
		t.Errorf("inside the 90-day renewal window: %q", d.Words)
	}
	if d := Describe(Evaluate(o, c, done, nil, NewDate(2026, 9, 1))); d.Words != "Compliant until 24/12/2026" {
		t.Errorf("before the renewal window: %q", d.Words)
	}
}
