package training

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// scopeFixture: Force / A / {T1, T2}, Force / B / T9; manager M leads B9.
func scopeFixture() *Dataset {
	start := DateFrom(2020, 1, 1)
	o := func(id, unit, lm string) Officer {
		return Officer{ID: id, Name: id, Unit: unit, LineManager: lm, StartDate: start}
	}
	ds := &Dataset{Courses: DefaultCourses()[:1], Officers: map[string]Officer{
		"A1": o("A1", "Force / A / T1", ""), "A2": o("A2", "Force / A / T1", ""),
		"A3": o("A3", "Force / A / T2", ""), "B8": o("B8", "Force / B / T8", ""),
		"B9": o("B9", "Force / B / T9", "M"), "M": o("M", "Force / B / T8", ""),
	}, Completions: map[string][]Completion{}, Exemptions: map[string][]Exemption{}}
	cse := ds.Courses[0].ID
	for _, id := range []string{"A1", "B9"} {
		ds.Completions[id] = []Completion{{OfficerID: id, CourseID: cse, Date: DateFrom(2026, 1, 5)}}
	}
	return ds
}

// TestScopedFigures is the scoped-figures rule of docs/COMPLIANCE.md: a
// unit's figures are that unit's, whoever asks.
func TestScopedFigures(t *testing.T) {
	ds := scopeFixture()
	asOf := DateFrom(2026, 11, 24)
	force, err := BuildReport(ds, asOf, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	req := func(n *ReportNode) int { return n.Courses[0].Required }
	tests := []struct {
		name      string
		user      User
		unit      string
		wantUnit  string // the root's unit
		wantLabel string
		children  []string // units (or labels) below the root
		required  int
	}{
		{"one unit: rooted there", User{Role: RoleManager, Units: []string{"Force / A"}}, "", "Force / A", "", []string{"Force / A / T1", "Force / A / T2"}, 3},
		{"nested units count once", User{Role: RoleManager, Units: []string{"Force / A", "Force / A / T1"}}, "", "Force / A", "", []string{"Force / A / T1", "Force / A / T2"}, 3},
		{"several units: your units", User{Role: RoleManager, Units: []string{"Force / B / T8", "Force / A / T1"}}, "", "", LabelYourUnits, []string{"Force / A / T1", "Force / B / T8"}, 4},
		{"unit and reporting line", User{Role: RoleManager, Units: []string{"Force / A / T2"}, OfficerID: "M"}, "", "", LabelYourUnits, []string{"Force / A / T2", LabelReportingLine}, 2},
		{"only a reporting line", User{Role: RoleManager, OfficerID: "M"}, "", "", LabelReportingLine, nil, 1},
		{"a unit inside the scope", User{Role: RoleManager, Units: []string{"Force / A"}}, "Force / A / T1", "Force / A / T1", "", nil, 2},
		{"HR: the force", User{Role: RoleHR}, "", "", "", []string{"Force"}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := ScopeFor(tt.user, ds)
			r, err := BuildReport(ds, asOf, ReportOptions{Unit: tt.unit, Scope: &sc})
			if err != nil {
				t.Fatal(err)
			}
			if r.Unit != tt.wantUnit || r.Label != tt.wantLabel {
				t.Fatalf("root = %q label %q, want %q label %q", r.Unit, r.Label, tt.wantUnit, tt.wantLabel)
			}
			if req(&r.ReportNode) != tt.required {
				t.Errorf("root required = %d, want %d", req(&r.ReportNode), tt.required)
			}
			var got []string
			sum := 0
			for _, c := range r.Units {
				got = append(got, c.Name())
				sum += req(c)
				// Every unit node's figures are the whole unit's.
				if c.Label == "" {
					if f := force.Find(c.Unit); f == nil || req(f) != req(c) {
						t.Errorf("%s: required %d, the unit's own figure is %v", c.Unit, req(c), f)
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.children, "|") {
				t.Errorf("children = %q, want %q", got, tt.children)
			}
			if r.Label != "" && len(r.Units) > 0 && sum != tt.required {
				t.Errorf("children add up to %d, root %d", sum, tt.required)
			}
			b, _ := json.Marshal(r)
			if tt.wantLabel != "" && !strings.Contains(string(b), `"unit":null,"label":"`+tt.wantLabel+`"`) {
				t.Errorf("JSON root is not unit null with its label: %.120s", b)
			}
			if tt.wantLabel == "" && !strings.Contains(string(b), `"unit":"`+tt.wantUnit+`"`) {
				t.Errorf("JSON root: %.120s", b)
			}
		})
	}
	// A unit the manager sees only part of is refused, not counted partially.
	for _, u := range []string{"Force", "Force / B", ""} {
		sc := ScopeFor(User{Role: RoleManager, Units: []string{"Force / A / T1"}, OfficerID: "M"}, ds)
		if u == "" {
			continue
		}
		if _, err := BuildReport(ds, asOf, ReportOptions{Unit: u, Scope: &sc}); !errors.Is(err, ErrForbidden) {
			t.Errorf("unit %q for a manager of part of it: err = %v, want forbidden", u, err)
		}
	}
}
