package sourcegen

import (
	"fmt"

	"github.com/muster-police/muster/training"
)

// guardUnknownIDs writes a ROSTERS.md-vocabulary completion export whose
// Staff ID column holds the LMS's own learner numbers: two of twenty match
// an officer. Importing it must ask for confirmation first.
func guardUnknownIDs(g *gen) (*file, error) {
	f := &file{file: "lms_completions.csv"}
	e := &f.Expect
	known := g.pick(2)
	var people []Officer
	for len(people) < 18 {
		id := fmt.Sprintf("%07d", 8000000+g.rng.IntN(999999))
		if g.onRoster[training.NormalizeID(id)] || containsID(people, id) {
			continue
		}
		s := g.strangers(1)[0]
		s.ID = id
		people = append(people, s)
	}
	mixed := make([]Officer, 0, len(people)+len(known))
	mixed = append(append(mixed, people[:9]...), known[0])
	people = append(append(mixed, people[9:]...), known[1])
	rows := [][]string{Headers("guard-unknown-ids-csv")}
	for i, o := range people {
		course, id := mdlCSEShortish, CourseCSE
		if i%2 == 1 {
			course, id = "TIC", CourseTIC
		}
		d := londonDate(g.completedAt())
		rows = append(rows, []string{o.ID, o.Surname, o.Forename, course, "Completed", civil(d, phpDMY)})
		e.record(g, o, id, d, false)
	}
	e.NeedsConfirmation = true
	e.ConfirmBecause = "18 of the 20 officer IDs in the file match nobody on the roster (a wrong ID column?)"
	f.data = phpCSV(rows, false)
	return f, nil
}

// guardUnitCodes writes a ROSTERS.md-vocabulary partial roster whose Org
// Unit column holds organisation codes for every officer it lists: it would
// replace full unit paths by codes, so it must ask first.
func guardUnitCodes(g *gen) (*file, error) {
	f := &file{file: "roster_update.csv"}
	e := &f.Expect
	e.NeedsConfirmation = true
	e.ConfirmBecause = "every officer in the file would move from a full unit path to a code (\"… / CID → 50000100\")"
	e.Moves = map[string]string{}
	rows := [][]string{Headers("guard-unit-codes-csv")}
	for _, o := range g.pick(30) {
		code := g.unitCodes[o.Unit]
		rows = append(rows, []string{o.ID, o.Surname, o.Forename, code})
		e.row(RowOfficer)
		e.Moves[o.ID] = code
	}
	f.data = phpCSV(rows, false)
	return f, nil
}
