package jobs

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// TestPlanEscalationsSameAsBefore: PlanEscalations (look-ups once per
// person, words worked out once per status and date) finds the same
// people, in the same order, with the same lines, recipients and ledger
// keys as the walk it replaced (referenceEscalations), on a demo force with
// line managers, namesakes and extensions, at dates where few and many
// are escalated.
func TestPlanEscalationsSameAsBefore(t *testing.T) {
	start := training.DateOf(demo.Now())
	ds := demo.Dataset(demo.Force(11, 3000, 40, start), training.DefaultCourses())
	ds.Courses[0].EscalateAfterDays = 90
	ds.Courses[1].EscalateAfterDays = 30
	i := 0
	units := map[string]bool{}
	for id, o := range ds.Officers {
		switch i % 40 {
		case 0:
			o.Name = "Alex Namesake"
		case 1:
			o.Extensions = map[string]training.Extension{ds.Courses[0].ID: {Until: start.AddDays(-100), By: "A Manager"}}
		}
		ds.Officers[id] = o
		if u := training.UnitAbove(o.Unit); u != "" {
			units[u] = true
		}
		i++
	}
	var users []training.User
	for u := range units {
		users = append(users, training.User{Username: "m-" + u, Role: training.RoleManager, Email: "m@force.example", Units: []string{u}})
	}
	for _, days := range []int{0, 60, 400} {
		t.Run(fmt.Sprintf("%s+%dd", start, days), func(t *testing.T) {
			asOf := start.AddDays(days)
			got, want := PlanEscalations(ds, users, asOf), referenceEscalations(ds, users, asOf)
			if want.People == 0 || len(want.Line) == 0 || len(want.Unit) == 0 {
				t.Fatalf("the reference escalates %d people to %d line and %d unit recipients: the test would test little",
					want.People, len(want.Line), len(want.Unit))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("escalations differ from the reference: %d people, %d line, %d unit recipients; want %d, %d, %d",
					got.People, len(got.Line), len(got.Unit), want.People, len(want.Line), len(want.Unit))
			}
			gk, wk := got.Keys(), want.Keys()
			sort.Strings(gk)
			sort.Strings(wk)
			if !reflect.DeepEqual(gk, wk) {
				t.Errorf("%d keys, want %d (or they differ)", len(gk), len(wk))
			}
		})
	}
}

// referenceEscalations is PlanEscalations as it was before the cost
// curve's changes (commit acbca90): the test's oracle, kept as it was.
func referenceEscalations(ds *training.Dataset, users []training.User, asOf training.Date) Escalations {
	out := Escalations{Line: map[string][]Escalation{}, Unit: map[string][]Escalation{}, managers: map[string]recipient{}}
	escalating := false
	for _, c := range ds.Courses {
		escalating = escalating || c.EscalateAfterDays > 0
	}
	if !escalating {
		return out
	}
	byUnit := map[string][]string{} // unit path -> usernames that manage it
	for _, u := range users {
		// Managers only: another role given units (a trainer, say) gets
		// no names of people behind on their training.
		if u.Disabled || len(u.Units) == 0 || u.Role != training.RoleManager {
			continue
		}
		if _, reason := checkEmail(u.Email, false); reason != "" {
			continue
		}
		for _, unit := range u.Units {
			byUnit[unit] = append(byUnit[unit], u.Username)
		}
	}
	chain := training.NewLineChain(ds)
	// Find the escalated people first, then sort just them (by name, as
	// digests list people): sorting the whole roster cost more than the
	// rest of the step.
	var people []escalatedPerson
	for id, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		var found []Escalation
		for _, c := range ds.Courses {
			if c.EscalateAfterDays <= 0 {
				continue
			}
			cs := training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf)
			if !training.Escalated(c, cs, asOf) {
				continue
			}
			manager := ""
			if m := chain.Manager(o); m != "" {
				manager = ds.Officers[m].Name
			}
			found = append(found, Escalation{OfficerID: id, CourseID: c.ID, Due: cs.Due, Line: EscalatedLine{
				Name: o.Name, ID: displayID(o), Unit: o.Unit, Manager: manager, Course: c.Title, Status: statusWords(cs.Status),
				Words: training.DescribeEscalation(cs, asOf), Due: cs.Due.UK(), DaysOverdue: training.DaysOverdue(cs, asOf)}})
		}
		if len(found) > 0 {
			people = append(people, escalatedPerson{id: id, name: o.Name, found: found})
		}
	}
	sort.Slice(people, func(i, j int) bool {
		a, b := people[i], people[j]
		if a.name != b.name {
			return a.name < b.name
		}
		return a.id < b.id
	})
	for _, p := range people {
		o, found := ds.Officers[p.id], p.found
		out.People++
		if above := chain.ManagerAbove(o); above != "" {
			m := ds.Officers[above]
			if email, reason := usableEmail(m); reason == "" {
				out.Line[above] = append(out.Line[above], found...)
				out.managers[above] = recipient{name: m.Name, email: email}
			}
		}
		if unit := training.UnitAbove(o.Unit); unit != "" {
			for _, username := range byUnit[unit] {
				out.Unit[username] = append(out.Unit[username], found...)
			}
		}
	}
	return out
}
