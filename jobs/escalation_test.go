package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// The escalation force, as of Tuesday 2026-11-24. CSE escalates after 90
// days overdue (due = start + 90); trauma-informed communication never
// escalates.
//
//	CHIEF <- INSP <- SGT <- AMY (Frontline / North / Response, due 2026-04-01: 237 days overdue)
//	                     <- GUS (Frontline, a top-level unit: no unit above)
//	                     <- DEE (overdue 30 days: not escalated)
//	                     <- EVE (exempt), FAY (leaver): never
//	BEN (no line manager), CAL (line manager LOOP, whose manager is CAL),
//	IDA (line manager ORPHAN, whose manager GONE has no record): the unit above only
//	HAL (Frontline / South, no line manager): the unit above is Frontline
func escalationForce(t testing.TB, st training.Store) {
	t.Helper()
	courses := testCourses()
	courses[0].EscalateAfterDays = 90
	o := func(id, name, unit, start, lm string) training.Officer {
		x := officer(id, name, strings.ToLower(id)+"@force.example", unit, start)
		x.LineManager = lm
		return x
	}
	const resp = "Frontline / North / Response"
	officers := []training.Officer{
		o("CHIEF", "Chris Chief", "Frontline", "2026-11-20", ""),
		o("INSP", "Ina Inspector", "Frontline / North", "2026-11-20", "CHIEF"),
		o("SGT", "Sam Sergeant", resp, "2026-11-20", "insp@force.example"), // by email
		o("AMY", "Amy Late", resp, "2026-01-01", "SGT"),
		o("GUS", "Gus Top", "Frontline", "2026-01-01", "SGT"),
		o("DEE", "Dee Recent", resp, "2026-07-27", "SGT"),
		o("EVE", "Eve Exempt", resp, "2026-01-01", "SGT"),
		o("FAY", "Fay Leaver", resp, "2026-01-01", "SGT"),
		o("BEN", "Ben Nomanager", resp, "2026-01-01", ""),
		o("CAL", "Cal Loop", resp, "2026-01-01", "LOOP"),
		o("LOOP", "Lou Loop", resp, "2026-11-20", "CAL"),
		o("IDA", "Ida Orphan", resp, "2026-01-01", "ORPHAN"),
		o("ORPHAN", "Olly Orphan", resp, "2026-11-20", "GONE"),
		o("HAL", "Hal South", "Frontline / South", "2026-01-01", ""),
	}
	officers[7].Leaver, officers[7].LeftOn = true, date("2026-10-01")
	exs := []training.Exemption{{OfficerID: "EVE", CourseID: "cse-recognition", From: date("2026-05-01"), Reason: "long-term sick"}}
	seed(t, st, courses, officers, nil, exs)
	ctx := context.Background()
	for _, u := range []training.User{
		{Username: "north", Role: training.RoleManager, Email: "north@force.example", Units: []string{"Frontline / North"}},
		{Username: "front", Role: training.RoleManager, Email: "front@force.example", Units: []string{"Frontline"}},
		{Username: "resp", Role: training.RoleManager, Email: "resp@force.example", Units: []string{resp}}, // the person's own unit: not above
		{Username: "off", Role: training.RoleManager, Email: "off@force.example", Units: []string{"Frontline / North"}, Disabled: true},
		{Username: "nomail", Role: training.RoleManager, Units: []string{"Frontline / North"}},
		{Username: "hrnorth", Role: training.RoleHR, Email: "hrnorth@force.example", Units: []string{"Frontline / North"}}, // not a manager
	} {
		u.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
}

// escalatedNames lists "NAME/COURSE" of escalations, sorted.
func escalatedNames(es []jobs.Escalation) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Line.Name+"/"+e.CourseID)
	}
	sort.Strings(out)
	return out
}

