package training

import (
	"encoding/json"
	"testing"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2023-08-31", 36, "2026-08-31"},
		{"2023-05-31", 1, "2023-06-30"},
		{"2023-12-15", 1, "2024-01-15"},
		{"2024-03-31", -1, "2024-02-29"},
	}
	for _, tt := range tests {
		if got := d(tt.from).AddMonths(tt.months).String(); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	course := Course{ID: "c", Title: "C", Deadline: d("2026-03-31"), DueWithinDays: 90, ValidForMonths: 36, DueSoonDays: 30}
	never := course
	never.ValidForMonths = 0
	noDeadline := course
	noDeadline.Deadline = Date{}
	serving := Officer{ID: "1", StartDate: d("2010-01-01"), FirstSeen: d("2026-01-01")}
	joiner := Officer{ID: "1", StartDate: d("2026-03-01"), FirstSeen: d("2026-03-05")}
	unknownStart := Officer{ID: "1", FirstSeen: d("2026-10-01")}
	comp := func(date string) Completion { return Completion{OfficerID: "1", CourseID: "c", Date: d(date)} }
	tests := []struct {
		name    string
		officer Officer
		course  Course
		comps   []Completion
		exs     []Exemption
		asOf    string
		want    Status
		due     string
	}{
		{"no completion before deadline window", serving, course, nil, nil, "2026-01-01", StatusOutstanding, "2026-03-31"},
		{"due soon: 30 days before", serving, course, nil, nil, "2026-03-01", StatusDueSoon, "2026-03-31"},
		{"outstanding: 31 days before", serving, course, nil, nil, "2026-02-28", StatusOutstanding, "2026-03-31"},
		{"due soon on the due date", serving, course, nil, nil, "2026-03-31", StatusDueSoon, "2026-03-31"},
		{"overdue the day after", serving, course, nil, nil, "2026-04-01", StatusOverdue, "2026-03-31"},
		{"compliant", serving, course, []Completion{comp("2025-01-10")}, nil, "2026-11-24", StatusCompliant, ""},
		{"completion after as-of is ignored", serving, course, []Completion{comp("2026-12-01")}, nil, "2026-11-24", StatusOverdue, "2026-03-31"},
		{"compliant the day before expiry", serving, course, []Completion{comp("2023-11-25")}, nil, "2026-11-24", StatusCompliant, ""},
		{"lapsed on the expiry date: due that day", serving, course, []Completion{comp("2023-11-24")}, nil, "2026-11-24", StatusDueSoon, "2026-11-24"},
		{"lapsed: overdue after expiry", serving, course, []Completion{comp("2023-10-01")}, nil, "2026-11-24", StatusOverdue, "2026-10-01"},
		{"latest completion wins", serving, course, []Completion{comp("2023-10-01"), comp("2025-05-05"), comp("2024-01-01")}, nil, "2026-11-24", StatusCompliant, ""},
		{"never expires", serving, never, []Completion{comp("2001-01-01")}, nil, "2026-11-24", StatusCompliant, ""},
		{"other course's completion does not count", serving, course, []Completion{{OfficerID: "1", CourseID: "x", Date: d("2025-01-01")}}, nil, "2026-11-24", StatusOverdue, "2026-03-31"},
		{"joiner after deadline gets start + 90", joiner, course, nil, nil, "2026-05-01", StatusDueSoon, "2026-05-30"},
		{"joiner overdue after start + 90", joiner, course, nil, nil, "2026-05-31", StatusOverdue, "2026-05-30"},
		{"no deadline: start + 90", serving, noDeadline, nil, nil, "2026-11-24", StatusOverdue, "2010-04-01"},
		{"neither: first seen + 90", unknownStart, noDeadline, nil, nil, "2026-11-24", StatusOutstanding, "2026-12-30"},
		{"exempt", serving, course, nil, []Exemption{{OfficerID: "1", CourseID: "c"}}, "2026-11-24", StatusExempt, ""},
		{"exemption that ended", serving, course, nil, []Exemption{{OfficerID: "1", CourseID: "c", Until: d("2026-01-01")}}, "2026-11-24", StatusOverdue, "2026-03-31"},
		{"exemption not yet started", serving, course, nil, []Exemption{{OfficerID: "1", CourseID: "c", From: d("2027-01-01")}}, "2026-11-24", StatusOverdue, "2026-03-31"},
		{"leaver is not required", Officer{ID: "1", Leaver: true}, course, nil, nil, "2026-11-24", StatusNotRequired, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.officer, tt.course, tt.comps, tt.exs, d(tt.asOf))
			if got.Status != tt.want || got.Due.String() != tt.due {
				t.Errorf("got %s due %q, want %s due %q", got.Status, got.Due, tt.want, tt.due)
			}
		})
	}
}

