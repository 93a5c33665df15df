package importers

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestFieldOfEveryVariant maps every header wording of docs/ROSTERS.md,
// also in other case, spacing (NBSP), and punctuation.
func TestFieldOfEveryVariant(t *testing.T) {
	tests := map[Field][]string{
		FieldID:               {"Warrant No", "Warrant Number", "Employee ID", "Employee No", "Payroll No", "Pay No", "Force Number", "Staff ID", "Officer ID"},
		FieldName:             {"Name", "Full Name", "Officer Name"},
		FieldSurname:          {"Surname", "Last Name", "Family Name"},
		FieldForename:         {"Forename", "First Name", "Given Name"},
		FieldEmail:            {"Email", "E-mail", "Email Address", "Work Email"},
		FieldRank:             {"Rank", "Grade"},
		FieldUnit:             {"Team Path"},
		FieldUnit1:            {"Command", "Directorate", "Business Group"},
		FieldUnit2:            {"BCU", "Borough", "OCU", "Division"},
		FieldUnit3:            {"Team", "Unit", "Section"},
		FieldLineManager:      {"Line Manager", "Line Manager ID", "Manager Warrant No", "Line Manager Email", "Supervisor"},
		FieldStartDate:        {"Start Date", "Date Joined", "Joining Date", "Appointment Date"},
		FieldStatus:           {"Status", "Employment Status"},
		FieldCourse:           {"Course", "Course Name", "Course Title", "Module"},
		FieldCompletionDate:   {"Completion Date", "Completed On", "Date Completed"},
		FieldCompletionStatus: {"Completion Status"},
	}
	for field, variants := range tests {
		for _, v := range variants {
			forms := []string{v, strings.ToUpper(v), strings.ToLower(v), " " + v + " ",
				strings.ReplaceAll(v, " ", "\u00a0"), strings.ReplaceAll(v, " ", "  "), strings.ReplaceAll(v, " ", "_"),
				v + ".", v + ":", v + " (dd/mm/yyyy)"}
			for _, h := range forms {
				if got := fieldOf(h); got != field {
					t.Errorf("fieldOf(%q) = %q, want %q", h, got, field)
				}
			}
		}
	}
	fuzzy := map[string]Field{"Warrant/Payroll No": FieldID, "Officer Warrant No.": FieldID, "Employee ID (HR)": FieldID,
		"Officer Email": FieldEmail, "Email (work)": FieldEmail, "Line manager's name": FieldLineManager,
		"Line Manager Employee ID": FieldLineManager, "Officer Surname": FieldSurname, "Preferred first name": FieldForename,
		"Officer full name": FieldName, "Force start date": FieldStartDate}
	for h, want := range fuzzy {
		if got := fuzzyField(h); got != want {
			t.Errorf("fuzzyField(%q) = %q, want %q", h, got, want)
		}
		if p := planHeader([]string{"Staff ID", h}, 1, nil); h != "Staff ID" && p.columns[1].Field != want && want != FieldID {
			t.Errorf("planHeader maps %q to %q, want %q", h, p.columns[1].Field, want)
		}
	}
	for _, h := range []string{"", "Base", "Comments", "Notes", "Shift", "Warrant Expiry"} {
		if got := fieldOf(h); got != "" {
			t.Errorf("fieldOf(%q) = %q, want none", h, got)
		}
	}
}

func testCourses() []training.Course {
	cs := training.DefaultCourses()
	for i := range cs {
		cs[i] = cs[i].Normalize()
	}
	return cs
}

