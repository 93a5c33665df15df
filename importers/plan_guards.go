package importers

// Guards against corrupting what is known: an upload that would change
// much of it is refused until the person confirms, with examples, the way
// a full roster that would make more than 20% of officers leavers is.
// - Officer IDs that mostly match nobody: the ID column is probably the
//   wrong one (Moodle's internal "ID" rather than "ID number").
// - Units or names changed for more than 20% of the officers the file
//   mentions: probably a column of codes or of course names taken for them.
// And one rule that needs no confirmation: a unit that is a bare name or
// a code never replaces a full unit path (unitFor).

import (
	"fmt"
	"sort"
	"strings"

	"github.com/muster-police/muster/training"
)

// Guard kinds (Guard.Kind).
const (
	GuardLeavers    = "leavers"     // a full upload would make many leavers
	GuardUnknownIDs = "unknown_ids" // most IDs match nobody on the roster
	GuardChanges    = "changes"     // many units or names would change
)

// Guard is one reason an import waits for the person's confirmation.
type Guard struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
	// Examples show what would happen ("Frontline Policing / CID → 50000100").
	Examples []string `json:"examples,omitempty"`
}

// guardExamples is how many examples a guard shows.
const guardExamples = 5

// minGuardOfficers: a file that mentions fewer officers is too small for
// a proportion to mean anything.
const minGuardOfficers = 5

// guardState collects what the guards look at while planning.
type guardState struct {
	mentioned    int // officers in the file who are on the roster
	changed      int // of them, with a new unit or name
	changeEx     []string
	ids          map[string]bool // distinct IDs that carry completions
	unknownIDs   int
	unknownEx    []string
	bareUnits    map[string]*bareUnit // by lower-cased value
	lastLevels   map[string][]string  // lower-cased last level -> full paths in the store
	multiLevel   bool                 // the store holds paths of more than one level
	lastLevelsOK bool
}

// bareUnit counts the rows of one unit value that was not a full path.
type bareUnit struct {
	value string
	rows  int
	first int
	kept  bool // the officer's stored unit was kept
}

// noteOfficer records a file's officer already on the roster; wouldBe is
// a unit the file gives that was not taken (unitFor).
func (p *planner) noteOfficer(old, o training.Officer, wouldBe string) {
	g := &p.guard
	g.mentioned++
	var what []string
	switch {
	case wouldBe != "":
		what = append(what, old.Unit+" → "+wouldBe)
	case old.Unit != o.Unit && old.Unit != "":
		what = append(what, old.Unit+" → "+o.Unit)
	}
	if old.Name != o.Name && old.Name != "" {
		what = append(what, fmt.Sprintf("name %q → %q", old.Name, o.Name))
	}
	if len(what) == 0 {
		return
	}
	g.changed++
	if len(g.changeEx) < guardExamples {
		g.changeEx = append(g.changeEx, o.DisplayID+": "+strings.Join(what, "; "))
	}
}

// noteCompletionID records an ID that carries a completion, exemption or
// completion status in the file.
func (p *planner) noteCompletionID(r *row) {
	g := &p.guard
	if g.ids == nil {
		// A roster with course columns notes nearly every row's ID; a
		// completion export's rows repeat IDs, so its map grows as it goes.
		n := len(p.recorded)
		if p.long {
			n = 0
		}
		g.ids = make(map[string]bool, n)
	}
	if _, seen := g.ids[r.ID]; seen {
		return
	}
	_, onRoster := p.ds.Officers[r.ID]
	if !onRoster {
		_, onRoster = p.planned[r.ID]
	}
	g.ids[r.ID] = onRoster
	if !onRoster {
		g.unknownIDs++
		if len(g.unknownEx) < guardExamples {
			g.unknownEx = append(g.unknownEx, fmt.Sprintf("%s (row %d)", r.displayID(), r.Row))
		}
	}
}

