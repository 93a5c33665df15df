package importers

// Header detection: which row is the header, what each column holds, which
// course a column or a course name means, and the layout that follows.

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/muster-police/muster/training"
)

// headerScanRows is how many rows from the top of a sheet may hold the header.
const headerScanRows = 30

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
// (shared/ROSTERS.md), compared by headerKey.
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
	FieldCourse:      {"Course", "Course Name", "Course Title", "Module", "Module Name", "Module Title", "Learning Item", "Training Course"},
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

// courseMatcher matches headers and course names to courses by whole words.
type courseMatcher struct {
	courses []training.Course
	phrases []coursePhrase
	cache   map[string]courseMatch // long layout repeats the same names
}

type coursePhrase struct {
	course int
	words  []string
}

type courseMatch struct {
	id        string
	ambiguous []string // titles of the courses tied for the best match
}

func newCourseMatcher(courses []training.Course) *courseMatcher {
	m := &courseMatcher{courses: courses, cache: make(map[string]courseMatch)}
	for i, c := range courses {
		for _, p := range append([]string{c.Title, c.ID}, c.Aliases...) {
			if w := words(p); len(w) > 0 {
				m.phrases = append(m.phrases, coursePhrase{course: i, words: w})
			}
		}
	}
	return m
}

// words splits s into lower-case words: letters and digits; everything
// else (spaces, hyphens, en dashes, brackets, punctuation) separates.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// match returns the course s names: the course whose title or alias
// occurs in s as whole consecutive words, the longest such phrase winning.
func (m *courseMatcher) match(s string) courseMatch {
	if r, ok := m.cache[s]; ok {
		return r
	}
	ws := words(s)
	best, bestLen := -1, 0
	var tied []int
	for _, p := range m.phrases {
		if len(p.words) < bestLen || !containsWords(ws, p.words) {
			continue
		}
		switch {
		case len(p.words) > bestLen:
			best, bestLen, tied = p.course, len(p.words), tied[:0]
		case p.course != best && !containsInt(tied, p.course):
			tied = append(tied, p.course)
		}
	}
	var r courseMatch
	switch {
	case best < 0:
	case len(tied) > 0:
		r.ambiguous = []string{m.courses[best].Title}
		for _, t := range tied {
			r.ambiguous = append(r.ambiguous, m.courses[t].Title)
		}
	default:
		r.id = m.courses[best].ID
	}
	if len(m.cache) < 10000 {
		m.cache[s] = r
	}
	return r
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func containsWords(hay, needle []string) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		ok := true
		for j := range needle {
			if hay[i+j] != needle[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// notCompletionWords mark a course header that holds something other than
// the completion (an expiry or due date): such columns are ignored.
var notCompletionWords = map[string]bool{"expiry": true, "expires": true, "expiring": true, "due": true,
	"renewal": true, "booked": true, "booking": true, "until": true, "deadline": true}

// headerPlan is what a header row says about the columns below it.
type headerPlan struct {
	row     int // 1-based
	lastRow int // the header's last row: data starts below it
	columns []Column
	ignored []string
	layout  Layout
	score   int
	hasID   bool
	// ambiguous is the first course header that matches two courses equally.
	ambiguous string
}

// planHeader maps one candidate header row. It never fails: the caller
// decides from score/hasID/ambiguous whether the row is usable.
func planHeader(cells []string, row int, cm *courseMatcher) headerPlan {
	p := headerPlan{row: row}
	seen := make(map[Field]bool)
	hasLevels := false
	type pending struct {
		col   Column
		field Field
	}
	var mapped []pending
	for i, raw := range cells {
		h := clean(raw)
		if h == "" {
			continue
		}
		col := Column{Index: i, Letter: columnLetter(i), Header: h}
		f := fieldOf(h)
		if f == FieldUnit1 || f == FieldUnit2 {
			hasLevels = true
		}
		mapped = append(mapped, pending{col, f})
	}
	hasCourseName := false
	for _, m := range mapped {
		if m.field == FieldCourse {
			hasCourseName = true
		}
	}
	for _, m := range mapped {
		col, f := m.col, m.field
		switch {
		case f == FieldUnit3 && !hasLevels:
			// "Unit" or "Team" alone holds the whole path.
			f = FieldUnit
		case f == FieldStatus && hasCourseName && headerKey(col.Header) == "status" && !seen[FieldCompletionStatus]:
			// In a completion export a bare "Status" is the course's status.
			f = FieldCompletionStatus
		case f == "" && hasCourseName && headerKey(col.Header) == "date":
			f = FieldCompletionDate
		}
		if f == "" && !hasCourseName && cm != nil {
			if notCompletion(col.Header) {
				p.ignored = append(p.ignored, col.Header)
				p.columns = append(p.columns, col)
				continue
			}
			r := cm.match(col.Header)
			switch {
			case len(r.ambiguous) > 0:
				if p.ambiguous == "" {
					p.ambiguous = fmt.Sprintf("Column %s (%q) matches the courses %s equally; rename the column so that it names one course.",
						col.Letter, col.Header, quoteList(r.ambiguous))
				}
				p.score++
				p.ignored = append(p.ignored, col.Header)
				p.columns = append(p.columns, col)
				continue
			case r.id != "":
				col.Field, col.CourseID = FieldCourseColumn, r.id
				p.columns = append(p.columns, col)
				p.score++
				p.layout = LayoutWide
				continue
			}
		}
		if f == "" {
			f = fuzzyField(col.Header)
		}
		if f == "" || (seen[f] && f != FieldCourseColumn) {
			p.ignored = append(p.ignored, col.Header)
			p.columns = append(p.columns, col)
			continue
		}
		seen[f] = true
		col.Field = f
		p.columns = append(p.columns, col)
		p.score += 2
		if f == FieldID {
			p.hasID = true
		}
	}
	switch {
	case hasCourseName:
		p.layout = LayoutLong
	case p.layout == "":
		p.layout = LayoutPeople
	}
	return p
}

func notCompletion(header string) bool {
	for _, w := range words(header) {
		if notCompletionWords[w] {
			return true
		}
	}
	return false
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// columnLetter returns the spreadsheet letter of a 0-based column index.
func columnLetter(i int) string {
	var b [8]byte
	n := len(b)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

// headerFinder keeps the best header row among the rows it is shown.
type headerFinder struct {
	cm   *courseMatcher
	best headerPlan
	ok   bool
	// seen are the scanned rows (copied: csv reuses its slice), to look
	// below the chosen header for a second header row.
	seen []scannedRow
}

type scannedRow struct {
	n     int
	cells []string
}

// add considers one row (1-based) as the header.
func (h *headerFinder) add(row int, cells []string) {
	h.seen = append(h.seen, scannedRow{row, append([]string(nil), cells...)})
	if len(cells) == 0 {
		return
	}
	p := planHeader(cells, row, h.cm)
	if !p.hasID || p.score < 3 {
		return
	}
	if !h.ok || p.score > h.best.score {
		h.best, h.ok = p, true
	}
}

// finish looks for a two-row header: a group title merged over several
// columns ("Mandatory training") with the course names in the row below,
// or headers split across two rows. The row below the header joins it when
// it has no ID and its cells, put in the gaps of the header row, name more
// columns.
func (h *headerFinder) finish() {
	if !h.ok {
		return
	}
	h.best.lastRow = h.best.row
	var top, below []string
	for i, r := range h.seen {
		if r.n == h.best.row && i+1 < len(h.seen) {
			top, below = r.cells, h.seen[i+1].cells
			h.best.lastRow = h.seen[i+1].n
			break
		}
	}
	defer func() { h.seen = nil }()
	idCol := -1
	for _, c := range h.best.columns {
		if c.Field == FieldID {
			idCol = c.Index
		}
	}
	if below == nil || clean(cell(below, idCol)) != "" {
		h.best.lastRow = h.best.row
		return
	}
	mapped := make(map[int]bool)
	for _, c := range h.best.columns {
		if c.Field != "" {
			mapped[c.Index] = true
		}
	}
	merged := make([]string, max(len(top), len(below)))
	for i := range merged {
		merged[i] = cell(top, i)
		if b := clean(cell(below, i)); b != "" && !mapped[i] {
			merged[i] = b
		}
	}
	p := planHeader(merged, h.best.row, h.cm)
	if p.hasID && p.score > h.best.score {
		p.lastRow = h.best.lastRow
		h.best = p
		return
	}
	h.best.lastRow = h.best.row
}

// detection builds the reported Detection from a chosen header plan.
func (p headerPlan) detection() *Detection {
	d := &Detection{HeaderRow: p.row, Layout: p.layout, Columns: p.columns, Ignored: p.ignored}
	if d.Ignored == nil {
		d.Ignored = []string{}
	}
	return d
}

// knownHeaderExamples is used in the "no header found" message.
const knownHeaderExamples = `"Warrant No", "Employee ID", "Payroll No" or "Staff ID"`
