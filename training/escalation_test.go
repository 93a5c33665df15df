package training

import (
	"errors"
	"testing"
)

func TestEscalated(t *testing.T) {
	course := Course{ID: "c", Title: "C", Deadline: d("2026-03-31"), DueWithinDays: 90, ValidForMonths: 12, DueSoonDays: 30, EscalateAfterDays: 90}
	never := course
	never.EscalateAfterDays = 0
	onlyStaff := course
	onlyStaff.Audience = Audience{Include: []AudienceRule{{StaffType: Words{"staff"}}}}
	serving := Officer{ID: "1", StartDate: d("2010-01-01"), FirstSeen: d("2026-01-01"), StaffType: StaffOfficer}
	leaver := serving
	leaver.Leaver, leaver.LeftOn = true, d("2026-05-01")
	// R recorded on 2026-05-01 (moved into the audience): due 2026-07-30.
	moved := serving
	moved.RequiredSince = map[string]Date{"c": d("2026-05-01")}
	// An approved extension to 2026-05-31 moves the due date escalation counts from.
	extended := serving
	extended.Extensions = map[string]Extension{"c": {Until: d("2026-05-31"), By: "Sam Sergeant"}}
	lapsed := []Completion{{OfficerID: "1", CourseID: "c", Date: d("2025-01-15")}} // expires 2026-01-15
	exempt := []Exemption{{OfficerID: "1", CourseID: "c", From: d("2026-06-01")}}
	tests := []struct {
		name    string
		officer Officer
		course  Course
		comps   []Completion
		exs     []Exemption
		asOf    string
		want    bool
		days    int
	}{
		{"day 89 overdue: not yet", serving, course, nil, nil, "2026-06-28", false, 89},
		{"day 90 overdue: escalated", serving, course, nil, nil, "2026-06-29", true, 90},
		{"long overdue: still escalated", serving, course, nil, nil, "2026-12-01", true, 245},
		{"due date itself is not overdue", serving, course, nil, nil, "2026-03-31", false, 0},
		{"course without the setting never escalates", serving, never, nil, nil, "2026-12-01", false, 245},
		{"lapsed completion counts from its expiry", serving, course, lapsed, nil, "2026-04-15", true, 90},
		{"lapsed: day 89", serving, course, lapsed, nil, "2026-04-14", false, 89},
		{"R moves the due date", moved, course, nil, nil, "2026-10-27", false, 89},
		{"R moves the due date: day 90", moved, course, nil, nil, "2026-10-28", true, 90},
		{"extended: day 89 after the extended date", extended, course, nil, nil, "2026-08-28", false, 89},
		{"extended: day 90 after the extended date", extended, course, nil, nil, "2026-08-29", true, 90},
		{"exempt people never", serving, course, nil, exempt, "2026-12-01", false, 0},
		{"leavers never", leaver, course, nil, nil, "2026-12-01", false, 0},
		{"outside the audience never", serving, onlyStaff, nil, nil, "2026-12-01", false, 0},
		{"a completion ends it", serving, course, []Completion{{OfficerID: "1", CourseID: "c", Date: d("2026-11-01")}}, nil, "2026-12-01", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asOf := d(tt.asOf)
			cs := Evaluate(tt.officer, tt.course, tt.comps, tt.exs, asOf)
			if got := Escalated(tt.course, cs, asOf); got != tt.want {
				t.Errorf("Escalated = %v, want %v (status %s, due %s)", got, tt.want, cs.Status, cs.Due)
			}
			if got := DaysOverdue(cs, asOf); got != tt.days {
				t.Errorf("DaysOverdue = %d, want %d", got, tt.days)
			}
		})
	}
}

func TestDescribeEscalation(t *testing.T) {
	c := Course{ID: "c", Deadline: d("2026-03-31"), DueWithinDays: 90, EscalateAfterDays: 1}
	o := Officer{ID: "1", StartDate: d("2010-01-01")}
	for asOf, want := range map[string]string{
		"2026-04-01": "Overdue — was due 31/03/2026 (1 day overdue)",
		"2026-06-29": "Overdue — was due 31/03/2026 (90 days overdue)",
	} {
		if got := DescribeEscalation(Evaluate(o, c, nil, nil, d(asOf)), d(asOf)); got != want {
			t.Errorf("%s: %q, want %q", asOf, got, want)
		}
	}
}

func TestEscalateAfterDaysValidated(t *testing.T) {
	for _, n := range []int{-1, MaxEscalateAfterDays + 1} {
		c := Course{ID: "c", Title: "C", EscalateAfterDays: n}.Normalize()
		var e *Error
		if err := c.Validate(); !errors.As(err, &e) || e.Field != "escalate_after_days" {
			t.Errorf("escalate_after_days %d: %v, want an error on escalate_after_days", n, err)
		}
	}
	for _, n := range []int{0, 1, MaxEscalateAfterDays} {
		if err := (Course{ID: "c", Title: "C", EscalateAfterDays: n}).Normalize().Validate(); err != nil {
			t.Errorf("escalate_after_days %d: %v", n, err)
		}
	}
}

func TestLineChain(t *testing.T) {
	ds := &Dataset{Officers: map[string]Officer{
		"P":    {ID: "P", LineManager: "S"},
		"S":    {ID: "S", LineManager: "i@x.uk"}, // by email
		"I":    {ID: "I", Email: "i@x.uk", LineManager: "C"},
		"C":    {ID: "C"},
		"L1":   {ID: "L1", LineManager: "L2"}, // L1 -> L2 -> L1
		"L2":   {ID: "L2", LineManager: "L1"},
		"Q":    {ID: "Q", LineManager: "M"}, // M is their own manager
		"M":    {ID: "M", LineManager: "M"},
		"R":    {ID: "R", LineManager: "GONE"}, // no such record
		"T":    {ID: "T", LineManager: "LEFT"}, // a leaver
		"U":    {ID: "U", LineManager: "T"},    // T's manager is a leaver
		"LEFT": {ID: "LEFT", Leaver: true, LineManager: "C"},
		"V":    {ID: "V", LineManager: "C"}, // C has no manager
	}}
	l := NewLineChain(ds)
	tests := []struct{ id, manager, above string }{
		{"P", "S", "I"},
		{"S", "I", "C"},
		{"L1", "L2", ""},
		{"Q", "M", ""},
		{"M", "", ""},
		{"R", "", ""},
		{"T", "", ""},
		{"U", "T", ""},
		{"V", "C", ""},
	}
	for _, tt := range tests {
		o := ds.Officers[tt.id]
		if got := l.Manager(o); got != tt.manager {
			t.Errorf("Manager(%s) = %q, want %q", tt.id, got, tt.manager)
		}
		if got := l.ManagerAbove(o); got != tt.above {
			t.Errorf("ManagerAbove(%s) = %q, want %q", tt.id, got, tt.above)
		}
	}
	for u, want := range map[string]string{"A / B / C": "A / B", "A / B": "A", "A": "", "": ""} {
		if got := UnitAbove(u); got != want {
			t.Errorf("UnitAbove(%q) = %q, want %q", u, got, want)
		}
	}
}
