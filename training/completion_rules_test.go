package training_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

func TestFindCourse(t *testing.T) {
	courses := training.DefaultCourses() // cse-recognition (alias "CSE"), trauma-informed-communication (alias "TIC")
	old := training.Course{ID: "old-cse", Title: "Old CSE", Aliases: []string{"CSE", "Legacy"}, Retired: true}
	courses = append([]training.Course{old}, courses...)
	tests := []struct {
		name, want string // want "" = no match
	}{
		{"cse-recognition", "cse-recognition"},
		{"CSE-Recognition", "cse-recognition"},
		{"CSE recognition", "cse-recognition"},
		{"  cse   recognition ", "cse-recognition"},
		{"tic", "trauma-informed-communication"},
		// A retired course's name now belongs to the active course that took it.
		{"CSE", "cse-recognition"},
		// A retired course is still found by its ID and by names nobody took.
		{"old-cse", "old-cse"},
		{"legacy", "old-cse"},
		{"knitting", ""},
		{"", ""},
		{"cse recog", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := training.FindCourse(courses, tt.name)
			if ok != (tt.want != "") || c.ID != tt.want {
				t.Errorf("FindCourse(%q) = %q, %v; want %q", tt.name, c.ID, ok, tt.want)
			}
		})
	}
}

func TestNewCompletion(t *testing.T) {
	ds := &training.Dataset{Courses: training.DefaultCourses(), Officers: map[string]training.Officer{"A1": {ID: "A1", Name: "Alice"}}}
	today := training.DateFrom(2026, 11, 24)
	src := training.Source{ImportID: "api-1", By: "lms"}
	tests := []struct {
		name, officer, course, date string
		problem                     string // "" = ok
	}{
		{"ok", "A1", "CSE", "2026-11-01", ""},
		{"today", " a1 ", "cse-recognition", "2026-11-24", ""},
		{"no officer", "", "CSE", "2026-11-01", "officer_id is missing"},
		{"unknown officer", "Z9", "CSE", "2026-11-01", `no officer with ID "Z9"`},
		{"unknown course", "A1", "knitting", "2026-11-01", `no course "knitting"`},
		{"not ISO", "A1", "CSE", "01/11/2026", "not in the form YYYY-MM-DD"},
		{"tomorrow", "A1", "CSE", "2026-11-25", "in the future"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := training.NewCompletion(ds, tt.officer, tt.course, tt.date, today, src)
			if tt.problem == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.OfficerID != "A1" || c.CourseID != "cse-recognition" || c.Source != src || c.DateUnknown {
					t.Errorf("completion %+v", c)
				}
				return
			}
			if !errors.Is(err, training.ErrInvalid) || !strings.Contains(err.Error(), tt.problem) {
				t.Errorf("error %v, want ErrInvalid saying %q", err, tt.problem)
			}
		})
	}
}

func TestCompletionFloor(t *testing.T) {
	today := training.DateFrom(2026, 11, 24)
	for _, tc := range []struct {
		d  training.Date
		ok bool
	}{
		{training.DateFrom(1, 1, 1), false},
		{training.DateFrom(1969, 12, 31), false},
		{training.DateFrom(1970, 1, 1), true},
		{today, true},
	} {
		if err := training.CheckCompletionDate(tc.d, today); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.d, err)
		}
	}
}
