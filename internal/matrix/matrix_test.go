package matrix_test

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/muster-police/muster/internal/matrix"
	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

var asOf = training.DateOf(demo.Now())

// force is a demo force as a Dataset: audiences (so some people are not
// required), exemptions, leavers, every status.
func force(t *testing.T, n, units int) *training.Dataset {
	t.Helper()
	return demo.Dataset(demo.Force(7, n, units, asOf), demo.Courses())
}

var hr = reports.Viewer{User: training.User{Username: "hr", Role: training.RoleHR}, Scope: training.Scope{All: true}}

func build(t *testing.T, ds *training.Dataset, v reports.Viewer, req matrix.Request) *matrix.Matrix {
	t.Helper()
	m, err := matrix.Build(ds, reports.UnitsOf(ds), v, req, asOf)
	if err != nil {
		t.Fatalf("Build(%+v): %v", req, err)
	}
	return m
}

// TestMatrixEqualsEvaluate: every cell is what training.Evaluate decides
// for that person and course, every active person in the unit is one row,
// and no leaver is.
func TestMatrixEqualsEvaluate(t *testing.T) {
	ds := force(t, 800, 12)
	m := build(t, ds, hr, matrix.Request{})
	if len(m.Courses) != len(ds.Courses) {
		t.Fatalf("%d columns, want %d", len(m.Courses), len(ds.Courses))
	}
	seen := map[string]bool{}
	kinds := map[training.Status]int{}
	for _, r := range m.Rows {
		o, ok := ds.Officers[r.Person.ID]
		if !ok || !o.Active() || seen[o.ID] {
			t.Fatalf("row %s: on the roster %v, active %v, seen before %v", r.Person.ID, ok, o.Active(), seen[o.ID])
		}
		seen[o.ID] = true
		if r.Person.Name != o.Name || r.Person.Unit != o.Unit {
			t.Errorf("row %s names %q in %q, want %q in %q", o.ID, r.Person.Name, r.Person.Unit, o.Name, o.Unit)
		}
		days := 0
		for i, c := range ds.Courses {
			cs := training.Evaluate(o, c, ds.Completions[o.ID], ds.Exemptions[o.ID], asOf)
			got := r.Cells[i]
			var done training.Date
			if cs.Completion != nil {
				done = cs.Completion.Date
			}
			if got.Course != c.ID || got.Status != cs.Status || got.Due != cs.Due || got.Expires != cs.Expires || got.Completed != done {
				t.Errorf("%s on %s: cell %+v, Evaluate %+v", o.ID, c.ID, got, cs)
			}
			if cs.Status == training.StatusExempt && cs.Exemption != nil && got.ExemptUntil != cs.Exemption.Until {
				t.Errorf("%s on %s: exempt until %s, want %s", o.ID, c.ID, got.ExemptUntil, cs.Exemption.Until)
			}
			if cs.Status == training.StatusOverdue {
				days = max(days, cs.Due.DaysUntil(asOf))
			}
			kinds[cs.Status]++
		}
		if r.DaysOverdue != days {
			t.Errorf("%s: %d days overdue, want %d", o.ID, r.DaysOverdue, days)
		}
	}
	active := 0
	for _, o := range ds.Officers {
		if o.Active() {
			active++
		}
	}
	if len(m.Rows) != active || m.People != active {
		t.Errorf("%d rows, %d people; want %d active officers", len(m.Rows), m.People, active)
	}
	for _, s := range []training.Status{training.StatusCompliant, training.StatusOverdue, training.StatusDueSoon, training.StatusOutstanding, training.StatusNotRequired} {
		if kinds[s] == 0 {
			t.Errorf("the demo force has no cell %s: the test proves less than it says", s)
		}
	}
}

