package jobs

import (
	"sort"
	"strings"

	"github.com/muster-police/muster/training"
)

// This file plans escalations (docs/COMPLIANCE.md, "Escalation"): people
// overdue at least their course's escalate_after_days, named in an
// "Escalated" section of the weekly digest of their line manager's
// manager and of the managers of the unit above theirs. Each recipient
// hears of one person, course and due date once: the digest message
// carries one ledger key per escalation (escalationKey) besides its own,
// and Enqueue records them all or none, so a re-run or a second replica
// plans it once.

// EscalatedLine is one escalated person and course in a digest's
// "Escalated" section.
type EscalatedLine struct {
	Name string
	ID   string // as the roster wrote it
	Unit string
	// Manager is the name of the person's line manager, through whom the
	// escalation reached a line manager's manager ("" when unknown).
	Manager string
	Course  string
	Status  string // "overdue", as statusWords says it
	// Words is the status as every page words it, with how long:
	// "Overdue — was due 31/03/2026 (90 days overdue)"
	// (training.DescribeEscalation).
	Words       string
	Due         string
	DaysOverdue int
}

// Escalation is one person escalated on one course, as of a date.
type Escalation struct {
	OfficerID string
	CourseID  string
	Due       training.Date
	Line      EscalatedLine
}

// Escalations says who hears of which escalations.
type Escalations struct {
	// Line holds, by officer ID of a line manager's manager (with a usable
	// email), the escalations that reach them up the line.
	Line map[string][]Escalation
	// Unit holds, by username of a manager whose units include the unit
	// above the person's (and who gets unit digests), the escalations
	// that reach them.
	Unit map[string][]Escalation
	// People counts the escalated people (each once, however many
	// courses or recipients).
	People int
	// managers are the names and emails of the Line recipients, copied
	// out of the roster (which a run may read only inside a callback).
	managers map[string]recipient
}

// recipient is who a line digest goes to.
type recipient struct{ name, email string }

// escalationKey is the ledger key of one escalation told to one recipient
// of a kind ("line": an officer ID; "unit": a username).
func escalationKey(kind, recipient, officerID, courseID string, due training.Date) string {
	return strings.Join([]string{"escalate", kind, recipient, officerID, courseID, due.String()}, "|")
}

// PlanEscalations finds everyone escalated on asOf and who hears of them:
// the line manager's manager (training.LineChain.ManagerAbove) when they
// have a usable email, and every manager account who would get a unit
// digest (enabled, with units and a usable email) whose units include the
// unit above the person's (training.UnitAbove).
func PlanEscalations(ds *training.Dataset, users []training.User, asOf training.Date) Escalations {
	out := Escalations{Line: map[string][]Escalation{}, Unit: map[string][]Escalation{}, managers: map[string]recipient{}}
	escalating := false
	for _, c := range ds.Courses {
		escalating = escalating || c.EscalateAfterDays > 0
	}
	if !escalating {
		return out
	}
	byUnit := map[string][]string{} // unit path -> usernames that manage it
	for _, u := range users {
		// Managers only: another role given units (a trainer, say) gets
		// no names of people behind on their training.
		if u.Disabled || len(u.Units) == 0 || u.Role != training.RoleManager {
			continue
		}
		if _, reason := checkEmail(u.Email, false); reason != "" {
			continue
		}
		for _, unit := range u.Units {
			byUnit[unit] = append(byUnit[unit], u.Username)
		}
	}
	chain := training.NewLineChain(ds)
	w := newEscalationWords(asOf)
	// Find the escalated people first, in the map's own order, then sort
	// just them (by name, as digests list people): sorting the whole
	// roster cost more than the rest of the step.
	var people []escalatedPerson
	for id, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		comps, exs := ds.Completions[id], ds.Exemptions[id]
		var found []Escalation
		for _, c := range ds.Courses {
			if c.EscalateAfterDays <= 0 {
				continue
			}
			cs := training.Evaluate(o, c, comps, exs, asOf)
			if !training.Escalated(c, cs, asOf) {
				continue
			}
			manager := ""
			if m := chain.Manager(o); m != "" {
				manager = ds.Officers[m].Name
			}
			found = append(found, Escalation{OfficerID: id, CourseID: c.ID, Due: cs.Due, Line: EscalatedLine{
				Name: o.Name, ID: displayID(o), Unit: o.Unit, Manager: manager, Course: c.Title, Status: w.status(cs.Status),
				Words: w.describe(cs), Due: w.uk(cs.Due), DaysOverdue: training.DaysOverdue(cs, asOf)}})
		}
		if len(found) > 0 {
			people = append(people, escalatedPerson{id: id, name: o.Name, unit: o.Unit, above: chain.ManagerAbove(o), found: found})
		}
	}
	sort.Slice(people, func(i, j int) bool {
		a, b := people[i], people[j]
		if a.name != b.name {
			return a.name < b.name
		}
		return a.id < b.id
	})
	// Who hears of whom, counted first so that each recipient's list is
	// made once at its size (appending copied them over and over).
	lineCount, unitCount := map[string]int{}, map[string]int{}
	for i, p := range people {
		if above := p.above; above != "" {
			m := ds.Officers[above]
			if email, reason := usableEmail(m); reason == "" {
				lineCount[above] += len(p.found)
				out.managers[above] = recipient{name: m.Name, email: email}
			} else {
				people[i].above = ""
			}
		}
		if people[i].unit = training.UnitAbove(p.unit); people[i].unit != "" {
			for _, username := range byUnit[people[i].unit] {
				unitCount[username] += len(p.found)
			}
		}
	}
	for _, p := range people {
		out.People++
		if p.above != "" {
			out.Line[p.above] = appendSized(out.Line[p.above], lineCount[p.above], p.found)
		}
		if p.unit == "" {
			continue
		}
		for _, username := range byUnit[p.unit] {
			out.Unit[username] = appendSized(out.Unit[username], unitCount[username], p.found)
		}
	}
	return out
}