// unitFor is the unit a row gives an officer. A value that is a single
// level (a bare team name, or an organisation code) where the store keeps
// full paths never silently replaces a full path: it is the officer's own
// unit when it names its last level, the one known unit whose last level
// it names, or else the stored unit is kept, the value reported, and
// returned as wouldBe (a change the guard counts) — unless the person
// confirmed the import, having seen those examples.
func (p *planner) unitFor(old training.Officer, exists bool, r *row) (unit, wouldBe string) {
	u := r.Unit
	if u == "" || strings.Contains(u, training.UnitSep) {
		return u, ""
	}
	g := &p.guard
	if !g.lastLevelsOK {
		g.lastLevelsOK = true
		g.lastLevels = map[string][]string{}
		seen := map[string]bool{}
		for _, o := range p.ds.Officers {
			if o.Unit == "" || seen[o.Unit] {
				continue
			}
			seen[o.Unit] = true
			parts := training.SplitUnit(o.Unit)
			if len(parts) > 1 {
				g.multiLevel = true
			}
			k := strings.ToLower(parts[len(parts)-1])
			g.lastLevels[k] = append(g.lastLevels[k], o.Unit)
		}
	}
	if !g.multiLevel {
		return u, "" // a force whose units are all one level deep
	}
	key := strings.ToLower(u)
	if exists && old.Unit != "" {
		parts := training.SplitUnit(old.Unit)
		if strings.ToLower(parts[len(parts)-1]) == key {
			return old.Unit, ""
		}
	}
	if paths := g.lastLevels[key]; len(paths) == 1 {
		return paths[0], ""
	}
	if g.bareUnits == nil {
		g.bareUnits = map[string]*bareUnit{}
	}
	b := g.bareUnits[key]
	if b == nil {
		b = &bareUnit{value: u, first: r.Row}
		g.bareUnits[key] = b
	}
	b.rows++
	if exists && old.Unit != "" && !p.in.Confirmed {
		b.kept = true
		return old.Unit, u
	}
	return u, ""
}

// bareUnitWarnings reports, once per value, units that were not full paths.
func (p *planner) bareUnitWarnings() {
	var out []Problem
	for _, b := range p.guard.bareUnits {
		reason := fmt.Sprintf("The unit %q is not a full unit path and matches no known unit (or more than one)", b.value)
		switch {
		case b.kept:
			reason += ", so officers already on the roster kept their unit (confirm the import to give it to them anyway); new officers were given it as written"
		case p.in.Confirmed:
			reason += "; the import was confirmed, so officers were given it as written"
		default:
			reason += "; the new officers were given it as written"
		}
		if b.rows > 1 {
			reason += fmt.Sprintf(" (%d rows, the first is this one)", b.rows)
		}
		reason += ". If this column holds codes or only the last level, map the column with the full path instead, or ignore this one."
		out = append(out, Problem{Severity: SeverityWarning, Sheet: p.sheet, Row: b.first, Value: b.value, Reason: reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Row < out[j].Row })
	if len(out) > 0 {
		p.rep.Problems = mergeProblems(p.rep.Problems, out)
		p.rep.Summary.Warnings += len(out)
	}
}

// guards lists what this plan needs confirmed (none when confirmed).
func (p *planner) guards(long bool, active int) []Guard {
	var out []Guard
	if p.in.Full && !long && active > 0 && p.guardLeavers*5 > active {
		out = append(out, Guard{Kind: GuardLeavers, Message: fmt.Sprintf("This full upload would turn %d of %d active officers (%.1f%%) into leavers, more than the 20%% allowed without confirmation; the file is probably not the whole roster.",
			p.guardLeavers, active, 100*float64(p.guardLeavers)/float64(active))})
	}
	g := p.guard
	if n := len(g.ids); n >= minGuardOfficers && active > 0 && g.unknownIDs*2 > n {
		out = append(out, Guard{Kind: GuardUnknownIDs, Examples: g.unknownEx,
			Message: fmt.Sprintf("%d of the %d officer IDs in this file that carry completions match nobody on the roster; the column read as the officer ID (%s) may not hold warrant or payroll numbers.",
				g.unknownIDs, n, p.idColumn())})
	}
	if g.mentioned >= minGuardOfficers && g.changed*5 > g.mentioned {
		out = append(out, Guard{Kind: GuardChanges, Examples: g.changeEx,
			Message: fmt.Sprintf("This upload would change the unit or the name of %d of the %d officers it mentions who are already on the roster (%.1f%%), more than the 20%% allowed without confirmation; check that the unit and name columns are the right ones.",
				g.changed, g.mentioned, 100*float64(g.changed)/float64(g.mentioned))})
	}
	return out
}

// idColumn names the column read as the officer ID, for messages.
func (p *planner) idColumn() string {
	for _, c := range p.in.Detection.Columns {
		if c.Field == FieldID {
			return fmt.Sprintf("column %s, %q", c.Letter, c.Header)
		}
	}
	return "none"
}
