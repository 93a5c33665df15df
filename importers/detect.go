package importers

// Header detection: which row is the header, what each column holds
// (detect_fields.go), which course a column means (detect_course.go), and
// the layout that follows.

import (
	"fmt"
	"strings"
)

// headerScanRows is how many rows from the top of a sheet may hold the header.
const headerScanRows = 30

// Bounds on the work of finding the header, whatever a file holds: a cell
// longer than maxHeaderBytes is no header (it is not looked at), and only
// the first maxHeaderColumns cells of a row are.
const (
	maxHeaderBytes   = 256
	maxHeaderColumns = 2048
)

// scanCells returns the cells of a row as the header finder may keep
// them: at most maxHeaderColumns, with cells too long to be a header
// left blank. cells is never modified (csv reuses its slice).
func scanCells(cells []string) []string {
	out := make([]string, min(len(cells), maxHeaderColumns))
	for i := range out {
		if len(cells[i]) <= maxHeaderBytes {
			out[i] = cells[i]
		}
	}
	return out
}

// notCompletionWords mark a course header that holds something other than
// the completion (an expiry or due date): such columns are ignored.
var notCompletionWords = map[string]bool{"expiry": true, "expires": true, "expiring": true, "due": true,
	"renewal": true, "booked": true, "booking": true, "until": true, "deadline": true}

// headerPlan is what a header row says about the columns below it.
type headerPlan struct {
	row     int // 1-based
	lastRow int // the header's last row: data starts below it
	below   int // non-blank rows seen below the header while scanning
	columns []Column
	ignored []string
	layout  Layout
	score   int
	hasID   bool
	// ambiguous is the first course header that matches two courses equally.
	ambiguous string
	// source is the recognised system's export (nil: none); mapping names
	// the saved mapping that was applied ("": none).
	source  *sourceProfile
	mapping *savedMapping
}

// detector maps header rows: people's mappings first (given for this
// import, then a saved mapping made for the same headers), then the layout
// of a recognised source, then the wordings of docs/ROSTERS.md.
type detector struct {
	cm      *courseMatcher
	user    *overrides
	saved   []savedMapping
	sources []*sourceProfile
}

// planHeader maps one candidate header row with the general wordings only.
func planHeader(cells []string, row int, cm *courseMatcher) headerPlan {
	return (&detector{cm: cm}).plan(cells, row)
}

