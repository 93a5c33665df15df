package importers

import (
	"encoding/json"
	"time"

	"github.com/muster-police/muster/training"
)

// ListCap is how many entries each list of changes in a Report holds; the
// totals count them all.
const ListCap = 200

// StoredProblemsCap is how many problems the copy of a report kept in the
// import log holds (a file with every row wrong would otherwise store
// megabytes per attempt).
const StoredProblemsCap = 2000

// Report says what an import found and did (or, for a dry run or a
// refusal, would do). It is what the CLI prints, the API returns and the
// import log keeps.
type Report struct {
	ImportID string                 `json:"import_id"`
	Outcome  training.ImportOutcome `json:"outcome"`
	FileName string                 `json:"file_name"`
	FileHash string                 `json:"file_hash"`
	Full     bool                   `json:"full"`
	DryRun   bool                   `json:"dry_run"`
	Strict   bool                   `json:"strict"`
	By       string                 `json:"by"`
	At       time.Time              `json:"at"`

	Detection Detection              `json:"detection"`
	Summary   training.ImportSummary `json:"summary"`
	// Rows accounts for every data row of the file, each in one outcome.
	Rows    RowOutcomes `json:"rows"`
	Changes Changes     `json:"changes"`
	// Problems are every error and warning, in row order.
	Problems []Problem `json:"problems"`
	// ProblemsOmitted counts problems left out of a stored copy of the report.
	ProblemsOmitted int `json:"problems_omitted,omitempty"`
	// NeedsConfirmation is set when the import was refused by a guard
	// (Guards says which): confirming (Options.Confirmed) applies it.
	NeedsConfirmation bool `json:"needs_confirmation"`
	// Guards are the reasons the import waits for confirmation.
	Guards []Guard `json:"guards,omitempty"`
	// Choices echoes the person's choices for this file, so that a
	// confirmed preview is imported the same way.
	Choices Choices `json:"choices"`
	// MappingSaved names the mapping saved by this import ("": none).
	MappingSaved string `json:"mapping_saved,omitempty"`
	// Message says what happened in one plain sentence.
	Message string `json:"message"`
}

// Changes lists what an import changes. Each list holds at most ListCap
// entries; the *_total fields count all of them.
type Changes struct {
	Added        []OfficerChange `json:"added"`
	AddedTotal   int             `json:"added_total"`
	Leavers      []OfficerChange `json:"leavers"`
	LeaversTotal int             `json:"leavers_total"`
	// Returned are leavers a roster lists as serving again.
	Returned      []OfficerChange `json:"returned"`
	ReturnedTotal int             `json:"returned_total"`
	Moves         []Move          `json:"moves"`
	MovesTotal    int             `json:"moves_total"`
	// Posts are officers whose role, staff type or in-post date changed
	// (a first value where none was known included).
	Posts            []PostChange       `json:"posts"`
	PostsTotal       int                `json:"posts_total"`
	Completions      []CompletionChange `json:"completions"`
	CompletionsTotal int                `json:"completions_total"`
	// Orphans are completions of IDs not on the roster: kept, and counted
	// as soon as the officer appears.
	Orphans         []CompletionChange `json:"orphans"`
	OrphansTotal    int                `json:"orphans_total"`
	Exemptions      []ExemptionChange  `json:"exemptions"`
	ExemptionsTotal int                `json:"exemptions_total"`
	// SkippedCourses are course names in a completion export that match no
	// tracked course, with how many rows named each.
	SkippedCourses []CourseCount `json:"skipped_courses"`
	// ByUnit counts the changes per unit path, sorted by path.
	ByUnit []UnitChanges `json:"by_unit"`
}