// TestPlanEscalations: who gets which escalated section. The line
// manager's manager hears of their second-line reports (found by ID or
// email); a loop, a missing record or no line manager leaves the unit
// above only; the person's own unit, a disabled user, a user without
// email and an account that is not a manager hear nothing; exempt people,
// leavers, those overdue less than 90
// days and courses without the setting never escalate.
func TestPlanEscalations(t *testing.T) {
	st := newBolt(t)
	escalationForce(t, st)
	ctx := context.Background()
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	esc := jobs.PlanEscalations(ds, users, asOf)
	got := map[string][]string{}
	for mgr, es := range esc.Line {
		got["line:"+mgr] = escalatedNames(es)
	}
	for u, es := range esc.Unit {
		got["unit:"+u] = escalatedNames(es)
	}
	want := map[string][]string{
		"line:INSP":  {"Amy Late/cse-recognition", "Gus Top/cse-recognition"},
		"unit:north": {"Amy Late/cse-recognition", "Ben Nomanager/cse-recognition", "Cal Loop/cse-recognition", "Ida Orphan/cse-recognition"},
		"unit:front": {"Hal South/cse-recognition"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("escalations\n got %v\nwant %v", got, want)
	}
	if esc.People != 6 {
		t.Errorf("%d people escalated, want 6", esc.People)
	}
	amy := esc.Line["INSP"][0].Line
	if amy.Words != "Overdue — was due 01/04/2026 (237 days overdue)" || amy.Manager != "Sam Sergeant" || amy.Unit != "Frontline / North / Response" || amy.Status != "overdue" {
		t.Errorf("Amy's line: %+v", amy)
	}
	// A manager above whose email is known to be invalid: the unit above still hears.
	insp := ds.Officers["INSP"]
	insp.EmailInvalid = true
	ds.Officers["INSP"] = insp
	if esc := jobs.PlanEscalations(ds, users, asOf); len(esc.Line) != 0 || len(esc.Unit["north"]) != 4 {
		t.Errorf("manager above without email: line %v, unit north %v", esc.Line, escalatedNames(esc.Unit["north"]))
	}
	// The day before Amy's 90th overdue day (2026-06-30), nobody.
	if esc := jobs.PlanEscalations(ds, users, date("2026-06-29")); len(esc.Line)+len(esc.Unit) != 0 {
		t.Errorf("escalated before 90 days: %+v", esc)
	}
}

// TestEscalationsPlannedOnce runs the digests on both stores: the
// escalated sections reach the line manager's manager (who gets a digest
// for them alone) and the unit above, with one ledger key per
// escalation; a re-run that week, the next week, and two replicas racing
// plan none of them twice.
func TestEscalationsPlannedOnce(t *testing.T) {
	for name, open := range map[string]func(testing.TB) training.Store{"bolt": newBolt, "redis": newRedis} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			escalationForce(t, st)
			c := newClock(at(asOf))
			var replicas []*jobs.Scheduler
			for _, owner := range []string{"one", "two", "three"} {
				replicas = append(replicas, newScheduler(t, st, mail.NewDrop(t.TempDir()), c, owner))
			}
			s := replicas[0]
			if r := mustRun(t, s, jobs.JobDigests, true, asOf); r.Counts["escalations"] != 7 || len(outbox(t, st)) != 0 {
				t.Fatalf("dry run: %v", r.Counts)
			}
			// Three replicas racing the first run: each escalation is planned
			// by one of them (the job lock, and the ledger behind it).
			if n := raceDigests(t, asOf, replicas); n != 7 {
				t.Errorf("escalations planned %d, want 7 (2 up the line, 4 + 1 to the units above)", n)
			}
			byTo := map[string]training.Message{}
			for _, m := range outbox(t, st) {
				byTo[m.To] = m
			}
			insp, ok := byTo["insp@force.example"]
			if !ok {
				t.Fatalf("no digest to the sergeant's manager: %v", keysOf(byTo))
			}
			wantKeys := []string{"digest|line|INSP|2026-W48",
				"escalate|line|INSP|AMY|cse-recognition|2026-04-01", "escalate|line|INSP|GUS|cse-recognition|2026-04-01"}
			if !reflect.DeepEqual(insp.LedgerKeys, wantKeys) {
				t.Errorf("ledger keys %v, want %v", insp.LedgerKeys, wantKeys)
			}
			for _, part := range []string{insp.Text, insp.HTML} {
				for _, want := range []string{"Escalated", "Amy Late (AMY)", "Gus Top (GUS)", "line manager Sam Sergeant",
					"CSE recognition: Overdue — was due 01/04/2026 (237 days overdue)"} {
					if !strings.Contains(part, want) {
						t.Errorf("the manager above's digest lacks %q:\n%s", want, part)
					}
				}
				for _, never := range []string{"Dee Recent", "Eve Exempt", "Fay Leaver", "Trauma-informed communication: Overdue", "0 of the people who report to you"} {
					if strings.Contains(part, never) {
						t.Errorf("the manager above's digest says %q:\n%s", never, part)
					}
				}
			}
			north := byTo["north@force.example"]
			for _, want := range []string{"Escalated", "Amy Late (AMY), Frontline / North / Response: CSE recognition: Overdue — was due 01/04/2026 (237 days overdue)",
				"Ben Nomanager", "Cal Loop", "Ida Orphan"} {
				if !strings.Contains(north.Text, want) {
					t.Errorf("the unit above's digest lacks %q:\n%s", want, north.Text)
				}
			}
			if strings.Contains(byTo["resp@force.example"].Text, "Escalated") {
				t.Errorf("the person's own unit was told of an escalation:\n%s", byTo["resp@force.example"].Text)
			}
			if sgt := byTo["sgt@force.example"]; !strings.Contains(sgt.Text, "Amy Late") || strings.Contains(sgt.Text, "Escalated") {
				t.Errorf("the line manager's own digest should list Amy as overdue, without escalation:\n%s", sgt.Text)
			}
			before := len(outbox(t, st))

			// The same week, again: nothing.
			c.Add(2 * time.Hour)
			if r := mustRun(t, s, jobs.JobDigests, false, asOf); r.Counts["enqueued"] != 0 || r.Counts["escalations"] != 0 {
				t.Errorf("re-run: %v", r.Counts)
			}
			// Three replicas racing the next week: the weekly digests go
			// once, the escalations are not told again, and the manager above
			// (with nothing else to hear) gets no digest.
			next := asOf.AddDays(7)
			c.Set(at(next))
			escalations := raceDigests(t, next, replicas)
			if escalations != 0 {
				t.Errorf("the next week planned %d escalations again", escalations)
			}
			box := outbox(t, st)
			weekly := len(box) - before
			if weekly != before-1 {
				t.Errorf("the next week queued %d digests, want %d (everyone but the manager above)", weekly, before-1)
			}
			count := map[string]int{}
			for _, m := range box {
				for _, k := range m.LedgerKeys {
					count[k]++
				}
				if m.To == "insp@force.example" && m.LedgerKeys[0] != "digest|line|INSP|2026-W48" {
					t.Errorf("the manager above got a digest with nothing new: %v", m.LedgerKeys)
				}
			}
			for k, n := range count {
				if n != 1 {
					t.Errorf("ledger key %s on %d messages", k, n)
				}
			}
		})
	}
}

