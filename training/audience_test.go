package training

import (
	"encoding/json"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestAudienceIncludes(t *testing.T) {
	frontlineOfficer := Officer{ID: "1", Unit: "Frontline Policing / Central West / Response 1", StaffType: StaffOfficer, Rank: "PC", Role: "Response Officer"}
	frontlineStaff := Officer{ID: "2", Unit: "Frontline Policing / Central West", StaffType: StaffStaff, Role: "Front Counter Officer"}
	pp := Officer{ID: "3", Unit: "Specialist Crime / Public Protection / MASH", StaffType: StaffStaff, Role: "Analyst"}
	payroll := Officer{ID: "4", Unit: "Corporate / Payroll", StaffType: StaffStaff, Role: "Payroll Clerk"}
	callHandler := Officer{ID: "5", Unit: "Contact / Control Room", StaffType: StaffStaff, Role: "call handler (nights)"}
	frontlineCounter := Officer{ID: "6", Unit: "Frontline Policing / North", StaffType: StaffPCSO, Role: "Front  Counter Officer"}
	prefixOnly := Officer{ID: "7", Unit: "Frontline Policing Support", StaffType: StaffOfficer}

	example := Audience{
		Include: []AudienceRule{
			{Unit: Words{"Frontline Policing"}, StaffType: Words{"officer", "special", "pcso"}},
			{Unit: Words{"Specialist Crime / Public Protection"}},
		},
		Exclude: []AudienceRule{{Role: Words{"Front Counter Officer"}}},
	}
	tests := []struct {
		name string
		aud  Audience
		o    Officer
		want bool
	}{
		{"no audience is everyone", Audience{}, payroll, true},
		{"unit and staff type both hold", example, frontlineOfficer, true},
		{"unit holds, staff type does not", example, frontlineStaff, false},
		{"second include entry: unit under it", example, pp, true},
		{"matches no include", example, payroll, false},
		{"excluded by role (case and spacing cleaned)", example, frontlineCounter, false},
		{"a unit path is not a string prefix", example, prefixOnly, false},
		{"role pattern with *", Audience{Include: []AudienceRule{{Role: Words{"Call Handler*"}}}}, callHandler, true},
		{"pattern must match the whole role", Audience{Include: []AudienceRule{{Role: Words{"Handler*"}}}}, callHandler, false},
		{"pattern * in the middle", Audience{Include: []AudienceRule{{Role: Words{"call*(nights)"}}}}, callHandler, true},
		{"pattern with only *", Audience{Include: []AudienceRule{{Role: Words{"*"}}}}, callHandler, true},
		{"* never matches a blank role", Audience{Include: []AudienceRule{{Role: Words{"*"}}}}, prefixOnly, false},
		{"rank list", Audience{Include: []AudienceRule{{Rank: Words{"Sgt", "pc"}}}}, frontlineOfficer, true},
		{"rank list misses", Audience{Include: []AudienceRule{{Rank: Words{"Sgt"}}}}, frontlineOfficer, false},
		{"exclude only: everyone else", Audience{Exclude: []AudienceRule{{Unit: Words{"Corporate"}}}}, payroll, false},
		{"exclude only: others stay", Audience{Exclude: []AudienceRule{{Unit: Words{"Corporate"}}}}, pp, true},
		{"several units in one entry", Audience{Include: []AudienceRule{{Unit: Words{"Corporate", "Contact"}}}}, callHandler, true},
		{"staff type unknown to the person", Audience{Include: []AudienceRule{{StaffType: Words{"staff"}}}}, Officer{Unit: "X"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.aud.Normalize().Includes(tt.o); got != tt.want {
				t.Errorf("Includes = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchWording(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"Call Handler", "call handler", true},
		{"Call Handler", "Call Handler 2", false},
		{"Call Handler*", "Call Handler 2", true},
		{"*Officer", "Front Counter Officer", true},
		{"*Officer", "Officer [Band C]", false},
		{"Officer [Band *]", "officer [band c]", true},
		{"A*B*C", "AxxBxxC", true},
		{"A*B*C", "AxxCxxB", false},
		{"A**C", "AC", true},
		{"Ärztin*", "ärztin im dienst", true},
		{"a/b", "A/B", true},
		{"a?", "ab", false},
	}
	for _, tt := range tests {
		if got := matchWording(tt.pattern, tt.s); got != tt.want {
			t.Errorf("matchWording(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

func TestAudienceFromYAMLAndJSON(t *testing.T) {
	src := `
include:
  - unit: Frontline Policing
    staff_type: [officer, special, pcso]
  - unit: Specialist Crime / Public Protection
exclude:
  - role: [Front Counter Officer]
`
	var a Audience
	if err := yaml.Unmarshal([]byte(src), &a); err != nil {
		t.Fatal(err)
	}
	want := Audience{
		Include: []AudienceRule{
			{Unit: Words{"Frontline Policing"}, StaffType: Words{"officer", "special", "pcso"}},
			{Unit: Words{"Specialist Crime / Public Protection"}},
		},
		Exclude: []AudienceRule{{Role: Words{"Front Counter Officer"}}},
	}
	gotJ, _ := json.Marshal(a)
	wantJ, _ := json.Marshal(want)
	if string(gotJ) != string(wantJ) {
		t.Fatalf("yaml read as %s, want %s", gotJ, wantJ)
	}
	var b Audience
	if err := json.Unmarshal([]byte(`{"include":[{"unit":"Frontline Policing","staff_type":["officer","special","pcso"]},{"unit":["Specialist Crime / Public Protection"]}],"exclude":[{"role":"Front Counter Officer"}]}`), &b); err != nil {
		t.Fatal(err)
	}
	if gotB, _ := json.Marshal(b); string(gotB) != string(wantJ) {
		t.Fatalf("json read as %s, want %s", gotB, wantJ)
	}
}

func TestAudienceValidate(t *testing.T) {
	tests := []struct {
		name string
		aud  Audience
		want string
	}{
		{"ok", Audience{Include: []AudienceRule{{StaffType: Words{"officer"}}}}, ""},
		{"unknown staff type", Audience{Include: []AudienceRule{{StaffType: Words{"constable"}}}}, `invalid: course "c": audience include entry 1: "constable" is not a staff type; use officer, staff, special, pcso, volunteer`},
		{"empty entry", Audience{Exclude: []AudienceRule{{}}}, `invalid: course "c": audience exclude entry 1 sets no condition: give at least one of unit, staff_type, rank or role`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Course{ID: "c", Title: "C", Audience: tt.aud}.Normalize()
			err := c.Validate()
			if got := ""; err != nil {
				got = err.Error()
				if got != tt.want {
					t.Errorf("got %q, want %q", got, tt.want)
				}
			} else if tt.want != "" {
				t.Errorf("no error, want %q", tt.want)
			}
		})
	}
}

func TestRequirementStartAndDue(t *testing.T) {
	c := Course{ID: "cse", Title: "CSE", Deadline: d("2026-03-31"), DueWithinDays: 90, DueSoonDays: 30,
		Audience: Audience{Include: []AudienceRule{{StaffType: Words{"officer"}}}}}
	serving := Officer{ID: "1", StaffType: StaffOfficer, StartDate: d("2010-01-01"), FirstSeen: d("2026-01-01")}
	moved := serving
	moved.RequiredSince = map[string]Date{"cse": d("2026-10-01")}
	noStart := Officer{ID: "2", StaffType: StaffOfficer, FirstSeen: d("2026-06-01")}
	future := Officer{ID: "3", StaffType: StaffOfficer, StartDate: d("2027-01-04")}
	staff := Officer{ID: "4", StaffType: StaffStaff, StartDate: d("2010-01-01")}
	tests := []struct {
		name   string
		o      Officer
		asOf   string
		r      string
		status Status
		due    string
	}{
		{"serving: R is start date, deadline applies", serving, "2026-11-24", "2010-01-01", StatusOverdue, "2026-03-31"},
		{"moved in: R replaces the start date", moved, "2026-11-24", "2026-10-01", StatusOutstanding, "2026-12-30"},
		{"moved in: not required before R", moved, "2026-09-30", "2026-10-01", StatusNotRequired, ""},
		{"no start date: first seen", noStart, "2026-11-24", "2026-06-01", StatusOverdue, "2026-03-31"},
		{"starts after D: not required on D", future, "2026-11-24", "2027-01-04", StatusNotRequired, ""},
		{"outside the audience", staff, "2026-11-24", "2010-01-01", StatusNotRequired, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RequirementStart(tt.o, c).String(); got != tt.r {
				t.Errorf("R = %s, want %s", got, tt.r)
			}
			got := Evaluate(tt.o, c, nil, nil, d(tt.asOf))
			if got.Status != tt.status || got.Due.String() != tt.due {
				t.Errorf("got %s due %q, want %s due %q", got.Status, got.Due, tt.status, tt.due)
			}
		})
	}
}

func TestMoveRequirements(t *testing.T) {
	cse := Course{ID: "cse", Audience: Audience{Include: []AudienceRule{{Unit: Words{"Frontline"}}}}}
	tic := Course{ID: "tic"} // everyone
	retired := Course{ID: "old", Retired: true, Audience: cse.Audience}
	courses := []Course{cse, tic, retired}
	on, inPost := d("2026-11-24"), d("2026-11-01")
	payroll := Officer{ID: "1", Unit: "Corporate / Payroll", StartDate: d("2015-01-01")}
	frontline := payroll
	frontline.Unit = "Frontline / Response"

	t.Run("moves in with the file's in-post date", func(t *testing.T) {
		next := frontline
		MoveRequirements(&payroll, &next, courses, on, inPost)
		if got := next.RequiredSince; len(got) != 1 || got["cse"] != inPost {
			t.Fatalf("RequiredSince = %v, want cse: %s only", got, inPost)
		}
	})
	t.Run("moves in without one: the day of the import", func(t *testing.T) {
		next := frontline
		MoveRequirements(&payroll, &next, courses, on, Date{})
		if next.RequiredSince["cse"] != on {
			t.Fatalf("RequiredSince = %v, want cse: %s", next.RequiredSince, on)
		}
	})
	t.Run("stays in: R kept", func(t *testing.T) {
		prev := frontline
		prev.RequiredSince = map[string]Date{"cse": d("2026-01-01")}
		next := prev
		next.Unit = "Frontline / CID"
		MoveRequirements(&prev, &next, courses, on, inPost)
		if next.RequiredSince["cse"] != d("2026-01-01") {
			t.Fatalf("RequiredSince = %v, want kept", next.RequiredSince)
		}
	})
	t.Run("leaves: R forgotten, prev untouched", func(t *testing.T) {
		prev := frontline
		prev.RequiredSince = map[string]Date{"cse": d("2026-01-01")}
		next := prev
		next.Unit = "Corporate / Payroll"
		MoveRequirements(&prev, &next, courses, on, inPost)
		if next.RequiredSince != nil {
			t.Fatalf("RequiredSince = %v, want none", next.RequiredSince)
		}
		if prev.RequiredSince["cse"] != d("2026-01-01") {
			t.Fatalf("prev changed: %v", prev.RequiredSince)
		}
	})
	t.Run("first seen: default R", func(t *testing.T) {
		next := frontline
		MoveRequirements(nil, &next, courses, on, inPost)
		if next.RequiredSince != nil {
			t.Fatalf("RequiredSince = %v, want none", next.RequiredSince)
		}
	})
	t.Run("returning leaver re-enters", func(t *testing.T) {
		prev := frontline
		prev.Leaver = true
		next := frontline
		MoveRequirements(&prev, &next, courses, on, Date{})
		if next.RequiredSince["cse"] != on {
			t.Fatalf("RequiredSince = %v, want cse: %s", next.RequiredSince, on)
		}
	})
}

func TestRenewalKeepsTheCycle(t *testing.T) {
	c := Course{ID: "c", Title: "C", ValidForMonths: 12, DueSoonDays: 30, DueWithinDays: 90, RenewWithinDays: 60}
	without := c
	without.RenewWithinDays = 0
	o := Officer{ID: "1", StartDate: d("2020-01-01")}
	comp := func(s string) Completion { return Completion{OfficerID: "1", CourseID: "c", Date: d(s)} }
	tests := []struct {
		name    string
		course  Course
		comps   []Completion
		asOf    string
		expires string
	}{
		{"one completion", c, []Completion{comp("2025-03-01")}, "2025-06-01", "2026-03-01"},
		{"renewed within the window: from the expiry", c, []Completion{comp("2025-03-01"), comp("2026-02-01")}, "2026-06-01", "2027-03-01"},
		{"on the window's first day", c, []Completion{comp("2025-03-01"), comp("2025-12-31")}, "2026-06-01", "2027-03-01"},
		{"a day before the window: from its own date", c, []Completion{comp("2025-03-01"), comp("2025-12-30")}, "2026-06-01", "2026-12-30"},
		{"after a lapse: from its own date", c, []Completion{comp("2025-03-01"), comp("2026-03-10")}, "2026-06-01", "2027-03-10"},
		{"on the expiry day is a lapse", c, []Completion{comp("2025-03-01"), comp("2026-03-01")}, "2026-06-01", "2027-03-01"},
		{"a chain of early renewals", c, []Completion{comp("2023-03-01"), comp("2024-02-01"), comp("2025-01-15"), comp("2026-02-20")}, "2026-06-01", "2027-03-01"},
		{"chain broken by a lapse", c, []Completion{comp("2023-03-01"), comp("2024-05-01"), comp("2025-04-01")}, "2025-06-01", "2026-05-01"},
		{"as-of before the renewal: old expiry", c, []Completion{comp("2025-03-01"), comp("2026-02-01")}, "2026-01-15", "2026-03-01"},
		{"without the setting: from the date, as before", without, []Completion{comp("2025-03-01"), comp("2026-02-01")}, "2026-06-01", "2027-02-01"},
		{"other courses ignored", c, []Completion{comp("2025-03-01"), {OfficerID: "1", CourseID: "x", Date: d("2026-02-01")}}, "2025-06-01", "2026-03-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(o, tt.course, tt.comps, nil, d(tt.asOf))
			if got.Status != StatusCompliant || got.Expires.String() != tt.expires {
				t.Errorf("got %s expires %s, want compliant expiring %s", got.Status, got.Expires, tt.expires)
			}
		})
	}
}

func TestPreviewCourseChange(t *testing.T) {
	on := d("2026-11-24")
	old := Course{ID: "cse", Title: "CSE", Deadline: d("2026-03-31"), DueWithinDays: 90, DueSoonDays: 30}
	ds := &Dataset{Officers: map[string]Officer{}, Completions: map[string][]Completion{}, Exemptions: map[string][]Exemption{}}
	add := func(id, unit string, st StaffType) {
		ds.Officers[id] = Officer{ID: id, Unit: unit, StaffType: st, StartDate: d("2015-01-01")}
	}
	for i := range 6 {
		add(string(rune('a'+i)), "Frontline / Response", StaffOfficer)
	}
	add("p1", "Corporate / Payroll", StaffStaff)
	add("p2", "Corporate / Payroll", StaffStaff)
	ds.Officers["gone"] = Officer{ID: "gone", Unit: "Corporate / Payroll", Leaver: true}

	narrow := old
	narrow.Audience = Audience{Include: []AudienceRule{{StaffType: Words{"officer"}}}}
	ch := PreviewCourseChange(ds, &old, narrow, on)
	if ch.RequiredBefore != 8 || ch.RequiredAfter != 6 || ch.Leaving != 2 || ch.Joining != 0 {
		t.Fatalf("narrowing: %+v", ch)
	}
	if len(ch.Units) != 1 || ch.Units[0].Unit != "Corporate / Payroll" || ch.Units[0].Leaving != 2 {
		t.Fatalf("narrowing by unit: %+v", ch.Units)
	}
	if !ch.NeedsConfirmation() { // 2 of 8 = 25% > 20%
		t.Error("25% of the required people changed without asking")
	}

	// Widening again brings the payroll staff in with R = the day of the change.
	ds.Officers["p1"] = Officer{ID: "p1", Unit: "Corporate / Payroll", StaffType: StaffStaff, StartDate: d("2015-01-01")}
	back := PreviewCourseChange(ds, &narrow, old, on)
	if back.Joining != 2 || back.OverdueAtOnce != 0 || len(back.Officers) != 2 {
		t.Fatalf("widening: %+v", back)
	}
	for _, o := range back.Officers {
		if o.RequiredSince["cse"] != on {
			t.Errorf("%s: R = %v, want %s", o.ID, o.RequiredSince, on)
		}
		if got := Evaluate(o, old, nil, nil, on); got.Status != StatusOutstanding || got.Due != on.AddDays(90) {
			t.Errorf("%s after the change: %s due %s, want outstanding due %s", o.ID, got.Status, got.Due, on.AddDays(90))
		}
	}
	if ds.Officers["p1"].RequiredSince != nil {
		t.Error("the preview wrote into the dataset")
	}

	// One of eight (12.5%) goes through without asking.
	small := old
	small.Audience = Audience{Exclude: []AudienceRule{{Unit: Words{"Corporate / Payroll"}, StaffType: Words{"officer"}}}}
	ds.Officers["p1"] = Officer{ID: "p1", Unit: "Corporate / Payroll", StaffType: StaffOfficer, StartDate: d("2015-01-01")}
	if ch := PreviewCourseChange(ds, &old, small, on); ch.Leaving != 1 || ch.NeedsConfirmation() {
		t.Errorf("one of eight: %+v, confirm=%v", ch, ch.NeedsConfirmation())
	}
	if ch := PreviewCourseChange(ds, nil, narrow, on); !ch.New || ch.NeedsConfirmation() || ch.RequiredAfter != 7 {
		t.Errorf("new course: %+v", ch)
	}

	// A deadline brought forward shows who is overdue at once.
	earlier := old
	earlier.Deadline = d("2026-01-31")
	late := old
	late.Deadline = d("2027-01-31")
	if ch := PreviewCourseChange(ds, &late, earlier, on); ch.OverdueAtOnce != 8 || ch.Joining != 0 {
		t.Errorf("deadline brought forward: %+v", ch)
	}
}
