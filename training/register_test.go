package training_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

func TestSplitIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// A barcode scanner types each ID and Enter (or Tab); people paste
		// columns, comma lists, or type with spaces.
		{"A1\nA2\r\nB1\n", []string{"A1", "A2", "B1"}},
		{"A1, A2;B1\tB2  L1", []string{"A1", "A2", "B1", "B2", "L1"}},
		// Repeats (also in another case, or with leading zeros) count once.
		{"a1\nA1\n 0012345 \n12345", []string{"a1", "0012345"}},
		{" \n\t,, ", nil},
	}
	for _, tt := range tests {
		if got := training.SplitIDs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func registerData() *training.Dataset {
	courses := training.DefaultCourses()
	audience := courses[1]
	audience.Audience = training.Audience{Include: []training.AudienceRule{{Unit: training.Words{"Alpha"}}}}
	courses[1] = audience
	o := func(id, unit string) training.Officer {
		return training.Officer{ID: id, DisplayID: id, Name: "Name " + id, Unit: unit, StartDate: training.NewDate(2020, 1, 6)}
	}
	left := o("X1", "Alpha")
	left.Leaver = true
	return &training.Dataset{Courses: courses,
		Officers: map[string]training.Officer{"A1": o("A1", "Alpha / Team 1"), "A2": o("A2", "Alpha / Team 2"), "B1": o("B1", "Bravo"), "X1": left},
		Completions: map[string][]training.Completion{
			"A2": {{OfficerID: "A2", CourseID: "trauma-informed-communication", Date: training.NewDate(2026, 10, 1)}},
		}}
}

// TestCheckRegister: each line says who the ID is and flags unknown IDs
// (leavers too), people outside the audience and people already
// compliant; only known serving people are recorded.
func TestCheckRegister(t *testing.T) {
	ds := registerData()
	today := training.NewDate(2026, 11, 24)
	r, lines, err := training.CheckRegister(ds, training.RegisterInput{Course: "TIC", Date: "2026-11-20", Place: " Room  4 ",
		IDs: "a1\nA2\nB1\nZ9\nX1", Ticked: []string{"A1"}}, today)
	if err != nil {
		t.Fatal(err)
	}
	want := []training.RegisterLine{
		{Given: "a1", ID: "A1", Name: "Name A1", Unit: "Alpha / Team 1"},
		{Given: "A2", ID: "A2", Name: "Name A2", Unit: "Alpha / Team 2", Compliant: true},
		{Given: "B1", ID: "B1", Name: "Name B1", Unit: "Bravo", NotRequired: true},
		{Given: "Z9", ID: "Z9", Unknown: true},
		{Given: "X1", ID: "X1", Unknown: true},
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("lines\n got %+v\nwant %+v", lines, want)
	}
	if r.CourseID != "trauma-informed-communication" || r.Place != "Room 4" || !reflect.DeepEqual(r.Attendees, []string{"A1", "A2", "B1"}) {
		t.Errorf("register %+v", r)
	}
	for _, tt := range []struct {
		in    training.RegisterInput
		field string
	}{
		{training.RegisterInput{Date: "2026-11-20", Place: "x", IDs: "A1"}, "course"},
		{training.RegisterInput{Course: "knitting", Date: "2026-11-20", Place: "x", IDs: "A1"}, "course"},
		{training.RegisterInput{Course: "CSE", Date: "20/11/2026", Place: "x", IDs: "A1"}, "date"},
		{training.RegisterInput{Course: "CSE", Date: "2026-11-25", Place: "x", IDs: "A1"}, "date"},
		{training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: " ", IDs: "A1"}, "place"},
		{training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: "x", IDs: " ,\n"}, "ids"},
	} {
		_, _, err := training.CheckRegister(ds, tt.in, today)
		if !errors.Is(err, training.ErrInvalid) || training.FieldOf(err) != tt.field {
			t.Errorf("%+v: error %v (field %q), want invalid %q", tt.in, err, training.FieldOf(err), tt.field)
		}
	}
}