// plan maps one candidate header row. It never fails: the caller decides
// from score/hasID/ambiguous whether the row is usable.
func (d *detector) plan(cells []string, row int) headerPlan {
	p := headerPlan{row: row}
	seen := make(map[Field]int) // field -> column index of its first column
	hasLevels := false
	type pending struct {
		col   Column
		field Field
		why   string
		fixed bool // chosen by a person or a source: no guessing
	}
	var mapped []pending
	var headers []string
	for _, raw := range cells {
		if h := clean(raw); h != "" {
			headers = append(headers, h)
		}
	}
	if sig := headerSignature(headers); sig != "" {
		for i := range d.saved {
			if d.saved[i].signature == sig {
				p.mapping = &d.saved[i]
				break
			}
		}
	}
	for _, src := range d.sources {
		if src.matches(cells, headers) {
			p.source = src
			break
		}
	}
	for i, raw := range cells {
		h := clean(raw)
		if h == "" {
			continue
		}
		col := Column{Index: i, Letter: columnLetter(i), Header: h}
		m := pending{col: col}
		layers := []*overrides{d.user}
		if p.mapping != nil {
			layers = append(layers, p.mapping.rules)
		}
		for _, o := range layers {
			if t, ok := o.lookup(h); ok {
				m.field, m.col.CourseID, m.why, m.fixed = t.field, t.course, o.why, true
				break
			}
		}
		if !m.fixed && p.source != nil {
			if t, why, ok := p.source.column(h); ok {
				m.field, m.col.CourseID, m.why, m.fixed = t.field, t.course, p.source.Name+": "+why, true
			}
		}
		if !m.fixed {
			m.field = fieldOf(h)
			if m.field == "" && p.source != nil {
				m.field = fuzzyField(h)
			}
			if m.field != "" {
				m.why = "a usual header for the " + fieldLabel(m.field)
			}
			if p.source != nil && !p.source.idOnly && (m.field == "" || !p.source.generic(m.field)) {
				// A recognised export's other columns are its detail (an
				// activity named like a course is not the course).
				m.field, m.why, m.fixed = FieldIgnore, p.source.Name+": a detail of this export, not used", true
			}
		}
		if m.field == FieldUnit1 || m.field == FieldUnit2 {
			hasLevels = true
		}
		mapped = append(mapped, m)
	}
	hasCourseName := false
	for _, m := range mapped {
		if m.field == FieldCourse {
			hasCourseName = true
		}
	}
	ignore := func(col Column, why string) {
		col.Field, col.Why = "", why
		p.ignored = append(p.ignored, col.Header)
		p.columns = append(p.columns, col)
	}
	for _, m := range mapped {
		col, f := m.col, m.field
		if m.fixed {
			switch {
			case f == FieldIgnore:
				ignore(col, m.why)
				continue
			case f == FieldCourseColumn:
				col.Field, col.Why = f, m.why
				p.columns = append(p.columns, col)
				p.score++
				p.layout = LayoutWide
				continue
			}
		}
		switch {
		case m.fixed:
		case f == FieldUnit3 && !hasLevels:
			// "Unit" or "Team" alone holds the whole path.
			f, m.why = FieldUnit, "a usual header for the unit; with no other unit levels it holds the whole path"
		case f == FieldStatus && hasCourseName && headerKey(col.Header) == "status" && seen[FieldCompletionStatus] == 0:
			f, m.why = FieldCompletionStatus, "in a completion export a bare \"Status\" is the course's status"
		case f == "" && hasCourseName && headerKey(col.Header) == "date":
			f, m.why = FieldCompletionDate, "in a completion export a bare \"Date\" is the completion date"
		}
		if f == "" && !hasCourseName && d.cm != nil {
			if notCompletion(col.Header) {
				ignore(col, "an expiry, due or booking date, not a completion")
				continue
			}
			r := d.cm.match(col.Header)
			switch {
			case len(r.ambiguous) > 0:
				if p.ambiguous == "" {
					p.ambiguous = fmt.Sprintf("Column %s (%q) matches the courses %s equally; rename the column so that it names one course.",
						col.Letter, col.Header, quoteList(r.ambiguous))
				}
				p.score++
				ignore(col, "matches the courses "+quoteList(r.ambiguous)+" equally")
				continue
			case r.id != "":
				col.Field, col.CourseID = FieldCourseColumn, r.id
				col.Why = fmt.Sprintf("the header names the course %q", d.cm.title(r.id))
				p.columns = append(p.columns, col)
				p.score++
				p.layout = LayoutWide
				continue
			}
		}
		if f == "" {
			if f = fuzzyField(col.Header); f != "" {
				m.why = "the header reads as the " + fieldLabel(f)
			}
		}
		if f == "" {
			ignore(col, "no field uses this header")
			continue
		}
		if first, dup := seen[f]; dup {
			ignore(col, fmt.Sprintf("a second %s column: column %s is used", fieldLabel(f), columnLetter(first-1)))
			continue
		}
		seen[f] = col.Index + 1
		col.Field, col.Why = f, m.why
		p.columns = append(p.columns, col)
		p.score += 2
		if m.fixed {
			p.score += 2 // a person's or a source's choice outweighs a guess
		}
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
	if p.source != nil && p.source.layout != "" {
		p.layout = p.source.layout
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
	cm *courseMatcher
	d  *detector // nil: the general wordings only
	// noID is the explanation of a recognised export's header row that
	// has no officer ID column.
	noID string
	// idHint is a header of the likeliest header row without an ID
	// column, for the refusal's example of choosing one ("": none).
	idHint      string
	idHintScore int
	best        headerPlan
	ok          bool
	// seen are the scanned rows (copied: csv reuses its slice), to look
	// below the chosen header for a second header row.
	seen []scannedRow
}

type scannedRow struct {
	n     int
	cells []string
}

func (h *headerFinder) detector() *detector {
	if h.d == nil {
		h.d = &detector{cm: h.cm}
	}
	return h.d
}

// add considers one row (1-based) as the header.
func (h *headerFinder) add(row int, cells []string) {
	cells = scanCells(cells)
	h.seen = append(h.seen, scannedRow{row, cells})
	if len(cells) == 0 {
		return
	}
	p := h.detector().plan(cells, row)
	if p.source != nil && !p.hasID && h.noID == "" {
		h.noID = p.source.noID
	}
	if !p.hasID && p.score > h.idHintScore {
		h.idHint, h.idHintScore = idCandidate(p.columns), p.score
	}
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
	defer func() {
		for _, r := range h.seen {
			if r.n > h.best.lastRow && !blankRow(r.cells) {
				h.best.below++
			}
		}
		h.seen = nil
	}()
	h.best.lastRow = h.best.row
	var top, below []string
	for i, r := range h.seen {
		if r.n == h.best.row && i+1 < len(h.seen) {
			top, below = r.cells, h.seen[i+1].cells
			h.best.lastRow = h.seen[i+1].n
			break
		}
	}
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
	p := h.detector().plan(merged, h.best.row)
	if p.hasID && p.score > h.best.score {
		p.lastRow = h.best.lastRow
		h.best = p
		return
	}
	h.best.lastRow = h.best.row
}

// better reports whether plan p beats q: a better header, or as good a
// header with more data under it (a "Summary" sheet that repeats the
// headers above no rows loses to the sheet holding the roster).
func (p headerPlan) better(q headerPlan) bool {
	return p.score > q.score || p.score == q.score && p.below > q.below
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if clean(c) != "" {
			return false
		}
	}
	return true
}

// detection builds the reported Detection from a chosen header plan.
func (p headerPlan) detection() *Detection {
	d := &Detection{HeaderRow: p.row, Layout: p.layout, Columns: p.columns, Ignored: p.ignored}
	if p.source != nil {
		d.Source, d.SourceID = p.source.Name, p.source.ID
	}
	if p.mapping != nil {
		d.Mapping = p.mapping.name
	}
	if d.Ignored == nil {
		d.Ignored = []string{}
	}
	return d
}

// idCandidate is the header a person most likely means as the ID in a
// header row without one: the first column no field uses whose words
// sound like a number or reference ("Emp Ref", "Badge No"), else the
// first column no field uses.
func idCandidate(cols []Column) string {
	first := ""
	for _, c := range cols {
		if c.Field != "" || c.CourseID != "" {
			continue
		}
		if first == "" {
			first = c.Header
		}
		for _, w := range words(c.Header) {
			switch w {
			case "id", "no", "number", "num", "ref", "reference", "code", "pers", "nr":
				return c.Header
			}
		}
	}
	return first
}

// knownHeaderExamples is used in the "no header found" message.
const knownHeaderExamples = `"Warrant No", "Employee ID", "Payroll No" or "Staff ID"`
