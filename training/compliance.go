package training

// This file is the one place that decides every number a manager sees
// (docs/COMPLIANCE.md). Everything here is a pure function of data and a date.

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
)

// Status is an officer's standing on one course on one date.
type Status string

// Statuses. StatusNotRequired is for leavers and for people outside a
// course's audience (or whose requirement has not yet begun): never counted.
const (
	StatusCompliant   Status = "compliant"
	StatusOverdue     Status = "overdue"
	StatusDueSoon     Status = "due_soon"
	StatusOutstanding Status = "outstanding"
	StatusExempt      Status = "exempt"
	StatusNotRequired Status = "not_required"
)

// Statuses lists the statuses that are counted, in display order.
var Statuses = []Status{StatusCompliant, StatusOverdue, StatusDueSoon, StatusOutstanding, StatusExempt}

// ParseStatus returns the status named s, and false for an unknown name.
func ParseStatus(s string) (Status, bool) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, true
		}
	}
	if s == string(StatusNotRequired) {
		return StatusNotRequired, true
	}
	return "", false
}

// CourseStatus is the evaluation of one officer on one course as of a date.
type CourseStatus struct {
	CourseID string `json:"course"`
	Status   Status `json:"status"`
	// Completion is the latest completion dated on or before the date, if any.
	Completion *Completion `json:"completion,omitempty"`
	// Expires is when Completion lapses (zero: never, or no completion).
	Expires Date `json:"expires"`
	// Due is the date by which the officer must (re)complete the course;
	// zero when compliant, exempt or not required.
	Due Date `json:"due"`
	// Exemption is the exemption covering the date, if any.
	Exemption *Exemption `json:"exemption,omitempty"`
	// Extension is the approved extension that moved Due, if any.
	Extension *Extension `json:"extension,omitempty"`
	// RenewBy is set while a compliant completion is inside its renewal
	// window (the course's due_soon_days, or renew_within_days when longer,
	// before it lapses): the date the renewal is due, which is Expires.
	// Zero otherwise.
	RenewBy Date `json:"renew_by,omitzero"`
}

// Required reports whether the course is asked of the person at all
// (anything but not_required). An officer's own page and its API list
// only these: there is nothing to ask of them about the others.
func (cs CourseStatus) Required() bool { return cs.Status != StatusNotRequired }

// ActionDate is the date a reminder is about: the due date when the
// officer must act, or, for a compliant completion that will lapse, its
// expiry date (so renewals can be announced before they fall due). Zero
// when there is nothing to remind of (exempt, not required, or a
// completion that never expires).
func (cs CourseStatus) ActionDate() Date {
	if cs.Status == StatusCompliant {
		return cs.Expires
	}
	return cs.Due
}

// ExpiryDate returns when a completion on done lapses: done plus the
// course's validity in calendar months, clamped to the month's end; zero
// when the course never expires.
func ExpiryDate(c Course, done Date) Date {
	if c.ValidForMonths <= 0 {
		return Date{}
	}
	return done.AddMonths(c.ValidForMonths)
}

// Evaluate decides the status of officer o on course c as of asOf, from
// the officer's completions and exemptions (of any course; others are ignored).
func Evaluate(o Officer, c Course, comps []Completion, exs []Exemption, asOf Date) CourseStatus {
	cs := CourseStatus{CourseID: c.ID}
	if !Required(o, c, asOf) {
		cs.Status = StatusNotRequired
		return cs
	}
	for i := range exs {
		if exs[i].CourseID == c.ID && exs[i].Covers(asOf) {
			e := exs[i]
			cs.Exemption = &e
			cs.Status = StatusExempt
			return cs
		}
	}
	var latest *Completion
	for i := range comps {
		if comps[i].CourseID != c.ID || comps[i].Date.IsZero() || comps[i].Date.After(asOf) {
			continue
		}
		if latest == nil || comps[i].Date.After(latest.Date) {
			latest = &comps[i]
		}
	}
	if latest != nil {
		l := *latest
		cs.Completion = &l
		cs.Expires = expiryOf(c, comps, l.Date)
		if cs.Expires.IsZero() || asOf.Before(cs.Expires) {
			cs.Status = StatusCompliant
			if !cs.Expires.IsZero() && asOf.DaysUntil(cs.Expires) <= max(c.DueSoonDays, c.RenewWithinDays) {
				cs.RenewBy = cs.Expires
			}
			return cs
		}
		cs.Due = cs.Expires
	} else {
		cs.Due = DueDate(o, c)
	}
	if e, ok := o.Extensions[c.ID]; ok && e.Until.After(cs.Due) {
		// A copy made here: taking e's address moved e to the heap at every
		// evaluation, extension or not (a fifth of a reminder plan's garbage).
		ext := e
		cs.Due, cs.Extension = e.Until, &ext
	}
	switch {
	case asOf.After(cs.Due):
		cs.Status = StatusOverdue
	case asOf.DaysUntil(cs.Due) <= c.DueSoonDays:
		cs.Status = StatusDueSoon
	default:
		cs.Status = StatusOutstanding
	}
	return cs
}

