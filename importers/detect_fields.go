package importers

// What a header names: the wordings of docs/ROSTERS.md, compared with
// case, spacing and punctuation squashed away.

import (
	"strings"
	"unicode"
)

// headerKey squashes a header for lookup: lower case, letters and digits
// only ("E-mail" = "email", "Warrant No." = "warrantno").
func headerKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// withoutParens drops "(...)" parts: "Start Date (dd/mm/yyyy)" -> "Start Date ".
func withoutParens(s string) string {
	for {
		i := strings.IndexAny(s, "([")
		if i < 0 {
			return s
		}
		j := strings.IndexAny(s[i:], ")]")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + " " + s[i+j+1:]
	}
}

// fieldHeaders lists, per field, the header wordings seen in real exports
// (docs/ROSTERS.md), compared by headerKey.
var fieldHeaders = map[Field][]string{
	FieldID: {"Warrant No", "Warrant Number", "Warrant", "Warrant ID", "Employee ID", "Employee No", "Employee Number",
		"Payroll No", "Payroll Number", "Payroll ID", "Pay No", "Pay Number", "Force Number", "Force No", "Force ID",
		"Staff ID", "Staff No", "Staff Number", "Officer ID", "Officer No", "Officer Number", "Personnel No",
		"Personnel Number", "Person ID", "Employee Ref", "ID"},
	FieldName:     {"Name", "Full Name", "Officer Name", "Employee Name", "Staff Name", "Officer", "Person Name"},
	FieldSurname:  {"Surname", "Last Name", "Family Name", "Lastname"},
	FieldForename: {"Forename", "Forenames", "First Name", "First Names", "Given Name", "Given Names", "Firstname"},
	FieldEmail: {"Email", "E-mail", "Email Address", "E-mail Address", "Work Email", "Work Email Address",
		"Work E-mail", "Business Email", "Email Work"},
	FieldRank:        {"Rank", "Grade", "Rank/Grade", "Rank / Grade"},
	FieldUnit:        {"Team Path", "Unit Path", "Org Path", "Organisation Path", "Organisation Unit", "Org Unit", "Hierarchy"},
	FieldUnit1:       {"Command", "Directorate", "Business Group"},
	FieldUnit2:       {"BCU", "Borough", "OCU", "Division"},
	FieldUnit3:       {"Team", "Unit", "Section"},
	FieldLineManager: {"Line Manager", "Line Manager ID", "Line Manager No", "Manager Warrant No", "Manager Warrant Number", "Line Manager Email", "Line Manager Warrant No", "Supervisor", "Supervisor ID", "Manager", "Manager ID", "Reports To"},
	FieldStartDate:   {"Start Date", "Date Joined", "Joining Date", "Appointment Date", "Date of Appointment", "Join Date", "Date Started", "Joined"},
	FieldStatus:      {"Employment Status", "Status", "Employee Status", "Staff Status"},
	FieldRole:        {"Role", "Job Title", "Job", "Position", "Post", "Post Title", "Job Role", "Position Title"},
	FieldStaffType: {"Staff Type", "Officer/Staff", "Officer or Staff", "Employee Group", "Person Type", "Staff Category",
		"Worker Category"},
	FieldInPostSince: {"In Post Since", "Position Start Date", "Date in Post", "Date in Position", "Assignment Start Date",
		"Job Assignment Start Date", "Post Start Date"},
	FieldCourse: {"Course", "Course Name", "Course Title", "Module", "Module Name", "Module Title", "Learning Item", "Training Course"},
	FieldCompletionDate: {"Completion Date", "Completed On", "Date Completed", "Completed Date", "Date of Completion",
		"Completion"},
	FieldCompletionStatus: {"Completion Status", "Course Status", "Result", "Outcome", "Module Status"},
}

// headerFields maps headerKey(variant) to its field.
var headerFields = func() map[string]Field {
	m := make(map[string]Field)
	for f, vs := range fieldHeaders {
		for _, v := range vs {
			m[headerKey(v)] = f
		}
	}
	return m
}()

// fieldOf returns the field a header names, or "".
func fieldOf(header string) Field {
	k := headerKey(header)
	if k == "" {
		return ""
	}
	if f, ok := headerFields[k]; ok {
		return f
	}
	if p := headerKey(withoutParens(header)); p != k && p != "" {
		if f, ok := headerFields[p]; ok {
			return f
		}
	}
	return ""
}

// fuzzyFields are tried, in order, on headers that match no wording
// exactly: a header containing the key fragment maps to the field
// ("Warrant/Payroll No", "Officer Email", "Line manager's name").
var fuzzyFields = []struct {
	fragment string
	field    Field
}{
	{"manager", FieldLineManager}, {"supervisor", FieldLineManager}, {"reportsto", FieldLineManager},
	{"email", FieldEmail},
	{"warrantno", FieldID}, {"warrantnumber", FieldID}, {"payrollno", FieldID}, {"payrollnumber", FieldID},
	{"employeeid", FieldID}, {"employeeno", FieldID}, {"employeenumber", FieldID}, {"staffid", FieldID},
	{"staffno", FieldID}, {"staffnumber", FieldID}, {"forcenumber", FieldID}, {"forceno", FieldID},
	{"officerid", FieldID}, {"payno", FieldID}, {"personnelno", FieldID}, {"personnelnumber", FieldID},
	{"surname", FieldSurname}, {"lastname", FieldSurname}, {"familyname", FieldSurname},
	{"forename", FieldForename}, {"firstname", FieldForename}, {"givenname", FieldForename},
	{"fullname", FieldName},
	// Before "startdate": the start of a post is not the joining date.
	{"inpostsince", FieldInPostSince}, {"positionstartdate", FieldInPostSince}, {"assignmentstartdate", FieldInPostSince},
	{"poststartdate", FieldInPostSince}, {"dateinpost", FieldInPostSince},
	{"startdate", FieldStartDate}, {"datejoined", FieldStartDate}, {"joiningdate", FieldStartDate},
	{"dateofjoining", FieldStartDate}, {"appointmentdate", FieldStartDate}, {"dateofappointment", FieldStartDate},
	{"employmentstatus", FieldStatus},
}

// fuzzyField is the field a header names by a key fragment, or "".
func fuzzyField(header string) Field {
	k := headerKey(header)
	for _, f := range fuzzyFields {
		if strings.Contains(k, f.fragment) {
			return f.field
		}
	}
	return ""
}
