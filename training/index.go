package training

import "slices"

// Index holds the figures of BuildReport for every unit and course on one
// date, kept current one officer at a time: a change to an officer takes
// their old statuses out of the counts of their units and puts the new
// ones in (Remove, then Add), instead of evaluating the whole force again.
// Report renders exactly what BuildReport returns for that date without
// ReportOptions.Include. An Index is not safe for concurrent use.
type Index struct {
	asOf    Date
	courses []Course
	units   map[string]*unitFigures // by unit path; "" is the force
	// paths holds, by an officer's unit, the figures they count in (the
	// force's, then each unit down to theirs): looked up once per unit,
	// not made again per officer and post.
	paths map[string][]*unitFigures
}

type unitFigures struct {
	ver      uint64   // bumped whenever the unit's subtree changes (see ReportJSON)
	active   int      // active officers in the unit and below it
	counts   []Counts // by course, in the order of Index.courses
	children []string // unit paths one level down, sorted
}

// NewIndex counts every active officer of ds as of asOf.
func NewIndex(ds *Dataset, asOf Date) *Index {
	ix := &Index{asOf: asOf, courses: ds.Courses, units: map[string]*unitFigures{}, paths: map[string][]*unitFigures{}}
	ix.unit("")
	for id, o := range ds.Officers {
		ix.count(o, ds.Completions[id], ds.Exemptions[id], 1)
	}
	return ix
}

// AsOf is the date the figures are for.
func (ix *Index) AsOf() Date { return ix.asOf }

// Remove takes officer o (with their completions and exemptions as they
// were counted) out of the figures.
func (ix *Index) Remove(o Officer, comps []Completion, exs []Exemption) {
	ix.count(o, comps, exs, -1)
}

// Add puts officer o (with their completions and exemptions) into the figures.
func (ix *Index) Add(o Officer, comps []Completion, exs []Exemption) {
	ix.count(o, comps, exs, 1)
}

func (ix *Index) count(o Officer, comps []Completion, exs []Exemption, d int) {
	if o.ID == "" || !o.Active() { // not on the roster, or a leaver
		return
	}
	figs, ok := ix.paths[o.Unit]
	if !ok {
		figs = []*unitFigures{ix.units[""]}
		for _, p := range UnitAncestors(o.Unit) {
			figs = append(figs, ix.unit(p))
		}
		ix.paths[o.Unit] = figs
	}
	for _, f := range figs {
		f.active += d
		f.ver++
	}
	for i, c := range ix.courses {
		st := Evaluate(o, c, comps, exs, ix.asOf).Status
		for _, f := range figs {
			f.counts[i].add(st, d)
		}
	}
}

// unit returns the figures of path p, creating them (and linking p into
// its parent's children) when missing.
func (ix *Index) unit(p string) *unitFigures {
	if f, ok := ix.units[p]; ok {
		return f
	}
	f := &unitFigures{counts: make([]Counts, len(ix.courses))}
	ix.units[p] = f
	if p != "" {
		parts := SplitUnit(p)
		parent := ix.unit(JoinUnit(parts[:len(parts)-1]...))
		parent.ver++
		i, _ := slices.BinarySearch(parent.children, p)
		parent.children = slices.Insert(parent.children, i, p)
	}
	return f
}

// add counts status s d times (d is 1 or -1).
func (c *Counts) add(s Status, d int) {
	switch s {
	case StatusCompliant:
		c.Compliant += d
	case StatusOverdue:
		c.Overdue += d
	case StatusDueSoon:
		c.DueSoon += d
	case StatusOutstanding:
		c.Outstanding += d
	case StatusExempt:
		c.Exempt += d
		return
	default:
		return
	}
	c.Required += d
}

// Report returns what BuildReport(ds, ix.AsOf(), ReportOptions{Unit: unit,
// Courses: courses}) returns for the Dataset the index counts.
func (ix *Index) Report(unit string, courses []string) (*Report, error) {
	sel, err := SelectCourses(ix.courses, courses)
	if err != nil {
		return nil, err
	}
	pos := make([]int, len(sel))
	for i, c := range sel {
		pos[i] = slices.IndexFunc(ix.courses, func(x Course) bool { return x.ID == c.ID })
	}
	root := ix.node(unit, sel, pos)
	if f := ix.units[unit]; f != nil {
		ix.children(root, f, sel, pos)
	}
	return &Report{AsOf: ix.asOf, ReportNode: *root}, nil
}

func (ix *Index) node(p string, sel []Course, pos []int) *ReportNode {
	n := &ReportNode{Unit: p, Courses: make([]CourseFigures, len(sel)), Units: []*ReportNode{}}
	f := ix.units[p]
	for i, c := range sel {
		var k Counts
		if f != nil {
			k = f.counts[pos[i]]
		}
		n.Courses[i] = CourseFigures{Course: c.ID, Title: c.Title, Counts: k, Percent: k.Percent()}
	}
	return n
}

// children adds the nodes below n: every unit with an active officer in
// or under it (BuildReport's rule), sorted by path.
func (ix *Index) children(n *ReportNode, f *unitFigures, sel []Course, pos []int) {
	for _, p := range f.children {
		cf := ix.units[p]
		if cf.active <= 0 {
			continue
		}
		c := ix.node(p, sel, pos)
		ix.children(c, cf, sel, pos)
		n.Units = append(n.Units, c)
	}
}