// DueDate is the first-time due date of course c for officer o:
// max(deadline, start + due_within_days) where both exist, whichever
// exists where one does, else first seen + due_within_days; where an
// import or an audience change recorded the date R the person's
// requirement began (Officer.RequiredSince), R takes the start date's place.
func DueDate(o Officer, c Course) Date {
	days := c.DueWithinDays
	start := o.StartDate
	if r, ok := o.RequiredSince[c.ID]; ok && !r.IsZero() {
		start = r
	}
	switch {
	case !c.Deadline.IsZero() && !start.IsZero():
		joiner := start.AddDays(days)
		if joiner.After(c.Deadline) {
			return joiner
		}
		return c.Deadline
	case !c.Deadline.IsZero():
		return c.Deadline
	case !start.IsZero():
		return start.AddDays(days)
	default:
		return o.FirstSeen.AddDays(days)
	}
}

// expiryOf is when the completion dated last lapses, given every
// completion in comps (of any course; others are ignored). Without
// renew_within_days it is ExpiryDate(c, last). With it, the completions
// of c up to last form a chain: one dated within renew_within_days before
// the expiry then current renews from that expiry (previous expiry +
// valid_for_months), so renewing early never shortens the cycle; one
// dated earlier than the window, or on or after a lapse, starts the cycle
// from its own date. This is Totara's certification "use certification
// expiry date" with a recertification window
// (https://totara.help/18/docs/what-are-certifications).
func expiryOf(c Course, comps []Completion, last Date) Date {
	if c.RenewWithinDays <= 0 || c.ValidForMonths <= 0 {
		return ExpiryDate(c, last)
	}
	dates := make([]Date, 0, 4)
	for i := range comps {
		d := comps[i].Date
		if comps[i].CourseID == c.ID && !d.IsZero() && !d.After(last) {
			dates = append(dates, d)
		}
	}
	slices.SortFunc(dates, Date.Compare)
	var exp Date
	for i, d := range dates {
		if i > 0 && d == dates[i-1] {
			continue
		}
		if !exp.IsZero() && d.Before(exp) && !d.Before(exp.AddDays(-c.RenewWithinDays)) {
			exp = exp.AddMonths(c.ValidForMonths)
		} else {
			exp = ExpiryDate(c, d)
		}
	}
	return exp
}

// Counts are the figures for one unit and course.
type Counts struct {
	Required    int `json:"required"`
	Compliant   int `json:"compliant"`
	Overdue     int `json:"overdue"`
	DueSoon     int `json:"due_soon"`
	Outstanding int `json:"outstanding"`
	Exempt      int `json:"exempt"`
}

// Add counts one status.
func (c *Counts) Add(s Status) {
	switch s {
	case StatusCompliant:
		c.Compliant++
	case StatusOverdue:
		c.Overdue++
	case StatusDueSoon:
		c.DueSoon++
	case StatusOutstanding:
		c.Outstanding++
	case StatusExempt:
		c.Exempt++
		return
	default:
		return
	}
	c.Required++
}

