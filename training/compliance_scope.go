package training

import (
	"sort"
)

// ErrPartialUnit is returned when a manager asks for a unit they can see
// only part of: its figures would be partial counts under the unit's name.
var ErrPartialUnit = Forbiddenf("you can see only part of this unit, and a unit's figures must be the whole unit's; choose one of your units")

// ScopeRoots are the roots of what scope s shows: its units, without
// repeats or units inside another of them, sorted; and the IDs of active
// reporting-line officers outside every one of those units.
func ScopeRoots(ds *Dataset, s Scope) (units []string, outside []string) {
	seen := map[string]bool{}
	for _, u := range s.Units {
		u = ParseUnit(u)
		if !seen[u] {
			seen[u] = true
			units = append(units, u)
		}
	}
	sort.Strings(units)
	kept := units[:0]
	for _, u := range units {
		nested := false
		for _, k := range kept {
			if InUnit(u, k) {
				nested = true
				break
			}
		}
		if !nested {
			kept = append(kept, u)
		}
	}
	units = kept
	if ds == nil {
		return units, nil
	}
	for id := range s.Officers {
		o, ok := ds.Officers[id]
		if !ok || !o.Active() {
			continue
		}
		in := false
		for _, u := range units {
			if InUnit(o.Unit, u) {
				in = true
				break
			}
		}
		if !in {
			outside = append(outside, id)
		}
	}
	sort.Strings(outside)
	return units, outside
}

// buildScopedReport is BuildReport for a manager (opts.Scope, not All).
func buildScopedReport(ds *Dataset, asOf Date, opts ReportOptions) (*Report, error) {
	sc := *opts.Scope
	unscoped := opts
	unscoped.Scope, unscoped.Include = nil, nil
	if opts.Unit != "" {
		if !sc.AllowsUnit(opts.Unit) {
			return nil, ErrPartialUnit
		}
		return BuildReport(ds, asOf, unscoped)
	}
	units, outside := ScopeRoots(ds, sc)
	if len(units) == 1 && len(outside) == 0 {
		unscoped.Unit = units[0]
		return BuildReport(ds, asOf, unscoped)
	}
	courses, err := SelectCourses(ds.Courses, opts.Courses)
	if err != nil {
		return nil, err
	}
	root := &ReportNode{Label: LabelYourUnits, Units: []*ReportNode{}}
	if len(units) == 0 {
		root.Label = LabelReportingLine
	}
	total := make([]Counts, len(courses))
	for _, u := range units {
		unscoped.Unit = u
		r, err := BuildReport(ds, asOf, unscoped)
		if err != nil {
			return nil, err
		}
		for i, c := range r.Courses {
			total[i] = total[i].plus(c.Counts)
		}
		n := r.ReportNode
		root.Units = append(root.Units, &n)
	}
	if len(outside) > 0 {
		line := make([]Counts, len(courses))
		for _, id := range outside {
			o := ds.Officers[id]
			for i, c := range courses {
				line[i].Add(Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf).Status)
			}
		}
		n := &ReportNode{Label: LabelReportingLine, Courses: figures(courses, line), Units: []*ReportNode{}}
		for i := range total {
			total[i] = total[i].plus(line[i])
		}
		if len(units) > 0 {
			root.Units = append(root.Units, n)
		}
	}
	root.Courses = figures(courses, total)
	return &Report{AsOf: asOf, ReportNode: *root}, nil
}

func figures(courses []Course, counts []Counts) []CourseFigures {
	out := make([]CourseFigures, len(courses))
	for i, c := range courses {
		out[i] = CourseFigures{Course: c.ID, Title: c.Title, Counts: counts[i], Percent: counts[i].Percent()}
	}
	return out
}

// plus returns the sums of c and d.
func (c Counts) plus(d Counts) Counts {
	return Counts{Required: c.Required + d.Required, Compliant: c.Compliant + d.Compliant, Overdue: c.Overdue + d.Overdue,
		DueSoon: c.DueSoon + d.DueSoon, Outstanding: c.Outstanding + d.Outstanding, Exempt: c.Exempt + d.Exempt}
}