func TestPercentRoundsHalfUp(t *testing.T) {
	tests := []struct {
		compliant, required int
		want                string
	}{
		{149, 400, "37.3"}, // 37.25
		{1, 3, "33.3"},
		{2, 3, "66.7"},
		{1, 8, "12.5"},
		{1, 16, "6.3"}, // 6.25
		{0, 5, "0.0"},
		{5, 5, "100.0"},
		{900, 1200, "75.0"},
	}
	for _, tt := range tests {
		got := Counts{Compliant: tt.compliant, Required: tt.required}.Percent()
		if got == nil || got.String() != tt.want {
			t.Errorf("%d/%d = %v, want %s", tt.compliant, tt.required, got, tt.want)
		}
	}
	if p := (Counts{}).Percent(); p != nil {
		t.Errorf("percent with nothing required = %v, want nil", p)
	}
	b, _ := json.Marshal(struct{ P *Percent }{(Counts{Compliant: 3, Required: 4}).Percent()})
	if string(b) != `{"P":75.0}` {
		t.Errorf("json = %s", b)
	}
}

func testDataset() *Dataset {
	c := Course{ID: "c", Title: "C", Deadline: d("2026-03-31"), DueWithinDays: 90, ValidForMonths: 36, DueSoonDays: 30}
	ds := &Dataset{Courses: []Course{c}, Officers: map[string]Officer{}, Completions: map[string][]Completion{}, Exemptions: map[string][]Exemption{}}
	add := func(id, unit string, done string, leaver bool) {
		ds.Officers[id] = Officer{ID: id, Unit: unit, StartDate: d("2010-01-01"), Leaver: leaver, LineManager: map[string]string{"3": "1", "4": "3"}[id]}
		if done != "" {
			ds.Completions[id] = append(ds.Completions[id], Completion{OfficerID: id, CourseID: "c", Date: d(done)})
		}
	}
	add("1", "A / X / T1", "2025-01-01", false)
	add("2", "A / X / T1", "", false)
	add("3", "A / Y / T2", "2025-06-01", false)
	add("4", "B / Z / T3", "", false)
	add("5", "B / Z / T3", "2025-06-01", true)
	ds.Exemptions["2"] = []Exemption{{OfficerID: "2", CourseID: "c"}}
	// An orphan completion: counted only once the officer exists.
	ds.Completions["99"] = []Completion{{OfficerID: "99", CourseID: "c", Date: d("2025-01-01")}}
	return ds
}