// Percent returns 100 × compliant / required rounded half up to one
// decimal, or nil when required is 0.
func (c Counts) Percent() *Percent {
	if c.Required == 0 {
		return nil
	}
	tenths := (2000*c.Compliant + c.Required) / (2 * c.Required) // half up, in integers
	p := Percent(tenths)
	return &p
}

// Percent is a percentage in tenths (375 = 37.5%), encoded in JSON with
// exactly one decimal.
type Percent int

// Float returns the percentage as a number.
func (p Percent) Float() float64 { return float64(p) / 10 }

// String formats the percentage with one decimal, e.g. "37.5".
func (p Percent) String() string { return strconv.FormatFloat(p.Float(), 'f', 1, 64) }

// MarshalJSON writes 37.5 (never 3.75e1, always one decimal).
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a number such as 37.5.
func (p *Percent) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*p = Percent(f*10 + 0.5)
	return nil
}

// CourseFigures are one course's counts in a report node.
type CourseFigures struct {
	Course string `json:"course"`
	Title  string `json:"title"`
	Counts
	Percent *Percent `json:"percent"`
}

// ReportNode is one unit in the report tree (docs/COMPLIANCE.md).
type ReportNode struct {
	Unit string `json:"unit"`
	// Label names a node that is not one unit: the root of a manager's
	// report over several units (LabelYourUnits), or the people of their
	// reporting line outside those units (LabelReportingLine). Unit is then
	// "" and the report's JSON writes "unit": null, so partial counts never
	// carry a unit's (or the force's) name.
	Label   string          `json:"label,omitempty"`
	Courses []CourseFigures `json:"courses"`
	Units   []*ReportNode   `json:"units"`
}

// Labels of report nodes that are not one unit (ReportNode.Label).
const (
	LabelYourUnits     = "Your units"
	LabelReportingLine = "Your reporting line"
)

// Name is how people read the node: its label, the unit's path, or
// "Whole force" for the force's root.
func (n *ReportNode) Name() string {
	switch {
	case n.Label != "":
		return n.Label
	case n.Unit == "":
		return "Whole force"
	}
	return n.Unit
}

// Report is the compliance report contract: the root node plus as_of.
type Report struct {
	AsOf Date `json:"as_of"`
	ReportNode
}

// reportNodeJSON is ReportNode on the wire: a labelled node's unit is null.
type reportNodeJSON struct {
	Unit    *string           `json:"unit"`
	Label   string            `json:"label,omitempty"`
	Courses []CourseFigures   `json:"courses"`
	Units   []*reportNodeJSON `json:"units"`
}

func nodeJSON(n *ReportNode) *reportNodeJSON {
	j := &reportNodeJSON{Label: n.Label, Courses: n.Courses, Units: make([]*reportNodeJSON, len(n.Units))}
	if n.Label == "" {
		u := n.Unit
		j.Unit = &u
	}
	for i, c := range n.Units {
		j.Units[i] = nodeJSON(c)
	}
	return j
}

// MarshalJSON writes the contract of docs/COMPLIANCE.md, with "unit": null
// on labelled nodes. The tree is converted once and encoded in one pass.
func (r Report) MarshalJSON() ([]byte, error) {
	j := nodeJSON(&r.ReportNode)
	return json.Marshal(struct {
		AsOf Date `json:"as_of"`
		*reportNodeJSON
	}{r.AsOf, j})
}

// ReportOptions narrow a report.
type ReportOptions struct {
	// Unit roots the report at this path ("" = whole force).
	Unit string
	// Courses limits the report to these course IDs (empty = all).
	Courses []string
	// Include, when set, limits the officers counted (e.g. a manager's
	// reporting line). Units outside it still appear only if they have
	// included officers.
	Include func(Officer) bool
	// Scope, when set and not everything, is the scoped-figures rule of
	// docs/COMPLIANCE.md: a unit is reported only when its whole subtree is
	// in scope (else ErrForbidden), and without Unit the report is rooted at
	// the scope: its one unit, or a root labelled "Your units" with each
	// scope unit (and the reporting line outside them) below it.
	Scope *Scope
}

