package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/server/ui"
	"github.com/muster-police/muster/training"
)

// TestScopedFiguresEverywhere: a manager's figures are rooted at their
// scope with its own label in the API, both exports and the dashboard,
// and never carry the force's or a parent unit's name (docs/COMPLIANCE.md).
func TestScopedFiguresEverywhere(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		as        string
		rootUnit  any // the JSON root's unit: a string, or nil
		rootLabel string
		children  []string
		required  int
	}{
		{"mgr-a", "Alpha", "Alpha", []string{"Alpha / Team 1", "Alpha / Team 2"}, 4},
		{"mgr-two", nil, "Your units", []string{"Alpha / Team 1", "Bravo / Team 8", "Your reporting line"}, 5},
		{"mgr-line", nil, "Your reporting line", nil, 2},
		{"hr", "", "Whole force", []string{"Alpha", "Bravo"}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.as, func(t *testing.T) {
			// API
			rec := e.do(req{method: "GET", path: "/api/v1/compliance?course=cse-recognition", as: tt.as})
			if rec.Code != 200 {
				t.Fatalf("API status %d: %s", rec.Code, rec.Body)
			}
			var raw map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
				t.Fatal(err)
			}
			if raw["unit"] != tt.rootUnit {
				t.Errorf("API root unit = %#v, want %#v", raw["unit"], tt.rootUnit)
			}
			var rep training.Report
			if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Name() != tt.rootLabel && !(tt.rootUnit == "Alpha" && rep.Name() == "Alpha") {
				t.Errorf("API root reads %q, want %q", rep.Name(), tt.rootLabel)
			}
			var kids []string
			for _, c := range rep.Units {
				kids = append(kids, c.Name())
			}
			if strings.Join(kids, "|") != strings.Join(tt.children, "|") {
				t.Errorf("API children %q, want %q", kids, tt.children)
			}
			if rep.Courses[0].Required != tt.required {
				t.Errorf("API root required %d, want %d", rep.Courses[0].Required, tt.required)
			}

			// csv: the root row's label column says what it counts.
			rec = e.do(req{method: "GET", path: "/api/v1/compliance/export?format=csv&course=cse-recognition", as: tt.as})
			recs, err := csv.NewReader(rec.Body).ReadAll()
			if err != nil || len(recs) < 2 {
				t.Fatalf("csv: %v %q", err, recs)
			}
			label := recs[0][len(recs[0])-1]
			if label != "label" {
				t.Fatalf("csv header %q", recs[0])
			}
			root := recs[1]
			wantLabel := tt.rootLabel
			if tt.as == "mgr-a" {
				wantLabel = "Alpha"
			}
			if got := root[len(root)-1]; got != wantLabel {
				t.Errorf("csv root label %q, want %q", got, wantLabel)
			}
			if tt.rootUnit == nil && root[1] != "" {
				t.Errorf("csv root unit %q, want empty for a labelled root", root[1])
			}

			// xlsx: the summary's title and first row.
			rec = e.do(req{method: "GET", path: "/api/v1/compliance/export?format=xlsx&course=cse-recognition", as: tt.as})
			f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatalf("xlsx: %v", err)
			}
			defer f.Close()
			rows, _ := f.GetRows("Summary")
			if len(rows) < 4 {
				t.Fatalf("summary rows %q", rows)
			}
			if tt.as != "hr" && (strings.Contains(rows[0][0], "Whole force") || rows[3][0] == "Whole force") {
				t.Errorf("a manager's workbook is labelled as the whole force: %q / %q", rows[0][0], rows[3][0])
			}
			if rows[3][0] != wantLabel {
				t.Errorf("xlsx first row %q, want %q", rows[3][0], wantLabel)
			}

			// The dashboard's heading and unit rows.
			rec = e.do(req{method: "GET", path: "/?as_of=2026-11-24", as: tt.as})
			body := rec.Body.String()
			if !strings.Contains(body, "<h1>"+wantLabel+"</h1>") {
				t.Errorf("dashboard heading is not %q: %s", wantLabel, clip(between(body, "<h1", "</h1>")))
			}
			for _, k := range tt.children {
				if tt.rootUnit != nil {
					k = ui.LastUnitPart(k) // under a unit, a unit's rows name its children's last part
				}
				if !strings.Contains(body, ">"+k+"</a>") {
					t.Errorf("dashboard lacks the row %q", k)
				}
			}
			if title := between(body, "<title>", "</title>"); !strings.Contains(title, wantLabel) {
				t.Errorf("the page title %q does not name %q", title, wantLabel)
			}
			if tt.as != "hr" && strings.Contains(body, "Whole force") {
				t.Errorf("a manager's dashboard says Whole force")
			}
		})
	}
	// A parent of a manager's unit is refused, not shown with partial counts.
	for _, path := range []string{"/api/v1/compliance?unit=Bravo", "/api/v1/compliance/export?format=csv&unit=Bravo", "/?unit=Bravo"} {
		if rec := e.do(req{method: "GET", path: path, as: "mgr-two"}); rec.Code != 403 {
			t.Errorf("%s for mgr-two: status %d, want 403", path, rec.Code)
		}
	}
}

// between returns s from the first from up to the following to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

// TestDashboardTitlePerUnit: every unit's dashboard has its own title
// (WCAG 2.4.2), naming the unit's whole path, most specific part first.
func TestDashboardTitlePerUnit(t *testing.T) {
	e := newTestEnv(t)
	seen := map[string]string{}
	for _, u := range []string{"", "Alpha", "Alpha / Team 1", "Alpha / Team 2", "Bravo", "Bravo / Team 9"} {
		rec := e.do(req{method: "GET", path: "/?unit=" + strings.ReplaceAll(u, " ", "+"), as: "hr"})
		title := between(rec.Body.String(), "<title>", "</title>")
		if other, ok := seen[title]; ok {
			t.Errorf("units %q and %q share the title %q", u, other, title)
		}
		seen[title] = u
		if u == "Alpha / Team 1" && !strings.Contains(title, "Team 1, Alpha") {
			t.Errorf("title of %q = %q", u, title)
		}
	}
}