func TestBuildReportRollsUp(t *testing.T) {
	ds := testDataset()
	r, err := BuildReport(ds, d("2026-11-24"), ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Counts{
		"":           {Required: 3, Compliant: 2, Overdue: 1, Exempt: 1},
		"A":          {Required: 2, Compliant: 2, Exempt: 1},
		"A / X":      {Required: 1, Compliant: 1, Exempt: 1},
		"A / X / T1": {Required: 1, Compliant: 1, Exempt: 1},
		"A / Y / T2": {Required: 1, Compliant: 1},
		"B / Z / T3": {Required: 1, Overdue: 1},
	}
	got := map[string]Counts{}
	r.Walk(func(n *ReportNode) { got[n.Unit] = n.Courses[0].Counts })
	for u, w := range want {
		if got[u] != w {
			t.Errorf("unit %q: got %+v, want %+v", u, got[u], w)
		}
	}
	if len(got) != 9 {
		t.Errorf("nodes = %d (%v), want 9", len(got), got)
	}
	if r.Units[0].Unit != "A" || r.Units[1].Unit != "B" {
		t.Errorf("children not sorted: %s, %s", r.Units[0].Unit, r.Units[1].Unit)
	}

	sub, err := BuildReport(ds, d("2026-11-24"), ReportOptions{Unit: "A / X"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.Unit != "A / X" || len(sub.Units) != 1 || sub.Units[0].Unit != "A / X / T1" {
		t.Errorf("rooted report = %+v", sub.ReportNode)
	}
	if _, err := BuildReport(ds, d("2026-11-24"), ReportOptions{Courses: []string{"nope"}}); err == nil {
		t.Error("unknown course accepted")
	}

	ds.Officers["99"] = Officer{ID: "99", Unit: "B / Z / T3", StartDate: d("2010-01-01")}
	r, _ = BuildReport(ds, d("2026-11-24"), ReportOptions{})
	if r.Courses[0].Compliant != 3 {
		t.Errorf("orphan completion not counted once the officer appears: %+v", r.Courses[0].Counts)
	}
}

func TestReportJSONShape(t *testing.T) {
	r, err := BuildReport(testDataset(), d("2026-11-24"), ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"as_of", "unit", "courses", "units"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report JSON has no %q: %s", k, b)
		}
	}
	c := m["courses"].([]any)[0].(map[string]any)
	for _, k := range []string{"course", "title", "required", "compliant", "overdue", "due_soon", "outstanding", "exempt", "percent"} {
		if _, ok := c[k]; !ok {
			t.Errorf("course figures have no %q", k)
		}
	}
	if m["as_of"] != "2026-11-24" {
		t.Errorf("as_of = %v", m["as_of"])
	}
}

func TestScope(t *testing.T) {
	ds := testDataset()
	mgr := User{Role: RoleManager, Units: []string{"A / X"}}
	s := ScopeFor(mgr, ds)
	if !s.Allows(ds.Officers["1"]) || s.Allows(ds.Officers["3"]) || s.Allows(ds.Officers["4"]) {
		t.Error("unit scope wrong")
	}
	if !s.AllowsUnit("A / X / T1") || s.AllowsUnit("A") || s.AllowsUnit("A / XY") {
		t.Error("AllowsUnit wrong")
	}
	line := ScopeFor(User{Role: RoleManager, OfficerID: "0001"}, ds)
	if !line.Allows(ds.Officers["3"]) || !line.Allows(ds.Officers["4"]) || line.Allows(ds.Officers["2"]) {
		t.Errorf("reporting line scope wrong: %+v", line.Officers)
	}
	if !ScopeFor(User{Role: RoleHR}, ds).All {
		t.Error("hr must see everything")
	}
	if !(ScopeFor(User{Role: RoleManager}, ds)).Empty() {
		t.Error("manager without units or officer sees something")
	}
}

func TestListOfficers(t *testing.T) {
	ds := testDataset()
	got := ListOfficers(ds, d("2026-11-24"), OfficerFilter{Status: StatusOverdue, Scope: Scope{All: true}})
	if len(got) != 1 || got[0].Officer.ID != "4" {
		t.Fatalf("overdue = %+v", got)
	}
	all := ListOfficers(ds, d("2026-11-24"), OfficerFilter{Scope: Scope{All: true}})
	if len(all) != 4 {
		t.Errorf("active officers = %d, want 4 (leaver excluded)", len(all))
	}
}

func TestActionDate(t *testing.T) {
	c := Course{ID: "c", Deadline: d("2026-03-31"), DueWithinDays: 90, ValidForMonths: 36, DueSoonDays: 30}
	o := Officer{ID: "1", StartDate: d("2010-01-01")}
	done := []Completion{{OfficerID: "1", CourseID: "c", Date: d("2025-01-10")}}
	if got := Evaluate(o, c, done, nil, d("2026-11-24")).ActionDate(); got != d("2028-01-10") {
		t.Errorf("compliant: action date %s, want the expiry 2028-01-10", got)
	}
	if got := Evaluate(o, c, nil, nil, d("2026-11-24")).ActionDate(); got != d("2026-03-31") {
		t.Errorf("overdue: action date %s, want the due date", got)
	}
	c.ValidForMonths = 0
	if got := Evaluate(o, c, done, nil, d("2026-11-24")).ActionDate(); !got.IsZero() {
		t.Errorf("never expires: action date %s, want none", got)
	}
}
