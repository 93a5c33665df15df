package importers

// Turning data rows into Records, the same way for xlsx and csv. The column
// handlers are worked out once from the header; each row then costs a
// loop over the mapped columns.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/muster-police/muster/training"
)

// rowParser converts the data rows of one sheet.
type rowParser struct {
	sheet    string
	date1904 bool
	today    training.Date
	layout   Layout
	cm       *courseMatcher
	has      map[Field]bool

	// Column indexes (-1: absent).
	id, name, surname, forename, email, rank, unit, lineManager, startDate, status int
	role, staffType, inPostSince                                                   int
	units                                                                          [3]int
	course, completionDate, completionStatus                                       int
	courseCols                                                                     []Column
	cols                                                                           []Column // by index, for messages

	problems []Problem
	buf      []byte // the row's normalised content, hashed into Record.Hash

	// Caches: rosters repeat the same units, statuses and words on
	// thousands of rows; one string per distinct value also saves memory
	// for whoever keeps the records.
	unitCache   map[[3]string]string
	pathCache   map[string]string
	leaverCache map[string]statusWord
	vocab       *vocabulary
	// unixDates: the source may write an in-post date as a Unix
	// timestamp (Totara HR Import).
	unixDates bool
	// fixedCourse is the course of every row of a one-course completion
	// export (no course column).
	fixedCourse string
	strCache    map[string]string // ranks, course names
	cellCache   map[string]CellKind
}

// newRowParser works out the column handlers once from the header plan.
func newRowParser(sheet string, p headerPlan, cm *courseMatcher, date1904 bool, today training.Date) *rowParser {
	rp := &rowParser{sheet: sheet, date1904: date1904, today: today, layout: p.layout, cm: cm, has: make(map[Field]bool),
		id: -1, name: -1, surname: -1, forename: -1, email: -1, rank: -1, unit: -1, lineManager: -1, startDate: -1, status: -1,
		role: -1, staffType: -1, inPostSince: -1,
		units: [3]int{-1, -1, -1}, course: -1, completionDate: -1, completionStatus: -1,
		unitCache: make(map[[3]string]string), pathCache: make(map[string]string),
		leaverCache: make(map[string]statusWord), strCache: make(map[string]string), cellCache: make(map[string]CellKind)}
	maxIdx := 0
	for _, c := range p.columns {
		if c.Index > maxIdx {
			maxIdx = c.Index
		}
	}
	rp.cols = make([]Column, maxIdx+1)
	for _, c := range p.columns {
		rp.cols[c.Index] = c
		if c.Field == "" {
			continue
		}
		rp.has[c.Field] = true
		switch c.Field {
		case FieldID:
			rp.id = c.Index
		case FieldName:
			rp.name = c.Index
		case FieldSurname:
			rp.surname = c.Index
		case FieldForename:
			rp.forename = c.Index
		case FieldEmail:
			rp.email = c.Index
		case FieldRank:
			rp.rank = c.Index
		case FieldUnit:
			rp.unit = c.Index
		case FieldUnit1:
			rp.units[0] = c.Index
		case FieldUnit2:
			rp.units[1] = c.Index
		case FieldUnit3:
			rp.units[2] = c.Index
		case FieldLineManager:
			rp.lineManager = c.Index
		case FieldStartDate:
			rp.startDate = c.Index
		case FieldStatus:
			rp.status = c.Index
		case FieldRole:
			rp.role = c.Index
		case FieldStaffType:
			rp.staffType = c.Index
		case FieldInPostSince:
			rp.inPostSince = c.Index
		case FieldCourse:
			rp.course = c.Index
		case FieldCompletionDate:
			rp.completionDate = c.Index
		case FieldCompletionStatus:
			rp.completionStatus = c.Index
		case FieldCourseColumn:
			rp.courseCols = append(rp.courseCols, c)
		}
	}
	if rp.has[FieldSurname] || rp.has[FieldForename] {
		rp.has[FieldName] = true
	}
	if rp.has[FieldUnit1] || rp.has[FieldUnit2] || rp.has[FieldUnit3] {
		rp.has[FieldUnit] = true
	}
	if p.layout != LayoutLong {
		delete(rp.has, FieldCompletionDate)
		delete(rp.has, FieldCompletionStatus)
	}
	if p.layout == LayoutLong {
		// A completion export never changes who a person is: its post
		// columns are not read, so they cannot raise cell errors either.
		rp.role, rp.staffType, rp.inPostSince = -1, -1, -1
		delete(rp.has, FieldRole)
		delete(rp.has, FieldStaffType)
		delete(rp.has, FieldInPostSince)
	}
	return rp
}

