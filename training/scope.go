package training

import "sort"

// Scope is what a user may see: everything, or some unit subtrees plus the
// officers in their reporting line.
type Scope struct {
	All   bool
	Units []string
	// Officers holds IDs visible outside Units (a manager's reporting line).
	Officers map[string]bool
}

// ScopeFor returns what user u may see in ds. Admin and HR see everything;
// a manager sees their Units and, when linked to an officer ID, everyone
// who reports to them directly or indirectly through the roster's
// line-manager column. A trainer sees no figures: their scope is empty,
// whatever units or officer link their account holds.
func ScopeFor(u User, ds *Dataset) Scope {
	if u.Role.SeesWholeForce() {
		return Scope{All: true}
	}
	if !u.Role.SeesFigures() {
		return Scope{}
	}
	s := Scope{Units: u.Units, Officers: map[string]bool{}}
	if u.OfficerID == "" || ds == nil {
		return s
	}
	me := NormalizeID(u.OfficerID)
	// Line managers may be given by ID or by email.
	email := ""
	if o, ok := ds.Officers[me]; ok {
		email = o.Email
	}
	reports := map[string][]string{}
	for id, o := range ds.Officers {
		if o.LineManager != "" {
			reports[o.LineManager] = append(reports[o.LineManager], id)
		}
	}
	queue := append([]string{}, reports[me]...)
	if email != "" {
		queue = append(queue, reports[email]...)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if s.Officers[id] || id == me {
			continue
		}
		s.Officers[id] = true
		queue = append(queue, reports[id]...)
		if o, ok := ds.Officers[id]; ok && o.Email != "" {
			queue = append(queue, reports[o.Email]...)
		}
	}
	return s
}

// AllowsUnit reports whether the whole subtree at unit path p is visible.
func (s Scope) AllowsUnit(p string) bool {
	if s.All {
		return true
	}
	for _, u := range s.Units {
		if InUnit(p, u) {
			return true
		}
	}
	return false
}

// Allows reports whether officer o is visible.
func (s Scope) Allows(o Officer) bool {
	return s.All || s.Officers[o.ID] || s.AllowsUnit(o.Unit)
}

// Empty reports whether the scope shows nothing at all.
func (s Scope) Empty() bool { return !s.All && len(s.Units) == 0 && len(s.Officers) == 0 }

// OfficerStatus is one officer's standing on every course.
type OfficerStatus struct {
	Officer Officer        `json:"officer"`
	Courses []CourseStatus `json:"courses"`
}

// EvaluateOfficer evaluates officer o on every course as of asOf.
func EvaluateOfficer(o Officer, courses []Course, comps []Completion, exs []Exemption, asOf Date) OfficerStatus {
	os := OfficerStatus{Officer: o, Courses: make([]CourseStatus, len(courses))}
	for i, c := range courses {
		os.Courses[i] = Evaluate(o, c, comps, exs, asOf)
	}
	return os
}

// OfficerFilter selects officers for a list.
type OfficerFilter struct {
	Unit   string // subtree; "" = all
	Course string // only this course's status is tested; "" = any course
	Status Status // "" = any
	// Leavers includes leavers (who are otherwise left out).
	Leavers bool
	Scope   Scope
}

// ListOfficers evaluates every officer matching f as of asOf, sorted by
// unit then name then ID (ListKey).
func ListOfficers(ds *Dataset, asOf Date, f OfficerFilter) []OfficerStatus {
	var out []OfficerStatus
	for id, o := range ds.Officers {
		if (!o.Active() && !f.Leavers) || !InUnit(o.Unit, f.Unit) || !f.Scope.Allows(o) {
			continue // cheap tests first: no evaluation
		}
		os := EvaluateOfficer(o, ds.Courses, ds.Completions[id], ds.Exemptions[id], asOf)
		if f.Selects(os) {
			out = append(out, os)
		}
	}
	sort.Slice(out, func(i, j int) bool { return ListKeyOf(out[i].Officer).Compare(ListKeyOf(out[j].Officer)) < 0 })
	return out
}
