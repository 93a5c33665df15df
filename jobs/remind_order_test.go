package jobs

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// TestPlanRemindersSameAsSortedWalk: PlanReminders (people in map order,
// sorted a unit at a time, keys and items in shared blocks) plans exactly
// what the plain walk it replaced planned (referencePlan: every person in
// unit, name, ID order, each key built on its own): the same reminders in
// the same order, the same items, words, reasons and ledger keys byte for
// byte, the same counts. On a demo force with leavers, bad addresses,
// exemptions, completions, extensions and people sharing a unit and a
// name, at dates that reach every stage, with and without a ledger.
func TestPlanRemindersSameAsSortedWalk(t *testing.T) {
	start := training.DateOf(demo.Now())
	ds := demo.Dataset(demo.Force(7, 3000, 40, start), training.DefaultCourses())
	i := 0
	for id, o := range ds.Officers {
		switch i % 50 {
		case 0: // namesakes in one unit: only the ID orders them
			o.Name = "Alex Namesake"
			o.Unit = ds.Officers["100000"].Unit
		case 1: // an approved extension
			o.Extensions = map[string]training.Extension{ds.Courses[0].ID: {Until: start.AddDays(20), By: "A Manager"}}
		case 2:
			o.Email = "  " + o.Email + " " // trimmed by the plan
		case 3:
			o.Email = ""
		}
		ds.Officers[id] = o
		i++
	}
	empty := &training.Dataset{Courses: ds.Courses}
	if got, want := PlanReminders(empty, ds.Courses, start, DefaultPolicy(), nil), referencePlan(empty, ds.Courses, start, DefaultPolicy(), nil); !reflect.DeepEqual(got, want) {
		t.Errorf("an empty roster's plan is %+v (reminders nil: %v, cannot_remind nil: %v), want %+v with empty lists, not null",
			got, got.Reminders == nil, got.CannotRemind == nil, want)
	}
	sentHalf := func(k string) bool { return len(k)%2 == 0 }
	for _, days := range []int{0, 1, 40, 200, 400, 800} {
		asOf := start.AddDays(days)
		for _, tt := range []struct {
			name string
			sent func(string) bool
		}{{"no ledger", nil}, {"half sent", sentHalf}} {
			t.Run(fmt.Sprintf("%s+%dd/%s", start, days, tt.name), func(t *testing.T) {
				got := PlanReminders(ds, ds.Courses, asOf, DefaultPolicy(), tt.sent)
				want := referencePlan(ds, ds.Courses, asOf, DefaultPolicy(), tt.sent)
				if len(want.Reminders) == 0 || len(want.CannotRemind) == 0 {
					t.Fatalf("the reference plans %d reminders and %d unreachable: the test would test little",
						len(want.Reminders), len(want.CannotRemind))
				}
				if got.Counts != want.Counts {
					t.Errorf("counts %+v, want %+v", got.Counts, want.Counts)
				}
				compareEntries(t, "reminder", len(got.Reminders), len(want.Reminders), func(i int) (any, any) {
					return got.Reminders[i], want.Reminders[i]
				})
				compareEntries(t, "unreachable", len(got.CannotRemind), len(want.CannotRemind), func(i int) (any, any) {
					return got.CannotRemind[i], want.CannotRemind[i]
				})
			})
		}
	}
}

// compareEntries reports the first of a plan list's entries that differs.
func compareEntries(t *testing.T, what string, got, want int, at func(int) (any, any)) {
	t.Helper()
	if got != want {
		t.Errorf("%d %s entries, want %d", got, what, want)
		return
	}
	for i := range got {
		if g, w := at(i); !reflect.DeepEqual(g, w) {
			t.Errorf("%s %d:\n got %+v\nwant %+v", what, i, g, w)
			return
		}
	}
}

// referencePlan is PlanReminders as it was before the cost curve's
// changes (commit 8dcf54b), the test's oracle: kept as it was, but for
// building each ledger key and sentence on its own.
func referencePlan(ds *training.Dataset, courses []training.Course, asOf training.Date, p Policy, sent func(key string) bool) *Plan {
	p = p.withDefaults()
	plan := &Plan{AsOf: asOf, Reminders: []Reminder{}, CannotRemind: []Unreachable{}}
	type ref struct{ unit, name, id string }
	refs := make([]ref, 0, len(ds.Officers))
	for id, o := range ds.Officers {
		refs = append(refs, ref{o.Unit, o.Name, id})
	}
	sort.Slice(refs, func(i, j int) bool {
		a, b := &refs[i], &refs[j]
		if a.unit != b.unit {
			return a.unit < b.unit
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.id < b.id
	})
	for _, rf := range refs {
		id := rf.id
		o := ds.Officers[id]
		if !o.Active() {
			plan.Counts.Leavers++
			continue
		}
		plan.Counts.Officers++
		var items []Item
		for _, c := range courses {
			st := training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf)
			due := st.ActionDate()
			if due.IsZero() {
				continue
			}
			stage, ok := p.StageAt(due, asOf)
			if !ok {
				continue
			}
			key := fmt.Sprintf("remind|%s|%s|%s|%s", id, c.ID, stage.Name, due.String())
			if sent != nil && sent(key) {
				plan.Counts.AlreadySent++
				continue
			}
			items = append(items, Item{Course: c.ID, Title: c.Title, Status: st.Status, Words: training.Describe(st).Words, Due: due,
				Lapsed: st.Completion != nil && st.Status != training.StatusCompliant, Stage: stage.Name, URL: c.URL,
				Why: why(stage, st, due, asOf), Key: key})
		}
		if len(items) == 0 {
			plan.Counts.NoAction++
			continue
		}
		email, reason := usableEmail(o)
		if reason != "" {
			plan.Counts.CannotRemind++
			if reason == ReasonNoEmail {
				plan.Counts.NoEmail++
			} else {
				plan.Counts.InvalidEmail++
			}
			plan.CannotRemind = append(plan.CannotRemind, Unreachable{OfficerID: id, DisplayID: o.DisplayID,
				Name: o.Name, Unit: o.Unit, Reason: reason, Items: items})
			continue
		}
		plan.Counts.ToRemind++
		plan.Counts.Items += len(items)
		plan.Reminders = append(plan.Reminders, Reminder{OfficerID: id, DisplayID: o.DisplayID, Name: o.Name,
			Email: email, Unit: o.Unit, Items: items})
	}
	return plan
}

// TestReminderKeyWritten: the key PlanReminders writes into its shared
// blocks is ReminderKey's, and several keys in one block stay intact.
func TestReminderKeyWritten(t *testing.T) {
	due := training.NewDate(2026, 12, 24)
	k := keyChunk{size: 40}
	var got []string
	for _, id := range []string{"A30", "0012345", "x"} {
		got = append(got, k.reminderKey(id, "cse-recognition", "before-30", due.String()))
	}
	for i, id := range []string{"A30", "0012345", "x"} {
		want := "remind|" + id + "|cse-recognition|before-30|2026-12-24"
		if got[i] != want || ReminderKey(id, "cse-recognition", "before-30", due) != want {
			t.Errorf("key %d = %q (ReminderKey %q), want %q", i, got[i], ReminderKey(id, "cse-recognition", "before-30", due), want)
		}
	}
}