func TestCourseMatch(t *testing.T) {
	courses := append(testCourses(),
		training.Course{ID: "officer-safety", Title: "Officer safety training", Aliases: []string{"OST"}},
		training.Course{ID: "safety-refresher", Title: "Safety refresher", Aliases: []string{"Officer safety refresher"}},
		training.Course{ID: "first-aid", Title: "First aid", Aliases: []string{"Emergency aid"}},
		training.Course{ID: "emergency-life-support", Title: "Emergency life support", Aliases: []string{"First aid plus"}},
	)
	tests := []struct {
		in, want  string
		ambiguous bool
	}{
		{"CSE recognition", "cse-recognition", false},
		{"cse RECOGNITION", "cse-recognition", false},
		{"CSE Recognition – date completed", "cse-recognition", false},
		{"CSE awareness (date)", "cse-recognition", false},
		{"CSE", "cse-recognition", false},
		{"Child Sexual Exploitation – Recognising the Signs", "cse-recognition", false},
		{"Child Sexual Exploitation - recognising the signs", "cse-recognition", false},
		{"Child sexual exploitation—recognising the signs (e-learning)", "cse-recognition", false},
		{"Trauma-informed communication", "trauma-informed-communication", false},
		{"Trauma informed communication", "trauma-informed-communication", false},
		{"Trauma Informed Comms (e-learning)", "trauma-informed-communication", false},
		{"Trauma-informed practice", "trauma-informed-communication", false},
		{"TIC", "trauma-informed-communication", false},
		{"TIC completed", "trauma-informed-communication", false},
		// "TIC" never matches inside a word.
		{"Good practice", "", false},
		{"Tactics", "", false},
		{"Officer Safety Training", "officer-safety", false},
		// Longest match wins: "officer safety refresher" (3 words) beats "safety refresher" and "officer safety training" does not apply.
		{"Officer safety refresher 2024", "safety-refresher", false},
		// Two courses matched equally: an error.
		{"Safety refresher and first aid", "", true},
		{"CSE / TIC", "", true},
		{"First aid / emergency aid", "first-aid", false},
		{"First aid and emergency life support", "emergency-life-support", false},
		{"Fire safety", "", false},
		{"", "", false},
	}
	cm := newCourseMatcher(courses)
	for _, tc := range tests {
		m := cm.match(tc.in)
		if m.id != tc.want || (len(m.ambiguous) > 0) != tc.ambiguous {
			t.Errorf("match(%q) = %q ambiguous %q; want %q ambiguous %v", tc.in, m.id, m.ambiguous, tc.want, tc.ambiguous)
		}
	}
}

func TestPlanHeader(t *testing.T) {
	cm := newCourseMatcher(testCourses())
	tests := []struct {
		name      string
		cells     []string
		layout    Layout
		fields    []Field // per cell ("" ignored)
		ambiguous bool
	}{
		{"wide levels", []string{"Warrant No", "Name", "Command", "BCU", "Team", "CSE", "TIC (date)"}, LayoutWide,
			[]Field{FieldID, FieldName, FieldUnit1, FieldUnit2, FieldUnit3, FieldCourseColumn, FieldCourseColumn}, false},
		{"unit alone is a path", []string{"Warrant No", "Name", "Unit"}, LayoutPeople,
			[]Field{FieldID, FieldName, FieldUnit}, false},
		{"team alone is a path", []string{"Staff ID", "Team"}, LayoutPeople, []Field{FieldID, FieldUnit}, false},
		{"long status is completion status", []string{"Staff ID", "Course", "Status", "Date"}, LayoutLong,
			[]Field{FieldID, FieldCourse, FieldCompletionStatus, FieldCompletionDate}, false},
		{"long with employment status", []string{"Staff ID", "Module", "Employment Status", "Status"}, LayoutLong,
			[]Field{FieldID, FieldCourse, FieldStatus, FieldCompletionStatus}, false},
		{"people status", []string{"Pay No", "Full Name", "Status"}, LayoutPeople, []Field{FieldID, FieldName, FieldStatus}, false},
		{"duplicate field ignored", []string{"Pay No", "Email", "Work Email"}, LayoutPeople, []Field{FieldID, FieldEmail, ""}, false},
		{"expiry column ignored", []string{"Pay No", "CSE", "CSE expiry"}, LayoutWide, []Field{FieldID, FieldCourseColumn, ""}, false},
		{"unknown ignored", []string{"Pay No", "Shift", "Name"}, LayoutPeople, []Field{FieldID, "", FieldName}, false},
		{"ambiguous course header", []string{"Pay No", "Name", "CSE and TIC"}, LayoutPeople, []Field{FieldID, FieldName, ""}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := planHeader(tc.cells, 1, cm)
			if p.layout != tc.layout || (p.ambiguous != "") != tc.ambiguous || !p.hasID {
				t.Errorf("layout %s ambiguous %q hasID %v", p.layout, p.ambiguous, p.hasID)
			}
			if len(p.columns) != len(tc.fields) {
				t.Fatalf("columns = %+v", p.columns)
			}
			for i, c := range p.columns {
				if c.Field != tc.fields[i] || c.Letter != columnLetter(i) || c.Index != i {
					t.Errorf("column %d = %+v, want field %q", i, c, tc.fields[i])
				}
			}
		})
	}
}

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnLetter(i); got != want {
			t.Errorf("columnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestHeaderFinderPrefersBestRow(t *testing.T) {
	hf := headerFinder{cm: newCourseMatcher(testCourses())}
	rows := [][]string{
		{"Metropolitan Police Service — Training roster"},
		{"Exported 01/11/2026 by HR Systems"},
		nil,
		{"ID", "Notes"},
		{"Warrant No", "Surname", "Forename", "Unit", "CSE"},
		{"0012345", "Smith", "Jo", "A / B", "15/03/2024"},
	}
	for i, r := range rows {
		hf.add(i+1, r)
	}
	if !hf.ok || hf.best.row != 5 {
		t.Fatalf("best header row = %d (ok %v), want 5", hf.best.row, hf.ok)
	}
}
