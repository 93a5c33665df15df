package jobs_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

func TestStageAt(t *testing.T) {
	due := date("2026-12-31")
	p := jobs.DefaultPolicy()
	tests := []struct {
		asOf  string
		stage string // "" = none yet
		day   string
	}{
		{"2026-11-30", "", ""},
		{"2026-12-01", "before-30", "2026-12-01"},
		{"2026-12-20", "before-30", "2026-12-01"},
		{"2026-12-24", "before-7", "2026-12-24"},
		{"2026-12-30", "before-7", "2026-12-24"},
		{"2026-12-31", "due", "2026-12-31"},
		{"2027-01-06", "due", "2026-12-31"},
		{"2027-01-07", "overdue-1", "2027-01-07"},
		{"2027-01-13", "overdue-1", "2027-01-07"},
		{"2027-01-14", "overdue-2", "2027-01-14"},
		{"2027-04-15", "overdue-15", "2027-04-15"},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			s, ok := p.StageAt(due, date(tt.asOf))
			if ok != (tt.stage != "") || s.Name != tt.stage || (ok && s.Day != date(tt.day)) {
				t.Errorf("StageAt(%s) = %+v, %v; want %s from %s", tt.asOf, s, ok, tt.stage, tt.day)
			}
		})
	}
	// Only the day decides the stage: a later run on any replica agrees.
	custom := jobs.Policy{BeforeDays: []int{14}, NoDueDateReminder: true, OverdueEveryDays: -1}
	if s, _ := custom.StageAt(due, date("2027-02-01")); s.Name != "before-14" {
		t.Errorf("without due and overdue stages the last stage is before-14, got %q", s.Name)
	}
}

// planDataset builds a dataset for the policy table.
func planDataset() *training.Dataset {
	courses := testCourses()
	ds := &training.Dataset{Courses: courses, Officers: map[string]training.Officer{},
		Completions: map[string][]training.Completion{}, Exemptions: map[string][]training.Exemption{}}
	add := func(o training.Officer) { ds.Officers[o.ID] = o }
	// As of 2026-11-24. cse due start+90, tic due start+60.
	add(officer("A30", "Due in thirty", "a30@force.example", "U / T1", "2026-09-25"))   // cse due 12-24 (30 days), tic 11-24 (due today)
	add(officer("B7", "Due in seven", "b7@force.example", "U / T1", "2026-09-02"))      // cse 12-01 (7 days), tic 11-01 (overdue 23 days)
	add(officer("LEFT", "Leaver", "left@force.example", "U / T1", "2026-09-02"))        // leaver
	add(officer("EXEMPT", "Exempt", "ex@force.example", "U / T2", "2026-09-02"))        // exempt from both
	add(officer("DONE", "Compliant", "done@force.example", "U / T2", "2026-01-01"))     // completed both
	add(officer("BADMAIL", "Bad email", "not-an-address", "U / T2", "2026-09-02"))      // invalid address
	add(officer("NOMAIL", "No email", "", "U / T2", "2026-09-02"))                      // no address
	add(officer("FLAGGED", "Flagged", "flagged@force.example", "U / T2", "2026-09-02")) // importer marked it invalid
	add(officer("LAPSED", "Lapsed", "lapsed@force.example", "U / T3", "2020-01-01"))    // completions expired: new cycle
	add(officer("FUTURE", "Far off", "far@force.example", "U / T3", "2026-11-20"))      // due 2027: no stage yet
	l := ds.Officers["LEFT"]
	l.Leaver, l.LeftOn = true, date("2026-10-01")
	ds.Officers["LEFT"] = l
	f := ds.Officers["FLAGGED"]
	f.EmailInvalid = true
	ds.Officers["FLAGGED"] = f
	ds.Exemptions["EXEMPT"] = []training.Exemption{{OfficerID: "EXEMPT", CourseID: "cse-recognition"}, {OfficerID: "EXEMPT", CourseID: "trauma-informed-communication"}}
	ds.Completions["DONE"] = []training.Completion{{OfficerID: "DONE", CourseID: "cse-recognition", Date: date("2026-02-01")}, {OfficerID: "DONE", CourseID: "trauma-informed-communication", Date: date("2026-02-01")}}
	ds.Completions["LAPSED"] = []training.Completion{{OfficerID: "LAPSED", CourseID: "cse-recognition", Date: date("2023-11-10")}, {OfficerID: "LAPSED", CourseID: "trauma-informed-communication", Date: date("2025-01-01")}}
	return ds
}