// TestRegisterWithdrawRule: withdrawable through the 14th day after the
// day it was saved (Europe/London), once, by its author or HR.
func TestRegisterWithdrawRule(t *testing.T) {
	saved := time.Date(2026, 11, 10, 23, 30, 0, 0, training.London)
	r := training.Register{ID: "reg-1", By: "tina", At: saved}
	tina := training.User{Username: "tina", Role: training.RoleTrainer}
	other := training.User{Username: "tom", Role: training.RoleTrainer}
	hr := training.User{Username: "hr", Role: training.RoleHR}
	lastDay := time.Date(2026, 11, 24, 23, 59, 0, 0, training.London)
	tests := []struct {
		name string
		u    training.User
		now  time.Time
		want error
	}{
		{"author at once", tina, saved, nil},
		{"author on the 14th day", tina, lastDay, nil},
		{"author on the 15th day", tina, lastDay.Add(2 * time.Minute), training.ErrConflict},
		{"another trainer", other, saved, training.ErrForbidden},
		{"HR", hr, lastDay, nil},
	}
	for _, tt := range tests {
		err := r.CanWithdraw(tt.u, tt.now)
		if (tt.want == nil) != (err == nil) || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	r.WithdrawnBy, r.WithdrawnAt = "tina", saved
	if err := r.CanWithdraw(hr, saved); !errors.Is(err, training.ErrConflict) {
		t.Errorf("withdrawn twice: %v", err)
	}
}

// TestRegisterRecord: a register survives its import log entry.
func TestRegisterRecord(t *testing.T) {
	r := training.Register{ID: "reg-1", CourseID: "cse-recognition", Date: training.NewDate(2026, 11, 20), Place: "Room 4",
		Attendees: []string{"A1"}, By: "tina", At: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Added: 1}
	rec := r.ImportRecord()
	if rec.Kind != training.ImportRegister || rec.Outcome != training.OutcomeApplied || rec.Summary.Completions != 1 {
		t.Errorf("record %+v", rec)
	}
	back, err := training.RegisterOf(rec)
	if err != nil || !reflect.DeepEqual(back, r) {
		t.Errorf("RegisterOf = %+v, %v", back, err)
	}
	if c := r.Completions()[0]; c.Source.ImportID != "reg-1" || c.Source.By != "tina" || c.Source.File != "Room 4" || !training.FromRegister(c.Source) {
		t.Errorf("completion source %+v", c.Source)
	}
	rec.Kind = training.ImportPartial
	if _, err := training.RegisterOf(rec); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("a file import read as a register: %v", err)
	}
}

// TestTakesOver: the stores' merge and the live model's ApplyChange both
// let another source's record of a completion replace a register's, and
// never the other way round.
func TestTakesOver(t *testing.T) {
	d := training.NewDate(2026, 11, 20)
	reg := training.Completion{OfficerID: "A1", CourseID: "cse", Date: d, Source: training.Source{ImportID: training.RegisterIDPrefix + "1"}}
	file := training.Completion{OfficerID: "A1", CourseID: "cse", Date: d, Source: training.Source{ImportID: "imp-1"}}
	got, changed := training.MergeCompletions([]training.Completion{reg}, []training.Completion{file})
	if !changed || len(got) != 1 || got[0].Source.ImportID != "imp-1" {
		t.Errorf("merge of a file's over a register's: %+v %v", got, changed)
	}
	got, changed = training.MergeCompletions([]training.Completion{file}, []training.Completion{reg})
	if changed || len(got) != 1 || got[0].Source.ImportID != "imp-1" {
		t.Errorf("merge of a register's over a file's: %+v %v", got, changed)
	}
	held := []training.Completion{reg}
	ds := &training.Dataset{Completions: map[string][]training.Completion{"A1": held}}
	if touched := training.ApplyChange(ds, training.Change{Revision: 2, Completions: []training.Completion{file}}); len(touched) != 1 ||
		ds.Completions["A1"][0].Source.ImportID != "imp-1" || held[0].Source.ImportID != reg.Source.ImportID {
		t.Errorf("ApplyChange: touched %v, now %+v, the old slice %+v", touched, ds.Completions["A1"], held)
	}
	if touched := training.ApplyChange(ds, training.Change{Revision: 3, Completions: []training.Completion{reg}}); len(touched) != 0 {
		t.Errorf("ApplyChange of a register's over a file's touched %v", touched)
	}
}
