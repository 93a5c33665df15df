package importers

import (
	"testing"

	"github.com/muster-police/muster/training"
)

func TestNearestField(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   Field
	}{
		{"Warrent No", FieldID}, {"Emial", FieldEmail}, {"Surnmae", FieldSurname}, {"Line Manger", FieldLineManager},
		{"Strat Date", FieldStartDate}, {"Favourite colour", ""}, {"X", ""},
	} {
		if got, _, _ := nearestField(tc.header); got != tc.want {
			t.Errorf("nearestField(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}

// TestMappingTakesPickListWords: the upload form's box reads the pick
// list's own words as well as the short names.
func TestMappingTakesPickListWords(t *testing.T) {
	courses := []training.Course{{ID: "cse-recognition", Title: "CSE recognition"}}
	for s, want := range map[string]target{
		"officer ID": {field: FieldID}, "id": {field: FieldID}, "Ignore this column": {field: FieldIgnore},
		"completion date of CSE recognition": {field: FieldCourseColumn, course: "cse-recognition"},
		"course:cse-recognition":             {field: FieldCourseColumn, course: "cse-recognition"},
	} {
		got, err := parseTarget(s, courses)
		if err != nil || got != want {
			t.Errorf("parseTarget(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	if _, err := parseTarget("shoe size", courses); err == nil {
		t.Error("parseTarget took a made-up field")
	}
}
