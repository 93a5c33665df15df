package training_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// demoDataset is the demo force as a Dataset, with the demo's courses
// (audiences on both) and, for about one person in five, a recorded
// requirement date R on a course (as a move into its audience leaves).
func demoDataset(n, units int, asOf training.Date, courses []training.Course) *training.Dataset {
	cs := demo.Force(3, n, units, asOf)
	ds := &training.Dataset{Courses: courses, Officers: map[string]training.Officer{},
		Completions: map[string][]training.Completion{}, Exemptions: map[string][]training.Exemption{}}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, o := range cs.Officers {
		if rng.IntN(5) == 0 {
			c := courses[rng.IntN(len(courses))]
			o.RequiredSince = map[string]training.Date{c.ID: asOf.AddDays(-rng.IntN(400) + 100)}
		}
		ds.Officers[o.ID] = o
	}
	for _, c := range cs.Completions {
		ds.Completions[c.OfficerID] = append(ds.Completions[c.OfficerID], c)
	}
	for _, e := range cs.Exemptions {
		ds.Exemptions[e.OfficerID] = append(ds.Exemptions[e.OfficerID], e)
	}
	return ds
}

// naiveStatus is docs/COMPLIANCE.md read again, written out without
// training's helpers (patterns by regexp, R and due dates by hand), to check
// BuildReport against. It ignores renew_within_days: the courses it is
// given have none.
func naiveStatus(o training.Officer, c training.Course, comps []training.Completion, exs []training.Exemption, d training.Date) training.Status {
	if o.Leaver {
		return training.StatusNotRequired
	}
	word := func(patterns []string, s string) bool {
		for _, p := range patterns {
			parts := strings.Split(p, "*")
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			if s != "" && regexp.MustCompile("(?i)^"+strings.Join(parts, ".*")+"$").MatchString(s) {
				return true
			}
		}
		return false
	}
	matches := func(r training.AudienceRule) bool {
		unitOK := len(r.Unit) == 0
		for _, u := range r.Unit {
			unitOK = unitOK || o.Unit == u || strings.HasPrefix(o.Unit, u+" / ")
		}
		stOK := len(r.StaffType) == 0
		for _, s := range r.StaffType {
			stOK = stOK || s == string(o.StaffType)
		}
		return unitOK && stOK && (len(r.Rank) == 0 || word(r.Rank, o.Rank)) && (len(r.Role) == 0 || word(r.Role, o.Role))
	}
	in := len(c.Audience.Include) == 0
	for _, r := range c.Audience.Include {
		in = in || matches(r)
	}
	for _, r := range c.Audience.Exclude {
		in = in && !matches(r)
	}
	if !in {
		return training.StatusNotRequired
	}
	start, moved := o.RequiredSince[c.ID]
	if !moved {
		start = o.StartDate
	}
	r := start
	if r.IsZero() {
		r = o.FirstSeen
	}
	if r.After(d) {
		return training.StatusNotRequired
	}
	for _, e := range exs {
		if e.CourseID == c.ID && (e.From.IsZero() || !d.Before(e.From)) && (e.Until.IsZero() || !d.After(e.Until)) {
			return training.StatusExempt
		}
	}
	var last training.Date
	for _, x := range comps {
		if x.CourseID == c.ID && !x.Date.After(d) && x.Date.After(last) {
			last = x.Date
		}
	}
	var due training.Date
	switch {
	case !last.IsZero() && c.ValidForMonths == 0:
		return training.StatusCompliant
	case !last.IsZero():
		exp := last.AddMonths(c.ValidForMonths)
		if d.Before(exp) {
			return training.StatusCompliant
		}
		due = exp
	case !start.IsZero():
		due = start.AddDays(c.DueWithinDays)
		if !c.Deadline.IsZero() && c.Deadline.After(due) {
			due = c.Deadline
		}
	case !c.Deadline.IsZero():
		due = c.Deadline
	default:
		due = o.FirstSeen.AddDays(c.DueWithinDays)
	}
	switch {
	case d.After(due):
		return training.StatusOverdue
	case d.DaysUntil(due) <= c.DueSoonDays:
		return training.StatusDueSoon
	}
	return training.StatusOutstanding
}

// TestFiguresWithAudiencesMatchANaiveCount: every unit's figures, on a
// force whose courses have audiences and whose people have moved into them
// at various dates, equal a count made with naiveStatus, on three dates.
func TestFiguresWithAudiencesMatchANaiveCount(t *testing.T) {
	asOf := training.DateFrom(2026, 11, 24)
	courses := demo.Courses()
	courses[0].RenewWithinDays = 0 // naiveStatus reads no renewal window
	courses[1].Audience.Include = []training.AudienceRule{{StaffType: training.Words{"staff", "pcso"}}, {Rank: training.Words{"P*"}, Unit: training.Words{"Specialist Crime"}}}
	ds := demoDataset(4000, 120, asOf, courses)
	for _, d := range []training.Date{asOf, asOf.AddDays(-90), asOf.AddDays(60)} {
		rep, err := training.BuildReport(ds, d, training.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]training.Counts{}
		notRequired := 0
		for id, o := range ds.Officers {
			if o.Leaver {
				continue
			}
			for _, p := range append([]string{""}, training.UnitAncestors(o.Unit)...) {
				if want[p] == nil {
					want[p] = make([]training.Counts, len(courses))
				}
				for i, c := range courses {
					st := naiveStatus(o, c, ds.Completions[id], ds.Exemptions[id], d)
					want[p][i].Add(st)
					if p == "" && st == training.StatusNotRequired {
						notRequired++
					}
				}
			}
		}
		if notRequired < 500 {
			t.Fatalf("%s: only %d not required: the test would not test audiences", d, notRequired)
		}
		nodes := 0
		rep.Walk(func(n *training.ReportNode) {
			nodes++
			for i, f := range n.Courses {
				if w := want[n.Unit]; w == nil || f.Counts != w[i] {
					t.Errorf("%s, %q, %s: got %+v, want %+v", d, n.Unit, f.Course, f.Counts, w)
				}
			}
		})
		if nodes != len(want) {
			t.Errorf("%s: %d nodes, want %d", d, nodes, len(want))
		}
	}
}

// BenchmarkBuildReport builds the force's figures for 150,000 people with
// and without audiences on every course (the bound: with ≤ 1.2×
// without, in the same run).
func BenchmarkBuildReport(b *testing.B) {
	asOf := training.DateFrom(2026, 11, 24)
	with := demoDataset(150_000, 2_000, asOf, demo.Courses())
	without := *with
	without.Courses = training.DefaultCourses()
	// The matching's own cost, with nobody left out: every course has an
	// audience of four conditions that everyone passes and a pattern
	// exclusion that nobody matches.
	allIn := *with
	allIn.Courses = training.DefaultCourses()
	for i := range allIn.Courses {
		allIn.Courses[i].Audience = training.Audience{
			Include: []training.AudienceRule{{Unit: training.Words{"Nowhere"}}, {StaffType: training.Words{"officer", "special", "pcso", "staff"}, Unit: training.Words{"Frontline Policing", "Specialist Crime", "Met Operations", "Professionalism", "Public Protection Command", "Protective Security"}}},
			Exclude: []training.AudienceRule{{Role: training.Words{"Chief*Officer"}}},
		}
	}
	for _, bc := range []struct {
		name string
		ds   *training.Dataset
	}{{"without-audiences", &without}, {"with-audiences", with}, {"audiences-everyone-in", &allIn}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := training.BuildReport(bc.ds, asOf, training.ReportOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