func TestPlanRemindersPolicy(t *testing.T) {
	asOf := date("2026-11-24")
	ds := planDataset()
	plan := jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
	got := map[string][]string{}
	for _, r := range plan.Reminders {
		for _, it := range r.Items {
			got[r.OfficerID] = append(got[r.OfficerID], it.Key)
		}
	}
	want := map[string][]string{
		"A30": {"remind|A30|cse-recognition|before-30|2026-12-24", "remind|A30|trauma-informed-communication|due|2026-11-24"},
		"B7":  {"remind|B7|cse-recognition|before-7|2026-12-01", "remind|B7|trauma-informed-communication|overdue-3|2026-11-01"},
		// cse done 2023-11-10 lapsed on 2026-11-10 (a new cycle, 14 days
		// overdue); tic done 2025-01-01 is valid until 2027-01-01.
		"LAPSED": {"remind|LAPSED|cse-recognition|overdue-2|2026-11-10"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reminders:\n got %v\nwant %v", got, want)
	}
	wantCounts := jobs.PlanCounts{Officers: 9, Leavers: 1, NoAction: 3, ToRemind: 3, Items: 5, CannotRemind: 3, NoEmail: 1, InvalidEmail: 2}
	if plan.Counts != wantCounts {
		t.Errorf("counts %+v, want %+v", plan.Counts, wantCounts)
	}
	var unreachable []string
	for _, u := range plan.CannotRemind {
		unreachable = append(unreachable, u.OfficerID+":"+u.Reason)
	}
	if want := []string{"BADMAIL:invalid email", "FLAGGED:invalid email", "NOMAIL:no email"}; !reflect.DeepEqual(unreachable, want) {
		t.Errorf("cannot remind %v, want %v", unreachable, want)
	}
	for _, r := range plan.Reminders {
		for _, it := range r.Items {
			if it.Why == "" || it.URL == "" {
				t.Errorf("%s %s: missing why or URL: %+v", r.OfficerID, it.Course, it)
			}
		}
	}
}

func TestPlanRemindersLedger(t *testing.T) {
	ds := planDataset()
	p := jobs.DefaultPolicy()
	keysOf := func(plan *jobs.Plan, id string) []string {
		var out []string
		for _, r := range plan.Reminders {
			if r.OfficerID == id {
				for _, it := range r.Items {
					out = append(out, it.Key)
				}
			}
		}
		return out
	}
	sent := map[string]bool{}
	has := func(k string) bool { return sent[k] }
	record := func(plan *jobs.Plan) {
		for _, r := range plan.Reminders {
			for _, it := range r.Items {
				sent[it.Key] = true
			}
		}
	}
	tests := []struct {
		name string
		asOf string
		want []string // A30's keys planned on that day
	}{
		{"first run sends the current stages", "2026-11-24", []string{"remind|A30|cse-recognition|before-30|2026-12-24", "remind|A30|trauma-informed-communication|due|2026-11-24"}},
		{"same stage the next day: nothing", "2026-11-25", nil},
		{"stage days missed (service down): only the latest stage", "2026-12-24", []string{"remind|A30|cse-recognition|due|2026-12-24", "remind|A30|trauma-informed-communication|overdue-4|2026-11-24"}},
		{"rerun: nothing", "2026-12-24", nil},
		{"a week later: next overdue stage only", "2026-12-31", []string{"remind|A30|cse-recognition|overdue-1|2026-12-24", "remind|A30|trauma-informed-communication|overdue-5|2026-11-24"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := jobs.PlanReminders(ds, ds.Courses, date(tt.asOf), p, has)
			if got := keysOf(plan, "A30"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("planned %v, want %v", got, tt.want)
			}
			record(plan)
		})
	}
	t.Run("a new due date starts a new cycle", func(t *testing.T) {
		// A30 completes cse; three years later it lapses: stages start again
		// for the new due date (the expiry) although "due" was sent before.
		// While compliant, the renewal is announced 30 and 7 days before
		// the expiry, and the cycle goes on with the same date once it lapses.
		ds.Completions["A30"] = append(ds.Completions["A30"], training.Completion{OfficerID: "A30", CourseID: "cse-recognition", Date: date("2027-01-05")})
		plan := jobs.PlanReminders(ds, ds.Courses[:1], date("2029-12-05"), p, has)
		if got := keysOf(plan, "A30"); got != nil {
			t.Errorf("31 days before expiry, yet planned %v", got)
		}
		plan = jobs.PlanReminders(ds, ds.Courses[:1], date("2029-12-06"), p, has)
		if got, want := keysOf(plan, "A30"), []string{"remind|A30|cse-recognition|before-30|2030-01-05"}; !reflect.DeepEqual(got, want) {
			t.Errorf("renewal: planned %v, want %v", got, want)
		}
		for _, r := range plan.Reminders {
			if it := r.Items[0]; r.OfficerID == "A30" && (it.Lapsed || it.Status != training.StatusCompliant) {
				t.Errorf("renewal item = %+v, want compliant and not lapsed", it)
			}
		}
		record(plan)
		plan = jobs.PlanReminders(ds, ds.Courses[:1], date("2030-01-05"), p, has)
		if got, want := keysOf(plan, "A30"), []string{"remind|A30|cse-recognition|due|2030-01-05"}; !reflect.DeepEqual(got, want) {
			t.Errorf("planned %v, want %v", got, want)
		}
	})
}

func TestBackoffAndISOWeek(t *testing.T) {
	if got := jobs.ISOWeek(date("2026-11-24")); got != "2026-W48" {
		t.Errorf("ISOWeek = %s", got)
	}
	if got := jobs.ISOWeek(date("2027-01-01")); got != "2026-W53" {
		t.Errorf("ISOWeek(2027-01-01) = %s, want 2026-W53", got)
	}
	_ = time.Second
}

// The scheduler's one-pass ledger filter must agree with PlanReminders.
func TestDropSentMatchesPlanReminders(t *testing.T) {
	ds := planDataset()
	p := jobs.DefaultPolicy()
	sent := map[string]bool{
		"remind|A30|cse-recognition|before-30|2026-12-24":              true,
		"remind|B7|cse-recognition|before-7|2026-12-01":                true,
		"remind|B7|trauma-informed-communication|overdue-3|2026-11-01": true,
	}
	want := jobs.PlanReminders(ds, ds.Courses, date("2026-11-24"), p, func(k string) bool { return sent[k] })
	got := jobs.PlanReminders(ds, ds.Courses, date("2026-11-24"), p, nil)
	jobs.DropSent(got, sent)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("filtered plan\n%+v\nwant\n%+v", got, want)
	}
}