// TestMatrixSortAndFilter: the default order is most days overdue first;
// name and unit orders; a status filter keeps exactly the people with a
// course in that status.
func TestMatrixSortAndFilter(t *testing.T) {
	ds := force(t, 800, 12)
	m := build(t, ds, hr, matrix.Request{})
	if m.Sort != matrix.SortOverdue {
		t.Errorf("default sort %q", m.Sort)
	}
	if !sort.SliceIsSorted(m.Rows, func(i, j int) bool { return m.Rows[i].DaysOverdue > m.Rows[j].DaysOverdue }) || m.Rows[0].DaysOverdue == 0 {
		t.Errorf("not most overdue first: first row %d days", m.Rows[0].DaysOverdue)
	}
	byName := build(t, ds, hr, matrix.Request{Sort: "name"})
	if !sort.SliceIsSorted(byName.Rows, func(i, j int) bool {
		return strings.ToLower(byName.Rows[i].Person.Name) < strings.ToLower(byName.Rows[j].Person.Name)
	}) {
		t.Error("sort=name is not by name")
	}
	byUnit := build(t, ds, hr, matrix.Request{Sort: "unit"})
	if !sort.SliceIsSorted(byUnit.Rows, func(i, j int) bool { return byUnit.Rows[i].Person.Unit < byUnit.Rows[j].Person.Unit }) {
		t.Error("sort=unit is not by unit")
	}
	for _, st := range []training.Status{training.StatusOverdue, training.StatusExempt, training.StatusNotRequired} {
		f := build(t, ds, hr, matrix.Request{Status: string(st)})
		want := 0
		for _, r := range m.Rows {
			for _, c := range r.Cells {
				if c.Status == st {
					want++
					break
				}
			}
		}
		if len(f.Rows) != want || want == 0 || f.People != m.People {
			t.Errorf("status=%s: %d rows (of %d people), want %d (of %d)", st, len(f.Rows), f.People, want, m.People)
		}
	}
	for _, req := range []matrix.Request{{Sort: "shoe size"}, {Status: "late"}, {AsOf: "tomorrow"}} {
		if _, err := matrix.Build(ds, reports.UnitsOf(ds), hr, req, asOf); !errors.Is(err, training.ErrInvalid) {
			t.Errorf("%+v: %v, want invalid", req, err)
		}
	}
}

// TestMatrixScope: a manager gets their units' people only, and a unit
// outside them is forbidden (an unknown one for HR is not found).
func TestMatrixScope(t *testing.T) {
	ds := force(t, 800, 12)
	units := demo.Units(12)
	mgr := training.User{Username: "sgt", Role: training.RoleManager, Units: []string{units[0]}}
	v := reports.Viewer{User: mgr, Scope: training.ScopeFor(mgr, ds)}
	m := build(t, ds, v, matrix.Request{Unit: units[0]})
	if len(m.Rows) == 0 {
		t.Fatal("the manager's own unit is empty")
	}
	for _, r := range m.Rows {
		if !training.InUnit(r.Person.Unit, units[0]) {
			t.Errorf("%s of %s in %s's matrix", r.Person.ID, r.Person.Unit, units[0])
		}
	}
	// No unit (or one above theirs): only their own people, never their neighbours.
	up := build(t, ds, v, matrix.Request{})
	if len(up.Rows) != len(m.Rows) || up.People != m.People {
		t.Errorf("the whole of what %s may see shows %d rows, want the unit's %d", mgr.Username, len(up.Rows), len(m.Rows))
	}
	if _, err := matrix.Build(ds, reports.UnitsOf(ds), v, matrix.Request{Unit: units[1]}, asOf); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("another unit: %v, want forbidden", err)
	}
	if _, err := matrix.Build(ds, reports.UnitsOf(ds), hr, matrix.Request{Unit: "No Such / Unit"}, asOf); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("unknown unit: %v, want not found", err)
	}
}

// TestMatrixBounded: a unit of more than MaxPeople is refused with a
// message that says what to do; a unit below it is not.
func TestMatrixBounded(t *testing.T) {
	ds := force(t, matrix.MaxPeople+300, 40)
	_, err := matrix.Build(ds, reports.UnitsOf(ds), hr, matrix.Request{}, asOf)
	if !errors.Is(err, training.ErrInvalid) || training.FieldOf(err) != "unit" || !strings.Contains(training.MessageOf(err), "choose a unit below it") {
		t.Fatalf("whole force of %d: %v (field %q)", matrix.MaxPeople+300, err, training.FieldOf(err))
	}
	build(t, ds, hr, matrix.Request{Unit: demo.Units(40)[0]})
}

// TestCellWords: a cell says what training.Describe says, with the
// completion date beside a compliant status.
func TestCellWords(t *testing.T) {
	d := func(s string) training.Date { x, _ := training.ParseDate(s); return x }
	done := &training.Completion{Date: d("2025-03-04")}
	for _, tc := range []struct {
		cs   training.CourseStatus
		want string
	}{
		{training.CourseStatus{Status: training.StatusOverdue, Due: d("2026-01-02")}, "Overdue — was due 02/01/2026"},
		{training.CourseStatus{Status: training.StatusCompliant, Completion: done, Expires: d("2026-03-04")}, "Compliant until 03/03/2026 (completed 04/03/2025)"},
		{training.CourseStatus{Status: training.StatusExempt, Exemption: &training.Exemption{Until: d("2026-06-30")}}, "Exempt until 30/06/2026"},
		{training.CourseStatus{Status: training.StatusNotRequired}, "Not required"},
	} {
		c := matrix.CellOf(tc.cs)
		if got := c.Words(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.cs, got, tc.want)
		}
		if want := training.Describe(tc.cs); c.Label != want.Label || !strings.HasPrefix(c.DateText(), want.Detail) || c.Class != want.Class {
			t.Errorf("%+v: cell %+v, Describe %+v", tc.cs, c, want)
		}
	}
}
