package training

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndexFollowsRandomChanges applies a random stream of changes (new
// completions, some of them repeats or undated; officers moving unit,
// leaving and coming back; exemptions) one officer at a time to indexes
// for several dates, and compares every unit's report with a from-scratch
// BuildReport after each step.
func TestIndexFollowsRandomChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2026))
	courses := DefaultCourses()
	units := []string{"A", "A / B1", "A / B1 / C1", "A / B1 / C2", "A / B2", "A / B2 / C3", "D", "D / E & <F>"}
	base := d("2026-11-24")
	randDate := func() Date { return base.AddDays(rng.IntN(3*365*2) - 3*365*3/2) }
	ds := &Dataset{Revision: 1, Courses: courses, Officers: map[string]Officer{},
		Completions: map[string][]Completion{}, Exemptions: map[string][]Exemption{}}
	randOfficer := func(id string) Officer {
		o := Officer{ID: id, Name: "Officer " + id, Unit: units[rng.IntN(len(units))], FirstSeen: randDate(), Leaver: rng.IntN(8) == 0}
		if rng.IntN(2) == 0 {
			o.StartDate = randDate()
		}
		return o
	}
	randCompletion := func(id string) Completion {
		c := Completion{OfficerID: id, CourseID: courses[rng.IntN(len(courses))].ID, Date: randDate()}
		if rng.IntN(10) == 0 {
			c.DateUnknown = true
		}
		return c
	}
	const n = 60
	for i := range n {
		id := fmt.Sprint(i + 1)
		ds.Officers[id] = randOfficer(id)
		for range rng.IntN(4) {
			ApplyChange(ds, Change{Revision: 1, Completions: []Completion{randCompletion(id)}})
		}
	}
	ds.Completions["999"] = []Completion{randCompletion("999")} // not on the roster
	dates := []Date{base, base.AddDays(-400), base.AddDays(200), base.AddDays(900)}
	ixs := make([]*Index, len(dates))
	for i, day := range dates {
		ixs[i] = NewIndex(ds, day)
	}
	caches := map[string]*JSONCache{}
	check := func(step int) {
		t.Helper()
		for i, day := range dates {
			for _, u := range append([]string{"", "X"}, units...) {
				for _, sel := range [][]string{nil, {courses[1].ID, courses[0].ID}} {
					want, err := BuildReport(ds, day, ReportOptions{Unit: u, Courses: sel})
					if err != nil {
						t.Fatal(err)
					}
					got, err := ixs[i].Report(u, sel)
					if err != nil {
						t.Fatal(err)
					}
					wj, _ := json.Marshal(want)
					gj, _ := json.Marshal(got)
					if string(wj) != string(gj) {
						t.Fatalf("step %d, as of %s, unit %q, courses %v:\nindex %s\nbuild %s", step, day, u, sel, gj, wj)
					}
					ck := fmt.Sprint(i, u, sel)
					if caches[ck] == nil {
						caches[ck] = &JSONCache{}
					}
					var enc bytes.Buffer
					if err := json.NewEncoder(&enc).Encode(want); err != nil {
						t.Fatal(err)
					}
					js, err := ixs[i].ReportJSON(u, sel, caches[ck])
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(js, enc.Bytes()) {
						t.Fatalf("step %d, as of %s, unit %q, courses %v: ReportJSON\n%s\njson.Encoder\n%s", step, day, u, sel, js, enc.Bytes())
					}
				}
			}
		}
	}
	check(0)
	for step := 1; step <= 300; step++ {
		id := fmt.Sprint(rng.IntN(n+5) + 1) // a few are not on the roster
		o, known := ds.Officers[id]
		before := ds.Completions[id]
		for _, ix := range ixs {
			ix.Remove(o, before, ds.Exemptions[id])
		}
		switch k := rng.IntN(10); {
		case k < 6: // a batch of completions, with a repeat now and then
			var cs []Completion
			for range rng.IntN(3) + 1 {
				c := randCompletion(id)
				if len(before) > 0 && rng.IntN(4) == 0 {
					c = before[rng.IntN(len(before))]
				}
				cs = append(cs, c)
			}
			snapshot := slices.Clone(before)
			ApplyChange(ds, Change{Revision: int64(step + 1), Completions: cs})
			if !slices.Equal(before, snapshot) {
				t.Fatalf("step %d: ApplyChange changed a slice in place", step)
			}
		case k < 8 && known: // moves, leaves or returns
			ds.Officers[id] = randOfficer(id)
		case k < 9 && known:
			x := Exemption{OfficerID: id, CourseID: courses[rng.IntN(len(courses))].ID, From: randDate()}
			x.Until = x.From.AddDays(rng.IntN(400))
			ds.Exemptions[id] = append(slices.Clone(ds.Exemptions[id]), x)
		default:
			if !known {
				ds.Officers[id] = randOfficer(id)
			}
		}
		for _, ix := range ixs {
			ix.Add(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
		}
		check(step)
	}
}

// TestApplyChangeKeepsOrderAndDeduplicates pins the stores' rules.
func TestApplyChangeKeepsOrderAndDeduplicates(t *testing.T) {
	ds := &Dataset{}
	a := Completion{OfficerID: "1", CourseID: "b", Date: d("2026-01-02")}
	b := Completion{OfficerID: "1", CourseID: "a", Date: d("2026-03-02")}
	u := Completion{OfficerID: "1", CourseID: "a", Date: d("2026-03-02"), DateUnknown: true}
	touched := ApplyChange(ds, Change{Revision: 7, Completions: []Completion{a, u, b, a}})
	if got := ds.Completions["1"]; !slices.Equal(got, []Completion{b, u, a}) {
		t.Errorf("history = %+v, want a dated, a undated, b", got)
	}
	if !slices.Equal(touched, []string{"1"}) || ds.Revision != 7 {
		t.Errorf("touched %v revision %d", touched, ds.Revision)
	}
	if touched := ApplyChange(ds, Change{Revision: 8, Completions: []Completion{a}}); len(touched) != 0 {
		t.Errorf("a repeat touched %v", touched)
	}
}
