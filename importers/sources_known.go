package importers

// The exports Muster recognises, each as docs/sources.md describes it
// (where it was read, every header, every value). Keys are headerKeys:
// "Pers.No." is "persno", "User's Fullname" is "usersfullname".

// knownSources are tried in order; the first whose signature a header row
// has is used for it.
var knownSources = []*sourceProfile{
	moodleCourseCompletion, moodleActivityCompletion, moodleCustomReport,
	totaraCourseCompletion, totaraHRImportUser, sapAdHocQuery, oracleHCMWorkers,
	sapPersonnelNumber, oraclePersonNumber,
}

// postFields are the fields of who a person is (role, staff type, in-post
// date): an HR export may carry them in columns of the site's choosing,
// which the general wordings then read.
var postFields = []Field{FieldRole, FieldStaffType, FieldInPostSince}

// Reasons shared by several sources.
const (
	whyInternalID    = "the system's internal record number, not a warrant or payroll number"
	whyNoRename      = "a completion export never changes who an officer is"
	whyLastLevelOnly = "holds one level of the structure only (or a code), never a full unit path; map it yourself if it is right"
)

func col(f Field, why string) sourceColumn { return sourceColumn{field: f, why: why} }

// moodleCourseCompletion is report/completion's download: one course per
// file (named only in the file name), a row per user, per-criterion
// columns, and "Course complete" holding the date the course was completed.
var moodleCourseCompletion = &sourceProfile{
	Name:      "Moodle course completion report",
	ID:        "moodle-course-completion",
	signature: []string{"id", "name", "coursecomplete"},
	oneCourse: true,
	layout:    LayoutWide,
	columns: map[string]sourceColumn{
		"id":             col(FieldIgnore, "Moodle's internal user id, not a warrant or payroll number (that is \"ID number\")"),
		"name":           col(FieldIgnore, whyNoRename),
		"idnumber":       col(FieldID, "the user's ID number, where forces keep the warrant or payroll number"),
		"emailaddress":   col(FieldIgnore, whyNoRename),
		"coursecomplete": col(FieldCourseColumn, "the date the course was completed (empty: not complete); activity columns are detail"),
	},
	noID: "This is a Moodle course completion report without the \"ID number\" column, so it does not say which officer each row is (its \"ID\" column is Moodle's own user number, not a warrant or payroll number). Ask the Moodle administrator to add \"ID number\" to the identity fields shown in reports (Site administration → Users → Permissions → User policies → Show user identity), download the report again and upload that.",
}

// moodleActivityCompletion is report/progress's download: activity
// states only, never the course's completion.
var moodleActivityCompletion = &sourceProfile{
	Name:       "Moodle activity completion report",
	ID:         "moodle-activity-completion",
	signature:  []string{"idnumber"},
	none:       []string{"coursecomplete", "completed", "timecompleted"},
	firstBlank: true,
	layout:     LayoutWide,
	columns: map[string]sourceColumn{
		"idnumber":     col(FieldID, "the user's ID number, where forces keep the warrant or payroll number"),
		"emailaddress": col(FieldIgnore, whyNoRename),
	},
	noticeLabel: "activity report",
	refuse:      "This is a Moodle activity completion report: it says which activities each person finished, never that the course was completed, so Muster records nothing from it. Download the course completion report instead (the course's Reports → Course completion → Download), or, if one activity really is the whole course, map that column to the course yourself.",
	noID:        "This is a Moodle activity completion report without the \"ID number\" column, so it does not say which officer each row is.",
}

// moodleCustomReport is a report builder report over course participants
// or course completion, as its csv or Excel download writes it.
var moodleCustomReport = &sourceProfile{
	Name:      "Moodle custom report (report builder)",
	ID:        "moodle-custom-report",
	signature: []string{"idnumber"},
	any:       []string{"coursefullnamewithlink", "coursefullname", "courseshortname", "courseidnumber"},
	layout:    LayoutLong,
	columns: map[string]sourceColumn{
		"coursefullnamewithlink": col(FieldCourse, "the course's full name (the link is left out in downloads)"),
		"coursefullname":         col(FieldCourse, "the course's full name"),
		"courseshortname":        col(FieldCourse, "the course's short name, matched against course aliases"),
		"courseidnumber":         col(FieldCourse, "the course's ID number, matched against course aliases"),
		"idnumber":               col(FieldID, "the user's ID number, where forces keep the warrant or payroll number"),
		"fullname":               col(FieldIgnore, whyNoRename),
		"fullnamewithlink":       col(FieldIgnore, whyNoRename),
		"firstname":              col(FieldIgnore, whyNoRename),
		"lastname":               col(FieldIgnore, whyNoRename),
		"emailaddress":           col(FieldIgnore, whyNoRename),
		"completed":              col(FieldCompletionStatus, "Yes or No: whether the user completed the course"),
		"timecompleted":          col(FieldCompletionDate, "when the user completed the course"),
		"id":                     col(FieldIgnore, whyInternalID),
	},
}

