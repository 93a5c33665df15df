package training

import (
	"errors"
	"testing"
)

func TestCheckCourseNames(t *testing.T) {
	existing := DefaultCourses() // cse-recognition (alias "CSE"), trauma-informed-communication (alias "TIC")
	tests := []struct {
		name    string
		changed []Course
		field   string // "" = no error
		other   string
	}{
		{"a new course with its own names", []Course{{ID: "first-aid", Title: "First aid", Aliases: []string{"FA"}}}, "", ""},
		{"an alias another course uses", []Course{{ID: "first-aid", Title: "First aid", Aliases: []string{"cse"}}}, "aliases", "cse-recognition"},
		{"a title another course uses as an alias", []Course{{ID: "first-aid", Title: "TIC"}}, "title", "trauma-informed-communication"},
		{"a course keeps its own names", []Course{existing[0]}, "", ""},
		{"two changed courses clash", []Course{{ID: "a", Title: "A", Aliases: []string{"X"}}, {ID: "b", Title: "B", Aliases: []string{" x "}}}, "aliases", "a"},
		{"a renamed course frees its old name", []Course{{ID: "cse-recognition", Title: "CSE"}, {ID: "other", Title: "CSE awareness"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCourseNames(existing, tt.changed...)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			var ne *CourseNameError
			if !errors.As(err, &ne) || !errors.Is(err, ErrInvalid) || ne.Field != tt.field || ne.Other != tt.other {
				t.Fatalf("err = %#v, want field %s, other %s", err, tt.field, tt.other)
			}
		})
	}
}

func TestCheckUnits(t *testing.T) {
	ds := scopeFixture() // Force / A / T1, T2; Force / B / T8, T9
	got, err := CheckUnits(ds, []string{"force/a", " Force / B / T9 ", "", "Force / A"})
	if err != nil || len(got) != 2 || got[0] != "Force / A" || got[1] != "Force / B / T9" {
		t.Fatalf("CheckUnits = %q, %v", got, err)
	}
	_, err = CheckUnits(ds, []string{"Force / A", "Frontline / T9"})
	var ue *UnknownUnitError
	if !errors.As(err, &ue) || !errors.Is(err, ErrInvalid) || ue.Unit != "Frontline / T9" || ue.Suggest != "Force / B / T9" {
		t.Fatalf("unknown unit: %#v", err)
	}
	// No roster yet: nothing to check against, only normalised.
	if got, err := CheckUnits(&Dataset{}, []string{"a/b"}); err != nil || got[0] != "a / b" {
		t.Fatalf("empty roster: %q %v", got, err)
	}
}
