package sourcegen

// The header rows each layout writes, exactly as the source system writes
// them (docs/sources.md quotes these lists in its "headers" blocks, and a
// test keeps the two equal).

// Moodle activity names used by the fixtures. The TIC workbook's name holds
// the TIC alias "Trauma-informed practice": an activity column must never be
// taken as the course.
const (
	actCSEModule = "CSE e-learning module"
	actCSEQuiz   = "CSE knowledge check"
	actTICVideo  = "Trauma-informed communication video"
	actTICBook   = "Trauma-informed practice workbook"
	// cseQuizExpected is the knowledge check's "expect completed on" date,
	// which report/progress writes as a header ("%F %T").
	cseQuizExpected = "2026-03-31 00:00:00"
)

// moodle completion date column: "<activity> - Completion date".
func moodleDateCol(activity string) string { return activity + " - Completion date" }

var headerLists = map[string][]string{
	"moodle-course-completion-csv": {"ID", "Name", "ID number", "Email address",
		actCSEModule, moodleDateCol(actCSEModule), actCSEQuiz, moodleDateCol(actCSEQuiz), "Course complete"},
	"moodle-course-completion-excelcsv": {"ID", "Name", "ID number", "Email address",
		actTICVideo, moodleDateCol(actTICVideo), actTICBook, moodleDateCol(actTICBook), "Course complete"},
	"moodle-course-completion-no-idnumber": {"ID", "Name", "Email address",
		actCSEModule, moodleDateCol(actCSEModule), actCSEQuiz, moodleDateCol(actCSEQuiz), "Course complete"},
	"moodle-activity-completion-excelcsv": {"", "ID number", "Email address", actCSEModule, "", actCSEQuiz, cseQuizExpected},
	"moodle-activity-completion-csv":      {"", "ID number", "Email address", actTICVideo, "", actTICBook, ""},
	"moodle-custom-report-csv": {"Course full name with link", "Full name", "ID number", "Email address",
		"Completed", "Time completed"},
	"moodle-custom-report-xlsx": {"Course full name with link", "Full name with link", "ID number", "Completed"},
	"totara-course-completion-csv": {"User's Fullname", "User ID Number", "Course Name", "User's Organisation Name",
		"Completion Organisation Name", "User's Position", "Completion Position Name", "Completion Status", "Completion Date"},
	"totara-hr-import-user-csv": {"idnumber", "timemodified", "username", "deleted", "firstname", "lastname", "email",
		"orgidnumber", "postitle", "posidnumber", "posstartdate", "manageridnumber", "suspended"},
	"sap-hr-adhoc-query-xlsx": {"Pers.No.", "Last name", "First name", "Org.unit", "Organizational unit",
		"Employee group", "Position", "Employment status", "Entry", "Leaving date"},
	"oracle-hcm-extract-csv": {"Person Number", "Last Name", "First Name", "Work Email", "Department",
		"Assignment Status", "Assignment Status Type", "Person Type", "Position Name", "Assignment Start Date",
		"Manager Person Number", "Hire Date", "Actual Termination Date"},
	"guard-unknown-ids-csv": {"Staff ID", "Surname", "Forename", "Course Name", "Status", "Completed On"},
	"guard-unit-codes-csv":  {"Warrant No", "Surname", "Forename", "Org Unit"},
}

// Headers returns the header row a layout writes (a copy), or nil for a
// layout Generate does not know.
func Headers(layout string) []string {
	h, ok := headerLists[layout]
	if !ok {
		return nil
	}
	return append([]string(nil), h...)
}
