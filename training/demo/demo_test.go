package demo

import (
	"reflect"
	"testing"

	"github.com/muster-police/muster/training"
)

func TestForceIsDeterministicAndRealistic(t *testing.T) {
	asOf := training.DateFrom(2026, 11, 24)
	a := Force(7, 3000, 200, asOf)
	b := Force(7, 3000, 200, asOf)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different forces")
	}
	if len(a.Officers) != 3000 {
		t.Fatalf("officers = %d, want 3000", len(a.Officers))
	}
	units := map[string]bool{}
	ids := map[string]bool{}
	leavers := 0
	for _, o := range a.Officers {
		units[o.Unit] = true
		if ids[o.ID] {
			t.Fatalf("duplicate officer ID %s", o.ID)
		}
		ids[o.ID] = true
		if o.Leaver {
			leavers++
		}
		if len(training.SplitUnit(o.Unit)) != 3 {
			t.Fatalf("unit %q is not three levels deep", o.Unit)
		}
	}
	if len(units) != 200 {
		t.Errorf("units = %d, want 200", len(units))
	}
	if leavers == 0 || leavers > 150 {
		t.Errorf("leavers = %d, want about 2%%", leavers)
	}
	for _, c := range a.Completions {
		if c.Date.After(asOf) {
			t.Fatalf("completion %v is after the as-of date", c.Date)
		}
	}
	ds := Dataset(a, training.DefaultCourses())
	r, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Courses {
		if c.Percent == nil || c.Percent.Float() < 20 || c.Percent.Float() > 90 {
			t.Errorf("course %s: percent %v is not a realistic mix", c.Course, c.Percent)
		}
		if c.Overdue == 0 || c.Exempt == 0 {
			t.Errorf("course %s: want some overdue and some exempt, got %+v", c.Course, c.Counts)
		}
	}
}

func TestUnitsAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, u := range Units(2000) {
		if seen[u] {
			t.Fatalf("unit %q repeated", u)
		}
		seen[u] = true
	}
}