// SelectCourses returns the courses named by ids (all when ids is empty),
// or ErrInvalid naming an unknown ID.
func SelectCourses(all []Course, ids []string) ([]Course, error) {
	if len(ids) == 0 {
		return all, nil
	}
	out := make([]Course, 0, len(ids))
	for _, id := range ids {
		found := false
		for _, c := range all {
			if c.ID == id {
				out = append(out, c)
				found = true
				break
			}
		}
		if !found {
			return nil, &UnknownCourseError{ID: id}
		}
	}
	return out, nil
}

// UnknownCourseError names a course ID that does not exist.
type UnknownCourseError struct{ ID string }

func (e *UnknownCourseError) Error() string { return e.error().Error() }

func (e *UnknownCourseError) error() *Error {
	return &Error{Kind: KindInvalid, Field: "course", Message: "there is no course with id " + strconv.Quote(e.ID)}
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *UnknownCourseError) Is(target error) bool { return target == ErrInvalid }

// As makes errors.As(err, &*Error) find it as an invalid course.
func (e *UnknownCourseError) As(target any) bool { return SetAs(target, e.error()) }

// BuildReport computes the figures for every unit under opts.Unit and every
// selected course, as of asOf. Every unit path that holds an active
// officer, and all its ancestors below the root, appear as nodes.
func BuildReport(ds *Dataset, asOf Date, opts ReportOptions) (*Report, error) {
	if opts.Scope != nil && !opts.Scope.All {
		return buildScopedReport(ds, asOf, opts)
	}
	courses, err := SelectCourses(ds.Courses, opts.Courses)
	if err != nil {
		return nil, err
	}
	root := &ReportNode{Unit: opts.Unit, Units: []*ReportNode{}}
	counts := map[string][]Counts{opts.Unit: make([]Counts, len(courses))}
	nodes := map[string]*ReportNode{opts.Unit: root}
	rootDepth := len(SplitUnit(opts.Unit))
	// The counts an officer adds to (their unit's and every unit above it)
	// are looked up once per unit, not per officer: per officer that was
	// a slice of paths and a map lookup per path and course.
	adds := map[string][][]Counts{}
	for id, o := range ds.Officers {
		if !o.Active() || !InUnit(o.Unit, opts.Unit) || (opts.Include != nil && !opts.Include(o)) {
			continue
		}
		to, ok := adds[o.Unit]
		if !ok {
			paths := append([]string{opts.Unit}, UnitAncestors(o.Unit)[rootDepth:]...)
			for _, p := range paths {
				if _, ok := counts[p]; !ok {
					counts[p] = make([]Counts, len(courses))
					nodes[p] = &ReportNode{Unit: p, Units: []*ReportNode{}}
				}
				to = append(to, counts[p])
			}
			adds[o.Unit] = to
		}
		for i, c := range courses {
			st := Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf).Status
			for _, cs := range to {
				cs[i].Add(st)
			}
		}
	}
	for p, n := range nodes {
		n.Courses = make([]CourseFigures, len(courses))
		for i, c := range courses {
			n.Courses[i] = CourseFigures{Course: c.ID, Title: c.Title, Counts: counts[p][i], Percent: counts[p][i].Percent()}
		}
		if p == opts.Unit {
			continue
		}
		parts := SplitUnit(p)
		parent := JoinUnit(parts[:len(parts)-1]...)
		if len(parts)-1 < rootDepth {
			parent = opts.Unit
		}
		nodes[parent].Units = append(nodes[parent].Units, n)
	}
	for _, n := range nodes {
		sort.Slice(n.Units, func(i, j int) bool { return n.Units[i].Unit < n.Units[j].Unit })
	}
	return &Report{AsOf: asOf, ReportNode: *root}, nil
}

// Find returns the node for unit path u within the tree, or nil.
func (n *ReportNode) Find(u string) *ReportNode {
	if n.Unit == u {
		return n
	}
	for _, c := range n.Units {
		if InUnit(u, c.Unit) {
			return c.Find(u)
		}
	}
	return nil
}

// Walk calls fn for n and every node below it, parents first.
func (n *ReportNode) Walk(fn func(*ReportNode)) {
	fn(n)
	for _, c := range n.Units {
		c.Walk(fn)
	}
}