// TestEscalationsWaitForAnEditedTemplate: a line digest template edited
// before escalations existed does not show them, so they are not planned
// (nothing recorded) and the run says so; once the template shows them,
// the next digest carries them.
func TestEscalationsWaitForAnEditedTemplate(t *testing.T) {
	st := newBolt(t)
	escalationForce(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
	ctx := context.Background()
	old := `{{define "subject"}}Team summary{{end}}{{define "text"}}{{range .People}}{{.Name}}{{end}}{{end}}{{define "html"}}<p>{{range .People}}{{.Name}}{{end}}</p>{{end}}`
	if err := s.SetTemplate(ctx, jobs.TemplateLineDigest, old); err != nil {
		t.Fatal(err)
	}
	r, _ := s.RunNow(ctx, jobs.JobDigests, false, asOf)
	if r.Counts["escalations"] != 5 || !strings.Contains(strings.Join(r.Errors, "\n"), "no Escalated section") {
		t.Errorf("with an old template: counts %v errors %v; want the 5 unit escalations and an error", r.Counts, r.Errors)
	}
	for _, m := range outbox(t, st) {
		if m.To == "insp@force.example" {
			t.Errorf("a digest with nothing to show went to the manager above: %v", m.LedgerKeys)
		}
	}
	if err := s.SetTemplate(ctx, jobs.TemplateLineDigest, ""); err != nil {
		t.Fatal(err)
	}
	next := asOf.AddDays(7)
	c.Set(at(next))
	if r := mustRun(t, s, jobs.JobDigests, false, next); r.Counts["escalations"] != 2 {
		t.Errorf("with the default template again: %v, want the 2 escalations up the line", r.Counts)
	}
}

// raceDigests runs the digests job on every replica at once and returns
// the escalations they planned between them.
func raceDigests(t *testing.T, day training.Date, replicas []*jobs.Scheduler) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	escalations := 0
	for _, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := r.RunNow(context.Background(), jobs.JobDigests, false, day)
			if err != nil && !errors.Is(err, training.ErrConflict) {
				t.Error(err)
			}
			mu.Lock()
			escalations += run.Counts["escalations"]
			mu.Unlock()
		}()
	}
	wg.Wait()
	return escalations
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestManyEscalationsInOneDigest: a force's first run after a course
// starts escalating can put thousands of people in one unit digest; the
// message carries a ledger key for each (more than Lua's unpack takes in
// one go on Redis) and is enqueued whole, once, on both stores.
func TestManyEscalationsInOneDigest(t *testing.T) {
	const n = 9000
	for name, open := range map[string]func(testing.TB) training.Store{"bolt": newBolt, "redis": newRedis} {
		t.Run(name, func(t *testing.T) {
			st := open(t)
			courses := testCourses()
			courses[0].EscalateAfterDays = 90
			var officers []training.Officer
			for i := range n {
				id := fmt.Sprintf("M%05d", i)
				officers = append(officers, officer(id, "Person "+id, "", "Big / Team", "2026-01-01"))
			}
			seed(t, st, courses, officers, nil, nil)
			if err := st.CreateUser(context.Background(), training.User{Username: "big", Role: training.RoleManager, Email: "big@force.example",
				Units: []string{"Big"}, Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
			c := newClock(at(asOf))
			s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
			if r := mustRun(t, s, jobs.JobDigests, false, asOf); r.Counts["escalations"] != n || r.Counts["enqueued"] != 1 {
				t.Fatalf("counts %v, want %d escalations in 1 digest", r.Counts, n)
			}
			for _, m := range outbox(t, st) {
				if len(m.LedgerKeys) != n+1 || !strings.Contains(m.Text, "Person M08999") {
					t.Errorf("the digest has %d ledger keys, want %d, or lacks the last person", len(m.LedgerKeys), n+1)
				}
			}
			c.Set(at(asOf.AddDays(7)))
			if r := mustRun(t, s, jobs.JobDigests, false, asOf.AddDays(7)); r.Counts["escalations"] != 0 {
				t.Errorf("the next week: %v", r.Counts)
			}
		})
	}
}