// OfficerChange names one officer added, leaving or returning.
type OfficerChange struct {
	OfficerID string `json:"officer_id"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Row       int    `json:"row,omitempty"`
	// Reason, for leavers: "status" (the file says so) or "absent" (a full
	// roster left them out).
	Reason string `json:"reason,omitempty"`
}

// Move is an officer whose unit changed.
type Move struct {
	OfficerID string `json:"officer_id"`
	Name      string `json:"name"`
	From      string `json:"from"`
	To        string `json:"to"`
	Row       int    `json:"row"`
}

// PostChange is an officer whose post changed: each part as it was and
// as it will be ("" and a zero date for unknown).
type PostChange struct {
	OfficerID       string             `json:"officer_id"`
	Name            string             `json:"name"`
	Unit            string             `json:"unit"`
	Row             int                `json:"row"`
	RoleFrom        string             `json:"role_from"`
	RoleTo          string             `json:"role_to"`
	StaffTypeFrom   training.StaffType `json:"staff_type_from"`
	StaffTypeTo     training.StaffType `json:"staff_type_to"`
	InPostSinceFrom training.Date      `json:"in_post_since_from"`
	InPostSinceTo   training.Date      `json:"in_post_since_to"`
}

// CompletionChange is one completion recorded.
type CompletionChange struct {
	OfficerID   string        `json:"officer_id"`
	Name        string        `json:"name,omitempty"`
	Unit        string        `json:"unit,omitempty"`
	Course      string        `json:"course"`
	Date        training.Date `json:"date"`
	DateUnknown bool          `json:"date_unknown,omitempty"`
	Row         int           `json:"row"`
}

// ExemptionChange is one exemption recorded.
type ExemptionChange struct {
	OfficerID string `json:"officer_id"`
	Name      string `json:"name,omitempty"`
	Unit      string `json:"unit,omitempty"`
	Course    string `json:"course"`
	Row       int    `json:"row"`
}

// Choices are what the person chose for one import, besides the options.
type Choices struct {
	Mapping []training.MappingRule `json:"mapping,omitempty"`
	Course  string                 `json:"course,omitempty"`
}

// RowOutcomes sorts the data rows of a file by what became of them;
// Read is the sum of the others.
type RowOutcomes struct {
	Read int `json:"read"`
	// Recorded rows changed something: an officer added or updated, a
	// completion or an exemption recorded.
	Recorded int `json:"recorded"`
	// AlreadyRecorded rows say only what the store already holds.
	AlreadyRecorded int `json:"already_recorded"`
	// ByStatus counts the rows of a completion export that record nothing
	// because of their status ("In progress"), per status as written.
	ByStatus []StatusCount `json:"by_status"`
	// NoDate counts completion rows without a status column whose date is
	// blank: nothing to record.
	NoDate int `json:"no_date,omitempty"`
	// OtherCourses are rows of courses Muster does not track.
	OtherCourses int `json:"other_courses"`
	// NotRecorded rows held a completion whose status, course or date is in
	// error (listed in the problems).
	NotRecorded int `json:"not_recorded"`
	// Rejected rows were not imported at all (no ID, conflicting duplicates).
	Rejected int `json:"rejected"`
	// Duplicates are identical repeats of an earlier row.
	Duplicates int `json:"duplicates"`
}

// Sum is the number of rows the outcomes account for; it equals Read.
func (r RowOutcomes) Sum() int {
	n := r.Recorded + r.AlreadyRecorded + r.NoDate + r.OtherCourses + r.NotRecorded + r.Rejected + r.Duplicates
	for _, s := range r.ByStatus {
		n += s.Rows
	}
	return n
}

// StatusCount is a status as written and how many rows had it.
type StatusCount struct {
	Status string `json:"status"`
	Rows   int    `json:"rows"`
}

// CourseCount is a course name and how many rows named it.
type CourseCount struct {
	Name string `json:"name"`
	Rows int    `json:"rows"`
}

// UnitChanges counts one unit's changes.
type UnitChanges struct {
	Unit     string `json:"unit"`
	Added    int    `json:"added"`
	Leavers  int    `json:"leavers"`
	MovedIn  int    `json:"moved_in"`
	MovedOut int    `json:"moved_out"`
	// PostChanged counts officers of the unit whose role, staff type or
	// in-post date changed.
	PostChanged int `json:"post_changed"`
	Completions int `json:"completions"`
	Exemptions  int `json:"exemptions"`
}

func officerChange(o training.Officer, rowNum int, reason string) OfficerChange {
	return OfficerChange{OfficerID: o.ID, Name: o.Name, Unit: o.Unit, Row: rowNum, Reason: reason}
}

// addOfficer appends to one of the officer lists, keeping its total.
func (c *Changes) addOfficer(list *[]OfficerChange, oc OfficerChange) {
	switch list {
	case &c.Added:
		c.AddedTotal++
	case &c.Leavers:
		c.LeaversTotal++
	case &c.Returned:
		c.ReturnedTotal++
	}
	if len(*list) < ListCap {
		*list = append(*list, oc)
	}
}

// logRecord is the import log entry for this report, with a copy of the
// report whose problems are capped.
func (r *Report) logRecord() training.ImportRecord {
	kind := training.ImportPartial
	if r.Full {
		kind = training.ImportFull
	}
	return training.ImportRecord{ID: r.ImportID, Kind: kind, FileName: r.FileName, FileHash: r.FileHash,
		By: r.By, At: r.At, Outcome: r.Outcome, Summary: r.Summary, Report: r.storedJSON()}
}

// storedJSON encodes the report for the import log, problems capped.
func (r *Report) storedJSON() []byte {
	c := *r
	if len(c.Problems) > StoredProblemsCap {
		c.ProblemsOmitted = len(c.Problems) - StoredProblemsCap
		c.Problems = c.Problems[:StoredProblemsCap]
	}
	b, err := json.Marshal(&c)
	if err != nil { // only plain values: cannot happen
		return nil
	}
	return b
}

// fill replaces nil lists with empty ones, so JSON shows [] not null.
func (r *Report) fill() {
	c := &r.Changes
	orEmpty(&c.Added)
	orEmpty(&c.Leavers)
	orEmpty(&c.Returned)
	orEmpty(&c.Moves)
	orEmpty(&c.Posts)
	orEmpty(&c.Completions)
	orEmpty(&c.Orphans)
	orEmpty(&c.Exemptions)
	orEmpty(&c.SkippedCourses)
	orEmpty(&c.ByUnit)
	orEmpty(&r.Problems)
	orEmpty(&r.Rows.ByStatus)
	orEmpty(&r.Detection.Columns)
	orEmpty(&r.Detection.Ignored)
}

func orEmpty[T any](s *[]T) {
	if *s == nil {
		*s = []T{}
	}
}