// appendSized appends found to list, made with room for size first.
func appendSized(list []Escalation, size int, found []Escalation) []Escalation {
	if list == nil {
		list = make([]Escalation, 0, size)
	}
	return append(list, found...)
}

// escalationWords words escalations as training and statusWords do, each
// status, due date and length of time once.
type escalationWords struct {
	asOf     training.Date
	statuses map[training.Status]string
	dates    map[training.Date]string
	words    map[wordsKey]string
}

func newEscalationWords(asOf training.Date) *escalationWords {
	return &escalationWords{asOf: asOf, statuses: map[training.Status]string{}, dates: map[training.Date]string{},
		words: map[wordsKey]string{}}
}

func (w *escalationWords) status(s training.Status) string {
	v, ok := w.statuses[s]
	if !ok {
		v = statusWords(s)
		w.statuses[s] = v
	}
	return v
}

func (w *escalationWords) uk(d training.Date) string {
	v, ok := w.dates[d]
	if !ok {
		v = d.UK()
		w.dates[d] = v
	}
	return v
}

// describe is training.DescribeEscalation(cs, asOf), which reads what
// Describe reads and the due date.
func (w *escalationWords) describe(cs training.CourseStatus) string {
	if cs.Exemption != nil || cs.Extension != nil {
		return training.DescribeEscalation(cs, w.asOf)
	}
	k := wordsKey{cs.Status, cs.Due, cs.Expires, cs.RenewBy, cs.Completion != nil}
	v, ok := w.words[k]
	if !ok {
		v = training.DescribeEscalation(cs, w.asOf)
		w.words[k] = v
	}
	return v
}

// escalatedPerson is one escalated person and their escalations.
type escalatedPerson struct {
	id, name string
	// unit is the person's unit, then the unit above it (training.UnitAbove).
	unit string
	// above is chain.ManagerAbove, then "" where they have no usable email.
	above string
	found []Escalation
}

// Keys returns every escalation's ledger key, line recipients then unit.
func (e Escalations) Keys() []string {
	var keys []string
	for mgr, es := range e.Line {
		for _, x := range es {
			keys = append(keys, escalationKey("line", mgr, x.OfficerID, x.CourseID, x.Due))
		}
	}
	for user, es := range e.Unit {
		for _, x := range es {
			keys = append(keys, escalationKey("unit", user, x.OfficerID, x.CourseID, x.Due))
		}
	}
	return keys
}

// unsent returns the escalations of one recipient whose keys are not in
// sent, with their lines and keys.
func unsent(kind, recipient string, es []Escalation, sent map[string]bool) (lines []EscalatedLine, keys []string) {
	for _, x := range es {
		k := escalationKey(kind, recipient, x.OfficerID, x.CourseID, x.Due)
		if sent[k] {
			continue
		}
		lines = append(lines, x.Line)
		keys = append(keys, k)
	}
	return lines, keys
}

// addEscalations puts each recipient's escalations not yet sent into
// their digest: a unit user's digest (every unit recipient has one), and
// a line manager's manager's digest, made for them when none of their
// own reports is behind. Digests already sent this week are left as they
// are: their escalations wait for next week's digest.
func addEscalations(asOf training.Date, dashboardURL string, lines []LineDigest, units []UnitDigest,
	esc Escalations, sent map[string]bool) ([]LineDigest, []UnitDigest) {
	week := ISOWeek(asOf)
	byMgr := map[string]int{}
	for i, l := range lines {
		byMgr[l.ManagerID] = i
	}
	mgrs := make([]string, 0, len(esc.Line))
	for mgr := range esc.Line {
		mgrs = append(mgrs, mgr)
	}
	sort.Strings(mgrs)
	for _, mgr := range mgrs {
		if sent[DigestKey("line", mgr, week)] {
			continue
		}
		es, keys := unsent("line", mgr, esc.Line[mgr], sent)
		if len(es) == 0 {
			continue
		}
		i, ok := byMgr[mgr]
		if !ok {
			m := esc.managers[mgr]
			lines = append(lines, LineDigest{ManagerID: mgr, Name: m.name, Email: m.email,
				Data: LineDigestData{Name: m.name, AsOf: asOf.UK(), Week: week, DashboardURL: dashboardURL}})
			i = len(lines) - 1
		}
		lines[i].Data.Escalated = es
		lines[i].EscalationKeys = keys
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].ManagerID < lines[j].ManagerID })
	for i, u := range units {
		if sent[DigestKey("unit", u.Username, week)] {
			continue
		}
		units[i].Data.Escalated, units[i].EscalationKeys = unsent("unit", u.Username, esc.Unit[u.Username], sent)
	}
	return lines, units
}

// shownEscalations keeps the run's escalations that its templates show. A
// digest template edited before escalations existed has no "Escalated"
// section: its recipients' escalations are left unplanned (nothing
// recorded, so they go out once the template shows them) and the run says
// so.
func shownEscalations(esc Escalations, st *runState, line, unit *renderer) Escalations {
	if len(esc.Line) > 0 && !line.escalated {
		st.fail("the edited %s template has no Escalated section: escalations to line managers' managers wait until it has one (restore the default or add {{range .Escalated}})", TemplateLineDigest)
		esc.Line = nil
	}
	if len(esc.Unit) > 0 && !unit.escalated {
		st.fail("the edited %s template has no Escalated section: escalations to the units above wait until it has one (restore the default or add {{range .Escalated}})", TemplateUnitDigest)
		esc.Unit = nil
	}
	return esc
}
