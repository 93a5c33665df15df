package training

// Validations shared by the command line, the API and the web pages, so a
// rule is checked once, in one place, with one message.

import (
	"fmt"
	"sort"
	"strings"
)

// CourseNameError is a course title or alias that another course already
// uses: rosters name courses by title or alias, so they could not tell the
// two apart.
type CourseNameError struct {
	Course string // the course being saved
	Field  string // "title" or "aliases"
	Name   string // the name in question, as typed
	Other  string // the course that already uses it
}

func (e *CourseNameError) Error() string { return e.error().Error() }

func (e *CourseNameError) error() *Error {
	return FieldErrorf(KindInvalid, e.Field, "the name %q is already used by course %q; rosters could not tell them apart", e.Name, e.Other)
}

// As makes errors.As(err, &*Error) find it, with its field.
func (e *CourseNameError) As(target any) bool { return SetAs(target, e.error()) }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *CourseNameError) Is(target error) bool { return target == ErrInvalid }

// CheckCourseNames checks that no two courses share a title or alias
// (case-insensitively) once changed replace or join existing: changed
// courses are checked against each other and against the existing courses
// they leave alone. The first clash is returned as a *CourseNameError.
func CheckCourseNames(existing []Course, changed ...Course) error {
	inChanged := map[string]bool{}
	for _, c := range changed {
		inChanged[c.ID] = true
	}
	owner := map[string]string{} // lower-cased name -> course id
	for _, c := range existing {
		if inChanged[c.ID] || c.Retired {
			continue // a retired course's names are free again
		}
		for _, n := range append([]string{c.Title}, c.Aliases...) {
			owner[strings.ToLower(CleanText(n))] = c.ID
		}
	}
	for _, c := range changed {
		if c.Retired {
			continue
		}
		for i, n := range append([]string{c.Title}, c.Aliases...) {
			key := strings.ToLower(CleanText(n))
			if key == "" {
				continue
			}
			if other, ok := owner[key]; ok && other != c.ID {
				field := "aliases"
				if i == 0 {
					field = "title"
				}
				return &CourseNameError{Course: c.ID, Field: field, Name: n, Other: other}
			}
			owner[key] = c.ID
		}
	}
	return nil
}

// UnknownUnitError is an account scope that is not a unit of the roster.
type UnknownUnitError struct {
	Unit    string
	Suggest string // a unit with the same last part, if there is one
}

func (e *UnknownUnitError) Error() string { return e.error().Error() }

// As makes errors.As(err, &*Error) find it, with its field.
func (e *UnknownUnitError) As(target any) bool { return SetAs(target, e.error()) }

func (e *UnknownUnitError) error() *Error {
	msg := fmt.Sprintf("there is no unit %q on the roster", e.Unit)
	if e.Suggest != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Suggest)
	} else {
		msg += "; pick one of the roster's units (full path, e.g. Frontline Policing / Central West)"
	}
	return &Error{Kind: KindInvalid, Field: "units", Message: msg}
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *UnknownUnitError) Is(target error) bool { return target == ErrInvalid }

// RosterUnits lists every unit path of ds's serving officers and all their
// ancestors, sorted: the tree a manager's scope is picked from.
func RosterUnits(ds *Dataset) []string {
	set := map[string]bool{}
	for _, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		for _, a := range UnitAncestors(o.Unit) {
			set[a] = true
		}
	}
	out := make([]string, 0, len(set))
	for u := range set {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// CheckUnits normalises account scopes (as people type them: any spacing
// around "/", any case) to the roster's unit paths, without repeats, and
// refuses one that is not a unit of the roster with an *UnknownUnitError.
// A store with no roster yet has no units to check against: the scopes
// are then only normalised.
func CheckUnits(ds *Dataset, units []string) ([]string, error) {
	tree := RosterUnits(ds)
	byLower := make(map[string]string, len(tree))
	for _, u := range tree {
		byLower[strings.ToLower(u)] = u
	}
	out := []string{}
	seen := map[string]bool{}
	for _, raw := range units {
		u := ParseUnit(raw)
		if u == "" {
			continue
		}
		if len(tree) > 0 {
			real, ok := byLower[strings.ToLower(u)]
			if !ok {
				e := &UnknownUnitError{Unit: u}
				last := strings.ToLower(lastPart(u))
				for _, t := range tree {
					if strings.ToLower(lastPart(t)) == last {
						e.Suggest = t
						break
					}
				}
				return nil, e
			}
			u = real
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out, nil
}

func lastPart(u string) string {
	parts := SplitUnit(u)
	if len(parts) == 0 {
		return ""
	}
	return parts[len(parts)-1]
}