// totaraCourseCompletion is the report builder source "Course Completion".
var totaraCourseCompletion = &sourceProfile{
	Name:      "Totara course completion report",
	ID:        "totara-course-completion",
	signature: []string{"useridnumber", "completionstatus"},
	any:       []string{"coursename", "courseshortname", "courseidnumber"},
	layout:    LayoutLong,
	columns: map[string]sourceColumn{
		"usersfullname":              col(FieldIgnore, whyNoRename),
		"useridnumber":               col(FieldID, "the user's ID number, where forces keep the warrant or payroll number"),
		"userid":                     col(FieldIgnore, whyInternalID),
		"username":                   col(FieldIgnore, "the user's login name, not a warrant or payroll number"),
		"usersemail":                 col(FieldIgnore, whyNoRename),
		"coursename":                 col(FieldCourse, "the course's name"),
		"courseshortname":            col(FieldCourse, "the course's short name, matched against course aliases"),
		"courseidnumber":             col(FieldCourse, "the course's ID number, matched against course aliases"),
		"usersorganisationname":      col(FieldIgnore, whyLastLevelOnly),
		"completionorganisationname": col(FieldIgnore, whyLastLevelOnly),
		"usersposition":              col(FieldIgnore, "the user's position, not a unit"),
		"completionpositionname":     col(FieldIgnore, "the position at completion, not a unit"),
		"completionstatus":           col(FieldCompletionStatus, "Complete or Complete via rpl record a completion; In progress and Not yet started record nothing"),
		"completiondate":             col(FieldCompletionDate, "the date the course was completed"),
	},
}

// totaraHRImportUser is the user source of HR Import (totara_sync), the
// csv an HR system writes for Totara.
var totaraHRImportUser = &sourceProfile{
	Name:          "Totara HR Import user file",
	ID:            "totara-hr-import",
	signature:     []string{"idnumber", "deleted"},
	any:           []string{"firstname", "lastname", "username", "email"},
	layout:        LayoutPeople,
	genericFields: append([]Field{FieldEmail, FieldRank}, postFields...),
	unixDates:     true,
	columns: map[string]sourceColumn{
		"idnumber":     col(FieldID, "the person's ID number: the warrant or payroll number"),
		"timemodified": col(FieldIgnore, "when the HR record last changed"),
		"username":     col(FieldIgnore, "the login name, not a warrant or payroll number"),
		"deleted":      col(FieldStatus, "1 means the person has left, 0 that they serve"),
		"firstname":    col(FieldForename, "the first name"),
		"lastname":     col(FieldSurname, "the last name"),
		"email":        col(FieldEmail, "the email address"),
		"orgidnumber":  col(FieldIgnore, "the code of a Totara organisation, never a unit path"),
		"posidnumber":  col(FieldIgnore, "the code of a Totara position, not a unit"),
		"postitle":     col(FieldRole, "the position's title: the person's post"),
		"posstartdate": col(FieldInPostSince, "the start in the current position (not the joining date)"),
		"posenddate":   col(FieldIgnore, "the end of the current position"),
		// Totara 9 and later: job assignments in place of positions.
		"jobassignmentidnumber":  col(FieldIgnore, "the job assignment's code"),
		"jobassignmentfullname":  col(FieldRole, "the job assignment's name: the person's post"),
		"jobassignmentstartdate": col(FieldInPostSince, "the start of the job assignment (not the joining date)"),
		"jobassignmentenddate":   col(FieldIgnore, "the end of the job assignment"),
		"manageridnumber":        col(FieldLineManager, "the line manager's ID number"),
		"suspended":              col(FieldIgnore, "a suspended account is still a serving officer"),
	},
	vocab: &vocabulary{employment: map[string]bool{"0": false, "1": true}},
}

// sapAdHocQuery is an SAP HR (PA) ad hoc query's output as exported to a
// spreadsheet, with the standard English field labels.
var sapAdHocQuery = &sourceProfile{
	Name:          "SAP HR ad hoc query",
	ID:            "sap-hr-adhoc-query",
	signature:     []string{"persno"},
	any:           []string{"employmentstatus", "orgunit", "organizationalunit", "lastname"},
	layout:        LayoutPeople,
	genericFields: append([]Field{FieldEmail, FieldRank, FieldLineManager}, postFields...),
	columns: map[string]sourceColumn{
		"persno":             col(FieldID, "the personnel number: the payroll number (leading zeros dropped)"),
		"personnelno":        col(FieldID, "the personnel number: the payroll number (leading zeros dropped)"),
		"personnelnumber":    col(FieldID, "the personnel number: the payroll number (leading zeros dropped)"),
		"eegroup":            col(FieldStaffType, "the employee group: officer, staff, special, PCSO or volunteer as the force names its groups"),
		"employeegroup":      col(FieldStaffType, "the employee group: officer, staff, special, PCSO or volunteer as the force names its groups"),
		"eesubgroup":         col(FieldIgnore, "the employee subgroup (pay arrangements), not the staff type"),
		"employeesubgroup":   col(FieldIgnore, "the employee subgroup (pay arrangements), not the staff type"),
		"position":           col(FieldRole, "the position's text: the person's post"),
		"job":                col(FieldIgnore, "the job, a family of posts; the position names the post (map it yourself if your queries have no position)"),
		"lastname":           col(FieldSurname, "the last name"),
		"firstname":          col(FieldForename, "the first name"),
		"orgunit":            col(FieldIgnore, "the organisational unit's 8-digit object code, never a unit path"),
		"organizationalunit": col(FieldIgnore, whyLastLevelOnly),
		"employmentstatus":   col(FieldStatus, "Active and Inactive serve (Inactive is long leave); Withdrawn and Retiree have left"),
		"entry":              col(FieldStartDate, "the entry date"),
		"leavingdate":        col(FieldIgnore, "the leaving date (the employment status decides)"),
	},
	vocab: &vocabulary{employment: map[string]bool{"active": false, "inactive": false, "withdrawn": true, "retiree": true,
		"0": true, "1": false, "2": true, "3": false}},
}

