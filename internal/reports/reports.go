// Package reports is the one entry point for "the report for this
// viewer": what a person asked for (unit, as-of date, courses) parsed and
// checked once, against the roster and what they may see, before any
// figures are built. The CLI (`muster report`, `muster officers`), the API
// (/api/v1/compliance and its export) and the dashboard call it, so an
// unknown unit, a unit outside a manager's scope, a bad date or course
// get one answer everywhere.
package reports

import (
	"strings"

	"github.com/muster-police/muster/training"
)

// Request is what a viewer asked for, as the edge received it.
type Request struct {
	Unit    string   // a unit path as typed ("" for the whole force, or the viewer's scope)
	AsOf    string   // YYYY-MM-DD, or "" for today
	Courses []string // course IDs; none for every course
}

// Query is a Request parsed and checked: ready to build figures from.
type Query struct {
	Unit    string // the unit path (training.ParseUnit)
	AsOf    training.Date
	Courses []string
	// Scope is what the viewer may see; Whole is true when they see every
	// officer in Unit's subtree (then the figures are the unrestricted
	// ones, which the live index keeps).
	Scope training.Scope
	Whole bool
}

// Options are the training.BuildReport options for q.
func (q Query) Options() training.ReportOptions {
	opts := training.ReportOptions{Unit: q.Unit, Courses: q.Courses}
	if !q.Scope.All {
		opts.Scope = &q.Scope
	}
	return opts
}

// ParseAsOf reads an as-of date: "" is today.
func ParseAsOf(s string, today training.Date) (training.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return today, nil
	}
	d, err := training.ParseDate(s)
	if err != nil {
		return training.Date{}, training.FieldErrorf(training.KindInvalid, "as_of", "%q is not a date in the form YYYY-MM-DD", s)
	}
	return d, nil
}

// Viewer is who asks: their account and what they may see in the roster
// (the server caches scopes; the CLI's is training.Scope{All: true}).
type Viewer struct {
	User  training.User
	Scope training.Scope
}

// For parses and checks req for v against ds, whose unit paths are units
// (UnitsOf(ds), which the server keeps per revision):
//   - a bad date or an unknown course is invalid;
//   - a unit outside what a manager may see is forbidden (whether it
//     exists or not: their answer does not tell);
//   - a unit no officer was ever in (leavers included) is not found, the
//     same for the CLI, the API and the dashboard: a typo never gives a
//     report of zeros.
func For(ds *training.Dataset, units Units, v Viewer, req Request, today training.Date) (Query, error) {
	asOf, err := ParseAsOf(req.AsOf, today)
	if err != nil {
		return Query{}, err
	}
	q := Query{Unit: training.ParseUnit(req.Unit), AsOf: asOf, Courses: req.Courses, Scope: v.Scope}
	if _, err := training.SelectCourses(ds.Courses, q.Courses); err != nil {
		return Query{}, err
	}
	if !UnitVisible(v.Scope, ds, q.Unit) {
		return Query{}, ErrOutOfScope
	}
	if err := units.Check(q.Unit); err != nil {
		return Query{}, err
	}
	q.Whole = v.Scope.All || v.User.Role == training.RoleManager && training.Scope{Units: v.User.Units}.AllowsUnit(q.Unit)
	return q, nil
}

// ErrOutOfScope is what a manager gets for a unit they may not see.
var ErrOutOfScope = training.FieldErrorf(training.KindForbidden, "unit", "this unit is outside what you may see")

// Units is every unit path an officer (leavers included) was ever in,
// with its ancestors.
type Units map[string]bool

// UnitsOf lists ds's units.
func UnitsOf(ds *training.Dataset) Units {
	set := Units{}
	for _, o := range ds.Officers {
		if o.Unit == "" || set[o.Unit] {
			continue
		}
		for _, a := range training.UnitAncestors(o.Unit) {
			set[a] = true
		}
	}
	return set
}

// Check is not found for a unit path no officer was ever in; "" (no
// unit) is always there.
func (u Units) Check(unit string) error {
	if unit == "" || u[unit] {
		return nil
	}
	return training.FieldErrorf(training.KindNotFound, "unit", "there is no unit %q (unit paths are parts joined by \" / \", e.g. \"Frontline Policing / Central West\")", unit)
}

// UnitVisible reports whether a viewer with scope sc may ask about unit:
// it lies in their units, or holds one of their units or someone of their
// reporting line. (The figures then count only what they may see.)
func UnitVisible(sc training.Scope, ds *training.Dataset, unit string) bool {
	if sc.All || sc.AllowsUnit(unit) {
		return true
	}
	for _, u := range sc.Units {
		if training.InUnit(u, unit) {
			return true
		}
	}
	for id := range sc.Officers {
		if o, ok := ds.Officers[id]; ok && training.InUnit(o.Unit, unit) {
			return true
		}
	}
	return false
}
