package sourcegen

import (
	"sort"

	"github.com/muster-police/muster/training"
)

// Row outcomes, the keys of Expectation.Rows (docs/sources.md): every data
// row of a file ends in exactly one.
const (
	// RowRecorded: the row gives a completion (new or already recorded).
	RowRecorded = "recorded"
	// RowOtherCourse: the row is about a course nobody tracks.
	RowOtherCourse = "other course"
	// RowOfficer: a people row — it updates or confirms an officer.
	RowOfficer = "officer"
	// RowNothingPrefix + status value: the row's status records nothing
	// ("nothing: In progress"; a blank status is "(blank)").
	RowNothingPrefix = "nothing: "
	// RowRejectedPrefix + reason: the whole row is rejected ("rejected: no ID").
	RowRejectedPrefix = "rejected: "
)

// Reasons and values used after the prefixes.
const (
	ReasonNoID     = "no ID"
	StatusBlank    = "(blank)"
	ActivityReport = "activity report"
)

// Completion is a completion the import must leave in the store.
type Completion struct {
	OfficerID string
	CourseID  string
	// Date is the civil date (Europe/London) to record; zero when DateUnknown.
	Date training.Date
	// DateUnknown: completed, date unknown. The store must then hold some
	// completion of the course: the one it had, or a new one dated the day
	// of the import and marked DateUnknown (ROSTERS.md).
	DateUnknown bool
	// OnRoster is false for an officer the roster does not list (an orphan
	// completion, kept until the officer appears).
	OnRoster bool
}

// Expectation is what importing one fixture onto the roster must do,
// worked out by the generator from what it wrote.
type Expectation struct {
	// Source is the known source the importer must recognise (and name in
	// the report): "moodle-course-completion", "totara-hr-import", ...; "" for
	// a file in ROSTERS.md's own vocabulary.
	Source string
	// Full: import the file as the whole roster (muster import --full).
	Full bool
	// Course is the course a one-course file is about ("" when each row names
	// its course); CourseFrom says how the importer can know it without
	// --course ("file name": the Moodle short name in the file name matches
	// CourseAlias, one of the course's aliases, as a whole word).
	Course      string
	CourseFrom  string
	CourseAlias string
	// Refused: the file must be refused outright, changing nothing, with
	// RefusedBecause explained (no confirmation makes it importable).
	Refused        bool
	RefusedBecause string
	// NeedsConfirmation: the first import must be refused until the user
	// confirms (the guards of docs/ROSTERS.md), changing nothing; everything below then
	// describes the import once confirmed.
	NeedsConfirmation bool
	ConfirmBecause    string
	// Completions must be in the store afterwards.
	Completions []Completion
	// Leavers are officer IDs that must be leavers afterwards.
	Leavers []string
	// Active are officer IDs that must still be active afterwards (a status
	// such as Inactive, SUSPENDED or suspended=1 that does not make a leaver).
	Active []string
	// Unchanged are officer IDs whose name and unit must be as before.
	Unchanged []string
	// StartDateUnchanged: the start dates of Unchanged must be as before too
	// (the file's only date looks like a start date but is not one).
	StartDateUnchanged bool
	// Moves are unit changes the confirmed import makes: officer ID -> unit.
	Moves map[string]string
	// Posts are the role, staff type and in-post date the import must
	// store, per officer ID (HR exports that carry them).
	Posts map[string]Post
	// Rows counts the file's data rows per outcome (Row* constants).
	Rows map[string]int
}

// row counts one data row with the given outcome.
func (e *Expectation) row(outcome string) {
	if e.Rows == nil {
		e.Rows = map[string]int{}
	}
	e.Rows[outcome]++
}

// nothing counts a row whose status value records nothing.
func (e *Expectation) nothing(value string) {
	if value == "" {
		value = StatusBlank
	}
	e.row(RowNothingPrefix + value)
}

// record counts a row that records a completion.
func (e *Expectation) record(g *gen, o Officer, course string, d training.Date, unknown bool) {
	e.row(RowRecorded)
	on := g.onRoster[training.NormalizeID(o.ID)]
	e.Completions = append(e.Completions, Completion{OfficerID: o.ID, CourseID: course, Date: d, DateUnknown: unknown, OnRoster: on})
	if on {
		e.unchanged(o.ID)
	}
}

// unchanged notes an officer on the roster whose name and unit stay.
func (e *Expectation) unchanged(id string) { e.Unchanged = append(e.Unchanged, id) }

// finish sorts and removes repeats, so expectations compare stably.
func (e *Expectation) finish() {
	e.Unchanged = uniqueSorted(e.Unchanged)
	e.Leavers = uniqueSorted(e.Leavers)
	e.Active = uniqueSorted(e.Active)
	sort.SliceStable(e.Completions, func(i, j int) bool {
		a, b := e.Completions[i], e.Completions[j]
		if a.OfficerID != b.OfficerID {
			return a.OfficerID < b.OfficerID
		}
		return a.CourseID < b.CourseID
	})
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
