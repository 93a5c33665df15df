// Package importers turns roster files (xlsx, xlsm, csv) into records and
// records into a plan of changes to the store (docs/ROSTERS.md).
//
// The flow is: Read (file -> Detection + Records + Problems, no I/O beyond
// the reader) -> Plan (records + the current Dataset -> what would change)
// -> Apply (the only step that writes, atomically through the Store).
package importers

import "github.com/muster-police/muster/training"

// Layout is the shape of a roster file, detected from its headers.
type Layout string

// Layouts (docs/ROSTERS.md "Layouts").
const (
	LayoutWide   Layout = "wide"   // one row per officer, optional course columns
	LayoutLong   Layout = "long"   // one row per officer × course (completion export)
	LayoutPeople Layout = "people" // a wide roster without course columns
)

// Text says what kind of file a layout is, in HR's words.
func (l Layout) Text() string {
	switch l {
	case LayoutWide:
		return "A roster with a column per course"
	case LayoutLong:
		return "A completion export: one row per person and course"
	case LayoutPeople:
		return "A list of people, without training"
	}
	return string(l)
}

// Field is what a column holds.
type Field string

// Fields a header can map to.
const (
	FieldID               Field = "id"
	FieldName             Field = "name"
	FieldSurname          Field = "surname"
	FieldForename         Field = "forename"
	FieldEmail            Field = "email"
	FieldRank             Field = "rank"
	FieldUnit             Field = "unit"   // a whole path
	FieldUnit1            Field = "unit_1" // Command / Directorate / Business Group
	FieldUnit2            Field = "unit_2" // BCU / Borough / OCU / Division
	FieldUnit3            Field = "unit_3" // Team / Unit / Section
	FieldLineManager      Field = "line_manager"
	FieldStartDate        Field = "start_date"
	FieldStatus           Field = "status"
	FieldRole             Field = "role"              // job or post title
	FieldStaffType        Field = "staff_type"        // officer, staff, special, pcso, volunteer
	FieldInPostSince      Field = "in_post_since"     // the date the current post began
	FieldCourse           Field = "course"            // long layout: course name
	FieldCompletionDate   Field = "completion_date"   // long layout
	FieldCompletionStatus Field = "completion_status" // long layout
	FieldCourseColumn     Field = "course_column"     // wide layout: one course's cell
)

// Column is one header cell and what it was mapped to.
type Column struct {
	Index  int    `json:"index"`  // 0-based
	Letter string `json:"letter"` // "A", "B", … (for csv too, so messages read the same)
	Header string `json:"header"`
	Field  Field  `json:"field,omitempty"`
	// CourseID is set for FieldCourseColumn.
	CourseID string `json:"course_id,omitempty"`
	// Why says, in plain words, why the column was mapped so (or ignored).
	Why string `json:"why,omitempty"`
}

// Detection says what the reader found: reported in every import report.
type Detection struct {
	Format    string   `json:"format"`              // "xlsx", "csv"
	Encoding  string   `json:"encoding,omitempty"`  // csv: "utf-8", "utf-8-bom", "windows-1252"
	Delimiter string   `json:"delimiter,omitempty"` // csv: "," or ";"
	Sheets    []string `json:"sheets,omitempty"`
	Sheet     string   `json:"sheet"`
	HeaderRow int      `json:"header_row"` // 1-based
	Layout    Layout   `json:"layout"`
	Columns   []Column `json:"columns"`
	// Ignored lists headers that matched no field.
	Ignored []string `json:"ignored"`
	// Rows is the number of data rows read (blank rows excluded).
	Rows int `json:"rows"`
	// TotalRow is the row number of a "Total" row that was skipped (0: none).
	TotalRow int `json:"total_row,omitempty"`
	// Date1904 is set when the workbook counts dates from 1904 (old Mac Excel).
	Date1904 bool `json:"date_1904,omitempty"`
	// Source names the recognised system's export ("" for none).
	Source string `json:"source,omitempty"`
	// Mapping names the saved mapping applied to the file ("" for none).
	Mapping string `json:"mapping,omitempty"`
	// SourceID is the recognised export as a stable key
	// ("moodle-course-completion"; docs/sources.md).
	SourceID string `json:"source_id,omitempty"`
	// Course is the course of a file that covers one course without
	// naming it in a column (how it was decided is in the columns' Why).
	Course string `json:"course,omitempty"`
	// Notice, when set, says why Muster records nothing from this file
	// (a Moodle activity completion report); NoticeLabel names its rows'
	// outcome ("activity report").
	Notice      string `json:"notice,omitempty"`
	NoticeLabel string `json:"notice_label,omitempty"`
}