// oracleHCMWorkers is an Oracle HCM Cloud worker extract or report.
var oracleHCMWorkers = &sourceProfile{
	Name:          "Oracle HCM worker extract",
	ID:            "oracle-hcm-extract",
	signature:     []string{"personnumber"},
	any:           []string{"assignmentstatustype", "assignmentstatus", "department", "hiredate"},
	layout:        LayoutPeople,
	genericFields: append([]Field{FieldEmail, FieldRank}, postFields...),
	columns: map[string]sourceColumn{
		"personnumber":                        col(FieldID, "the person number: the employee number HR uses"),
		"persontype":                          col(FieldStaffType, "the (user) person type: officer, staff, special, PCSO or volunteer as the force names them"),
		"userpersontype":                      col(FieldStaffType, "the (user) person type: officer, staff, special, PCSO or volunteer as the force names them"),
		"positionname":                        col(FieldRole, "the assignment's position: the person's post"),
		"assignmentpositionname":              col(FieldRole, "the assignment's position: the person's post"),
		"jobname":                             col(FieldIgnore, "the job, a family of posts; the position names the post (map it yourself if your force does not use positions)"),
		"assignmentjobname":                   col(FieldIgnore, "the job, a family of posts; the position names the post (map it yourself if your force does not use positions)"),
		"assignmentstartdate":                 col(FieldInPostSince, "the start of the assignment (not the hire date)"),
		"extractassignmenteffectivestartdate": col(FieldIgnore, "the start of the assignment record's latest change, not of the post"),
		"personid":                            col(FieldIgnore, whyInternalID),
		"assignmentnumber":                    col(FieldIgnore, "the assignment's number, not the person's"),
		"lastname":                            col(FieldSurname, "the last name"),
		"firstname":                           col(FieldForename, "the first name"),
		"workemail":                           col(FieldEmail, "the work email address"),
		"department":                          col(FieldIgnore, whyLastLevelOnly),
		"assignmentstatus":                    col(FieldIgnore, "the detailed status (the status type decides)"),
		"assignmentstatustype":                col(FieldStatus, "ACTIVE and SUSPENDED serve; INACTIVE has left"),
		"managerpersonnumber":                 col(FieldLineManager, "the line manager's person number"),
		"hiredate":                            col(FieldStartDate, "the hire date"),
		"actualterminationdate":               col(FieldIgnore, "the termination date (the status type decides)"),
	},
	vocab: &vocabulary{employment: map[string]bool{"active": false, "suspended": false, "inactive": true}},
}

// sapPersonnelNumber recognises an SAP HR export by its personnel number
// alone, whatever its other columns (a query with other fields): the ID
// column is read as SAP writes it, the other columns by the general
// wordings.
var sapPersonnelNumber = &sourceProfile{
	Name:      "SAP HR export (recognised by its personnel number)",
	ID:        "sap-hr-personnel-number",
	signature: []string{"persno"},
	idOnly:    true,
	columns: map[string]sourceColumn{
		"persno":           sapAdHocQuery.columns["persno"],
		"employmentstatus": sapAdHocQuery.columns["employmentstatus"],
		"eegroup":          sapAdHocQuery.columns["eegroup"],
		"employeegroup":    sapAdHocQuery.columns["employeegroup"],
		"orgunit":          sapAdHocQuery.columns["orgunit"],
	},
	vocab: sapAdHocQuery.vocab,
}

// oraclePersonNumber recognises an Oracle HCM export by its person number
// alone (an OTBI analysis or extract with other columns).
var oraclePersonNumber = &sourceProfile{
	Name:      "Oracle HCM export (recognised by its person number)",
	ID:        "oracle-hcm-person-number",
	signature: []string{"personnumber"},
	idOnly:    true,
	columns: map[string]sourceColumn{
		"personnumber":         oracleHCMWorkers.columns["personnumber"],
		"personid":             oracleHCMWorkers.columns["personid"],
		"assignmentnumber":     oracleHCMWorkers.columns["assignmentnumber"],
		"managerpersonnumber":  oracleHCMWorkers.columns["managerpersonnumber"],
		"assignmentstatustype": oracleHCMWorkers.columns["assignmentstatustype"],
		"persontype":           oracleHCMWorkers.columns["persontype"],
		"userpersontype":       oracleHCMWorkers.columns["userpersontype"],
	},
	vocab: oracleHCMWorkers.vocab,
}