// TestPlanRemindersSkipsPeopleOutsideTheAudience: narrowing a course's
// audience removes exactly the reminders of the people it leaves out, and
// the reminder plan, the line digests and the ledger keys never name them
// for that course; their other course is reminded as before.
func TestPlanRemindersSkipsPeopleOutsideTheAudience(t *testing.T) {
	asOf := date("2026-11-24")
	ds := planDataset()
	// Everyone reports to B7, so the line digest would name them all.
	for id, o := range ds.Officers {
		if id != "B7" {
			o.LineManager = "B7"
			ds.Officers[id] = o
		}
	}
	named := func() (n int) {
		for _, d := range jobs.PlanLineDigests(ds, asOf, "http://muster.test") {
			for _, l := range d.Data.People {
				if (l.ID == "A30" || l.ID == "LAPSED") && l.Course == ds.Courses[0].Title {
					n++
				}
			}
		}
		return n
	}
	if named() == 0 {
		t.Fatal("the line digest names neither A30 nor LAPSED for CSE before narrowing: the test would test nothing")
	}
	before := jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
	// Leave A30 and LAPSED out of CSE recognition by their IDs' units.
	out := map[string]bool{"A30": true, "LAPSED": true}
	for id := range out {
		o := ds.Officers[id]
		o.Role = "Payroll Officer"
		ds.Officers[id] = o
	}
	ds.Courses[0].Audience = training.Audience{Exclude: []training.AudienceRule{{Role: training.Words{"Payroll*"}}}}
	after := jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
	keys := func(p *jobs.Plan) map[string]bool {
		m := map[string]bool{}
		for _, r := range p.Reminders {
			for _, it := range r.Items {
				m[it.Key] = true
			}
		}
		return m
	}
	b, a := keys(before), keys(after)
	for k := range b {
		parts := strings.Split(k, "|")
		gone := out[parts[1]] && parts[2] == ds.Courses[0].ID
		if a[k] == gone {
			t.Errorf("%s: in the plan after narrowing = %v, want %v", k, a[k], !gone)
		}
	}
	if len(a) >= len(b) {
		t.Fatalf("narrowing removed nothing: %d keys before, %d after", len(b), len(a))
	}
	if n := named(); n != 0 {
		t.Errorf("the line digest still names %d people outside the audience for CSE", n)
	}
}