// Severity grades a problem.
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"   // a cell (or row) was not imported
	SeverityWarning Severity = "warning" // imported, but worth a look
)

// Problem is one thing wrong with the file, located so an HR officer can
// find it: sheet, row number, column, the value, and the reason in words.
type Problem struct {
	Severity Severity `json:"severity"`
	Sheet    string   `json:"sheet,omitempty"`
	Row      int      `json:"row,omitempty"`    // 1-based, as Excel shows it
	Column   string   `json:"column,omitempty"` // header text, e.g. "Start Date"
	Letter   string   `json:"letter,omitempty"` // column letter, e.g. "F"
	Value    string   `json:"value,omitempty"`
	Reason   string   `json:"reason"`
	// RowRejected is true when the whole row was not imported (no ID, or
	// a conflicting duplicate).
	RowRejected bool   `json:"row_rejected,omitempty"`
	OfficerID   string `json:"officer_id,omitempty"`
	// Name is the person the row is about, as the file names them, so
	// that a problem says whose record it is.
	Name string `json:"name,omitempty"`
}

// CellKind is what a wide-layout course cell says.
type CellKind int

// Course cell kinds (docs/ROSTERS.md "Course cells").
const (
	CellNone            CellKind = iota // blank, No, Not started, In progress: no information
	CellCompleted                       // a date
	CellCompletedNoDate                 // Yes, Y, Completed, ✓
	CellExempt                          // Exempt, N/A
)

// CourseCell is one course column of one wide-layout row.
type CourseCell struct {
	CourseID string
	Kind     CellKind
	Date     training.Date // for CellCompleted
}

// Record is one data row, parsed. Cells in error are left zero and reported
// as Problems; Has says which fields the file provides at all, so "blank"
// can be told from "no such column".
type Record struct {
	Row int // 1-based row (xlsx) or line (csv) number
	// Hash identifies the row's content, to tell identical duplicates from conflicting ones.
	Hash uint64

	ID, DisplayID string
	Name          string
	Email         string
	EmailInvalid  bool
	Rank          string
	Unit          string // joined path
	LineManager   string
	StartDate     training.Date
	// Role, StaffType and InPostSince describe the person's post
	// (docs/ROSTERS.md, "Who people are"); zero when the file has no such
	// column or the cell was blank or in error.
	Role        string
	StaffType   training.StaffType
	InPostSince training.Date
	// Leaver is set when the status column says the officer has left
	// (Leaver, Left, Withdrawn…).
	Leaver bool
	// StatusUnknown is set when a status cell (employment status, or the
	// completion status of a completion export) holds a word Muster does
	// not know: the cell is in error and says nothing.
	StatusUnknown bool
	// Has is shared by every record of one file: read it, never modify it.
	Has map[Field]bool

	// Wide layout: one entry per course column, in column order (a course
	// may have more than one column; a cell in error is CellNone).
	Courses []CourseCell

	// Long layout: CourseID is "" when the course name matched no tracked
	// course (counted as "other training", skipped).
	CourseName string
	CourseID   string
	Completed  bool // status Completed/Passed (or no status column and a date)
	// Status is the completion status as written (long layout), for
	// counting the rows that record nothing because of it.
	Status      string
	Date        training.Date
	DateUnknown bool
	// CourseAmbiguous is set when CourseName matched two courses equally
	// (reported as a cell error; CourseID is then "" but it is not "other training").
	CourseAmbiguous bool
}
