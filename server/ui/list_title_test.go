package ui

import (
	"testing"

	"github.com/muster-police/muster/training"
)

func TestListTitle(t *testing.T) {
	courses := []training.Course{{ID: "cse-recognition", Title: "CSE recognition"}}
	today := training.NewDate(2026, 11, 24)
	for _, tc := range []struct {
		q             officerQuery
		n             int
		heading, file string
	}{
		{officerQuery{AsOf: today}, 3000, "Everyone — 3,000 people", "officers-2026-11-24"},
		{officerQuery{Status: training.StatusOverdue, Course: "cse-recognition", Unit: "Central West / CID", AsOf: today}, 11,
			"Overdue for CSE recognition in Central West / CID — 11 people", "overdue-cse-recognition-central-west-cid-2026-11-24"},
		{officerQuery{Course: "cse-recognition", AsOf: today}, 1, "Everyone on CSE recognition — 1 person", "cse-recognition-2026-11-24"},
		{officerQuery{Status: training.StatusDueSoon, Q: "Smith", AsOf: today.AddDays(7)}, 2,
			"Due soon matching “Smith” as of 01/12/2026 — 2 people", "due-soon-smith-2026-12-01"},
	} {
		h, f := listTitle(tc.q, courses, today, tc.n)
		if h != tc.heading || f != tc.file {
			t.Errorf("%+v: got %q, %q; want %q, %q", tc.q, h, f, tc.heading, tc.file)
		}
	}
}