// maxShownValue bounds the value a problem quotes.
const maxShownValue = 200

// shortValue cuts a value a problem quotes to maxShownValue bytes (on a
// character boundary), marking the cut with "…".
func shortValue(s string) string {
	if len(s) <= maxShownValue {
		return s
	}
	cut := maxShownValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func cell(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// problem records a cell error.
func (rp *rowParser) problem(sev Severity, row, col int, value, reason, officer string) {
	c := rp.cols[col]
	rp.problems = append(rp.problems, Problem{Severity: sev, Sheet: rp.sheet, Row: row, Column: c.Header, Letter: c.Letter,
		Value: shortValue(value), Reason: reason, OfficerID: officer})
}

// tooLong reports a cell longer than Excel allows, which is not read.
func (rp *rowParser) tooLong(row, col int, value string) {
	if col >= len(rp.cols) || rp.cols[col].Field == "" {
		return // a column Muster does not read
	}
	rp.problem(SeverityError, row, col, value, "This cell holds more text than Excel allows in a cell (32,767 characters), so it was not read.", "")
}

// shown is a cell's value as Excel shows it, for a problem: a date cell
// is read raw as its serial number (46293), which nobody recognises.
func (rp *rowParser) shown(raw string) string {
	if raw == "" || raw[0] < '0' || raw[0] > '9' {
		return raw
	}
	if n, ok := serialNumber(raw); ok {
		if d, err := serialDate(n, rp.date1904); err == nil {
			return d.UK()
		}
	}
	return raw
}

// rowKind says what a parsed row turned out to be.
type rowKind int

const (
	rowBlank rowKind = iota
	rowTotal
	rowRejected
	rowRecord
)

// parse converts one data row. It returns rowRecord with rec filled, or
// says why there is no record.
func (rp *rowParser) parse(row int, cells []string, rec *Record) rowKind {
	blank := true
	for _, c := range cells {
		if c != "" && clean(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return rowBlank
	}
	*rec = Record{Row: row, Has: rp.has}
	rawID := cell(cells, rp.id)
	rec.ID, rec.DisplayID = parseID(rawID)
	if rec.DisplayID == rp.cols[rp.id].Header {
		// The header repeated further down (exports paginate so): not an officer.
		return rowBlank
	}
	if rec.ID != "" && rec.ID[0] == 'T' && isTotalRow(cells[rp.id:]) {
		// "Total" written in the ID column itself.
		return rowTotal
	}
	if rec.ID == "" {
		if isTotalRow(cells) {
			return rowTotal
		}
		c := rp.cols[rp.id]
		rp.problems = append(rp.problems, Problem{Severity: SeverityError, Sheet: rp.sheet, Row: row, Column: c.Header, Letter: c.Letter,
			Reason: fmt.Sprintf("This row has no %s, so it was not imported.", strconv.Quote(c.Header)), RowRejected: true})
		return rowRejected
	}
	if rec.ID[0] == '#' && isExcelError(rec.DisplayID) {
		c := rp.cols[rp.id]
		rp.problems = append(rp.problems, Problem{Severity: SeverityError, Sheet: rp.sheet, Row: row, Column: c.Header, Letter: c.Letter,
			Value: rec.DisplayID, RowRejected: true,
			Reason: fmt.Sprintf("The %s cell shows an Excel error instead of an ID, so this row was not imported.", strconv.Quote(c.Header))})
		return rowRejected
	}
	rp.buf = rp.buf[:0]
	add := rp.add
	add(rec.ID)

	if rp.name >= 0 {
		rec.Name = clean(cell(cells, rp.name))
	} else if rp.surname >= 0 || rp.forename >= 0 {
		rec.Name = joinName(clean(cell(cells, rp.forename)), clean(cell(cells, rp.surname)))
	}
	add(rec.Name)
	if rp.email >= 0 {
		raw := cell(cells, rp.email)
		rec.Email, rec.EmailInvalid = normEmail(raw)
		rec.EmailInvalid = !rec.EmailInvalid
		if rec.EmailInvalid {
			rp.problem(SeverityWarning, row, rp.email, clean(raw),
				"This email address is not valid; the officer is imported but cannot be sent reminders.", rec.ID)
		}
		add(rec.Email)
	}
	if rp.rank >= 0 {
		rec.Rank = rp.intern(cell(cells, rp.rank))
		add(rec.Rank)
	}
	if rp.unit >= 0 {
		rec.Unit = rp.pathOf(cell(cells, rp.unit))
	} else if rp.units != [3]int{-1, -1, -1} {
		rec.Unit = rp.unitOf(cell(cells, rp.units[0]), cell(cells, rp.units[1]), cell(cells, rp.units[2]))
	}
	add(rec.Unit)
	if rp.lineManager >= 0 {
		lm := clean(cell(cells, rp.lineManager))
		switch {
		case strings.IndexByte(lm, '@') >= 0:
			lm = strings.ToLower(lm)
		case strings.IndexByte(lm, ' ') < 0:
			lm, _ = parseID(lm) // an ID: compared as IDs are
		}
		rec.LineManager = lm
		add(lm)
	}
	if rp.startDate >= 0 {
		raw := clean(cell(cells, rp.startDate))
		d, err := parseDate(raw, rp.date1904)
		if err == nil {
			err = plausible(d, training.Date{}) // a start date may lie ahead
		}
		if err != nil {
			rp.problem(SeverityError, row, rp.startDate, rp.shown(raw), "The start date was not imported: "+err.Error()+".", rec.ID)
			add(raw)
		} else {
			rec.StartDate = d
			rp.addDate(d)
		}
	}
	rp.parsePost(row, cells, rec)
	if rp.status >= 0 {
		raw := cell(cells, rp.status)
		leaver, known := rp.leaver(raw)
		switch {
		case !known:
			rec.StatusUnknown = true
			rp.problem(SeverityError, row, rp.status, clean(raw), "The status was not imported: Muster does not know this status, so the officer's status was left as it was (a new officer counts as serving); Active, Suspended or Career Break mean serving, Leaver, Left or Withdrawn mean the officer has left.", rec.ID)
			add("?" + clean(raw))
		case leaver:
			rec.Leaver = true
			add("leaver")
		default:
			add("active")
		}
	}
	switch rp.layout {
	case LayoutWide:
		rec.Courses = make([]CourseCell, len(rp.courseCols))
		for i, c := range rp.courseCols {
			raw := clean(cell(cells, c.Index))
			k, d, err := rp.courseCell(raw)
			if err != nil {
				rp.problem(SeverityError, row, c.Index, rp.shown(raw), "This completion was not recorded: "+err.Error()+".", rec.ID)
				add(raw)
			}
			rec.Courses[i] = CourseCell{CourseID: c.CourseID, Kind: k, Date: d}
			rp.buf = append(rp.buf, byte('0'+k))
			rp.addDate(d)
		}
	case LayoutLong:
		rp.parseLong(row, cells, rec)
	}
	rec.Hash = fnv64a(rp.buf)
	return rowRecord
}

// staffTypeWords is the list of staff-type wordings a cell error quotes.
var staffTypeWords = func() string {
	ws := training.StaffTypeWordings()
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = strconv.Quote(w)
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}()

// parsePost reads the person's role, staff type and in-post date. A
// staff type Muster does not know is a cell error: nothing is guessed.
func (rp *rowParser) parsePost(row int, cells []string, rec *Record) {
	if rp.role >= 0 {
		role := rp.intern(cell(cells, rp.role))
		if role != "" && strings.IndexFunc(role, unicode.IsLetter) < 0 {
			// An HR system's key for the post (SAP's 8-digit position),
			// which course audiences could never name.
			rp.problem(SeverityError, row, rp.role, role, "The role was not imported: it holds no words, only a code or number; export the job or post title instead of its key.", rec.ID)
			role = ""
		}
		rec.Role = role
		rp.add(role)
	}
	if rp.staffType >= 0 {
		raw := clean(cell(cells, rp.staffType))
		st, ok := training.ParseStaffType(raw)
		switch {
		case ok:
			rec.StaffType = st
			rp.add(string(st))
		case raw == "":
			rp.add("")
		default:
			rp.problem(SeverityError, row, rp.staffType, raw, "The staff type was not imported: Muster does not know \""+raw+
				"\", so the person's staff type was left as it was. It accepts "+staffTypeWords+".", rec.ID)
			rp.add("?" + raw)
		}
	}
	if rp.inPostSince >= 0 {
		raw := clean(cell(cells, rp.inPostSince))
		d, err := rp.postDate(raw)
		if err == nil {
			err = plausible(d, training.Date{}) // a move may be planned ahead
		}
		switch {
		case raw == "":
			rp.add("")
		case err != nil:
			rp.problem(SeverityError, row, rp.inPostSince, rp.shown(raw), "The in-post date was not imported: "+err.Error()+".", rec.ID)
			rp.add(raw)
		default:
			rec.InPostSince = d
			rp.addDate(d)
		}
	}
}

// postDate reads an in-post date: as any date, or, from a source that
// writes them, a Unix timestamp (9 or 10 digits: far beyond any date
// serial Excel writes), as the date in London.
func (rp *rowParser) postDate(raw string) (training.Date, error) {
	if rp.unixDates && (len(raw) == 9 || len(raw) == 10) {
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
			return training.DateOf(time.Unix(n, 0)), nil
		}
	}
	return parseDate(raw, rp.date1904)
}

// parseLong fills the completion of a long-layout row.
func (rp *rowParser) parseLong(row int, cells []string, rec *Record) {
	add := rp.add
	var m courseMatch
	if rp.course < 0 && rp.fixedCourse != "" {
		rec.CourseName = rp.cm.title(rp.fixedCourse)
		m.id = rp.fixedCourse
	} else {
		rec.CourseName = rp.intern(cell(cells, rp.course))
		add(rec.CourseName)
		if rec.CourseName == "" {
			return
		}
		m = rp.cm.match(rec.CourseName)
	}
	if len(m.ambiguous) > 0 {
		rec.CourseAmbiguous = true
		rp.problem(SeverityError, row, rp.course, rec.CourseName,
			"This completion was not recorded: the course name matches "+quoteList(m.ambiguous)+" equally.", rec.ID)
		add(clean(cell(cells, rp.completionStatus)))
		add(clean(cell(cells, rp.completionDate)))
		return
	}
	rec.CourseID = m.id
	done := true
	if rp.completionStatus >= 0 {
		st := rp.intern(cell(cells, rp.completionStatus))
		var known bool
		done, known = rp.vocab.doneWord(st)
		add(strings.ToLower(st))
		rec.Status = st
		if !known {
			rec.StatusUnknown = true
			if rec.CourseID != "" {
				rp.problem(SeverityError, row, rp.completionStatus, st, "This completion was not recorded: Muster does not know the status \""+st+"\"; Completed, Passed or Complete via RPL record a completion, In progress, Not started or Failed record nothing.", rec.ID)
			}
			return
		}
	}
	if rp.completionDate < 0 {
		rec.Completed = done && rp.completionStatus >= 0
		rec.DateUnknown = rec.Completed
		return
	}
	raw := clean(cell(cells, rp.completionDate))
	if raw == "" {
		// With a status column, "Completed" without a date is completed on
		// an unknown date; without one, a blank date records nothing.
		rec.Completed = done && rp.completionStatus >= 0
		rec.DateUnknown = rec.Completed
		return
	}
	d, err := parseDate(raw, rp.date1904)
	if err == nil && done {
		err = completionDate(d, rp.today)
	}
	if err != nil {
		add(raw)
		if done && rec.CourseID != "" {
			rp.problem(SeverityError, row, rp.completionDate, rp.shown(raw), "This completion was not recorded: "+err.Error()+".", rec.ID)
		}
		return
	}
	rp.addDate(d)
	rec.Date = d
	rec.Completed = done
}

// isTotalRow recognises a summary row at the foot of a roster: no ID and a
// cell that starts with the word Total(s).
func isTotalRow(cells []string) bool {
	for _, c := range cells {
		c = clean(c)
		if c == "" {
			continue
		}
		w := foldWord(firstWord(strings.TrimRight(c, ":")))
		return w == "total" || w == "totals" || w == "grandtotal"
	}
	return false
}

// joinName builds "Forename Surname" from split name columns.
func joinName(forename, surname string) string {
	switch {
	case forename == "":
		return surname
	case surname == "":
		return forename
	}
	return forename + " " + surname
}
