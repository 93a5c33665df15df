package training

import (
	"cmp"
	"strings"
)

// ListKey is where an officer stands in an officer list: lists are
// sorted by unit path, then name, then ID (the ID makes the order total).
// A key is also a position in a list that stays put while statuses change
// (a paged list's cursor): only an import moves an officer in it.
type ListKey struct{ Unit, Name, ID string }

// ListKeyOf is o's place in an officer list.
func ListKeyOf(o Officer) ListKey { return ListKey{Unit: o.Unit, Name: o.Name, ID: o.ID} }

// Compare orders keys as officer lists are sorted: -1, 0 or 1.
func (k ListKey) Compare(l ListKey) int {
	if c := strings.Compare(k.Unit, l.Unit); c != 0 {
		return c
	}
	if c := strings.Compare(k.Name, l.Name); c != 0 {
		return c
	}
	return cmp.Compare(k.ID, l.ID)
}

// Selects reports whether an officer with the evaluation os is in the
// list f describes: on the roster (or a leaver, when f asks for leavers),
// in f's unit subtree and scope, and, when f names a course or a status,
// with that status on that course (on any course when f names none).
func (f OfficerFilter) Selects(os OfficerStatus) bool {
	o := os.Officer
	if (!o.Active() && !f.Leavers) || !InUnit(o.Unit, f.Unit) || !f.Scope.Allows(o) {
		return false
	}
	if f.Status == "" && f.Course == "" {
		return true
	}
	for _, cs := range os.Courses {
		if (f.Course == "" || cs.CourseID == f.Course) && (f.Status == "" || cs.Status == f.Status) {
			return true
		}
	}
	return false
}

// MatchesSearch reports whether o is what a search for q finds: q is o's
// ID (as stored or as displayed), or every word of q is part of o's name
// (case-insensitive).
func MatchesSearch(o Officer, q string) bool {
	q = strings.TrimSpace(q)
	if q == "" {
		return true
	}
	if o.ID == NormalizeID(q) || strings.EqualFold(o.DisplayID, q) {
		return true
	}
	name := strings.ToLower(o.Name)
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(name, w) {
			return false
		}
	}
	return true
}
