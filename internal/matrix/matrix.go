// Package matrix is the team matrix: the people of one unit × every
// course, each cell the status training.Evaluate decides, for a sergeant
// who asks "who can I deploy today?". The page (/matrix), its xlsx
// export and the API (GET /api/v1/matrix) all call Build, so the unit,
// the scope, the filter, the order and the bound are decided once.
package matrix

import (
	"sort"
	"strings"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// MaxPeople bounds one matrix: a unit with more people (in the viewer's
// scope) is refused with a message asking for a unit below it. 5,000
// people × a dozen courses is a page a browser still renders and a
// spreadsheet a manager can read; a whole force is neither.
const MaxPeople = 5000

// Sort is the order of the rows.
type Sort string

// The orders.
const (
	// SortOverdue puts the most days overdue first (then the most
	// courses overdue, then due soon, then name): the default.
	SortOverdue Sort = "overdue"
	// SortName orders by name, then ID.
	SortName Sort = "name"
	// SortUnit orders by unit path, then name.
	SortUnit Sort = "unit"
)

// Sorts lists the orders, the default first.
var Sorts = []Sort{SortOverdue, SortName, SortUnit}

// Request is what a viewer asked for, as the edge received it.
type Request struct {
	Unit   string // a unit path as typed; "" for everything the viewer may see
	AsOf   string // YYYY-MM-DD, or "" for today
	Status string // keep only people with at least one course in this status; "" for all
	Sort   string // one of Sorts; "" for SortOverdue
}

// Person is who a row is about: enough to name them and link to them.
type Person struct {
	ID        string `json:"id"`
	DisplayID string `json:"display_id,omitempty"`
	Name      string `json:"name"`
	Rank      string `json:"rank,omitempty"`
	Unit      string `json:"unit"`
}

// Cell is one person's standing on one course, as training.Evaluate
// decided it, with the dates that go with the status and the words
// training.Describe gives it (the one wording pages, emails and exports share).
type Cell struct {
	Course string          `json:"course"`
	Status training.Status `json:"status"`
	// Label and Detail are training.Describe's: "Overdue", "— was due 02/01/2026".
	Label  string `json:"label"`
	Detail string `json:"detail,omitempty"`
	// Class names the colour (the status, or "renew" inside the renewal window).
	Class string `json:"class"`
	// Due is when the course must be (re)done: overdue, due soon, outstanding.
	Due training.Date `json:"due,omitzero"`
	// Completed is the date of the completion that decided the status.
	Completed training.Date `json:"completed,omitzero"`
	// Expires is when that completion lapses (zero: never, or none).
	Expires training.Date `json:"expires,omitzero"`
	// ExemptUntil is the last day of the exemption covering the date
	// (zero: none, or open-ended).
	ExemptUntil training.Date `json:"exempt_until,omitzero"`
}

// CellOf is the cell for a status from training.Evaluate.
func CellOf(cs training.CourseStatus) Cell {
	d := training.Describe(cs)
	c := Cell{Course: cs.CourseID, Status: cs.Status, Label: d.Label, Detail: d.Detail, Class: d.Class, Due: cs.Due, Expires: cs.Expires}
	if cs.Completion != nil {
		c.Completed = cs.Completion.Date
	}
	if cs.Exemption != nil && cs.Status == training.StatusExempt {
		c.ExemptUntil = cs.Exemption.Until
	}
	return c
}

// DateText is what goes beside the label: Describe's detail ("— was due
// 02/01/2026", "until 03/03/2027") and, for a compliant cell, the date it
// was completed. The page and the xlsx print it.
func (c Cell) DateText() string {
	if c.Status != training.StatusCompliant || c.Completed.IsZero() {
		return c.Detail
	}
	if c.Detail == "" {
		return "completed " + c.Completed.UK()
	}
	return c.Detail + " (completed " + c.Completed.UK() + ")"
}

// Words is the whole cell in words: the label, then DateText.
func (c Cell) Words() string {
	if t := c.DateText(); t != "" {
		return c.Label + " " + t
	}
	return c.Label
}

// Row is one person and their cells, in the order of Matrix.Courses.
type Row struct {
	Person Person `json:"person"`
	Cells  []Cell `json:"cells"`
	// DaysOverdue is the most days any of their courses is overdue (0: none).
	DaysOverdue int `json:"days_overdue"`
	// Overdue and DueSoon count their courses in those statuses.
	Overdue int `json:"overdue"`
	DueSoon int `json:"due_soon"`
}

// Course is a column.
type Course struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Matrix is the answer: the columns, and one row per person who matches.
type Matrix struct {
	Unit   string          `json:"unit"`
	AsOf   training.Date   `json:"as_of"`
	Sort   Sort            `json:"sort"`
	Status training.Status `json:"status,omitempty"`
	// People is how many people are in the unit (within the viewer's
	// scope), before the status filter.
	People  int      `json:"people"`
	Courses []Course `json:"courses"`
	Rows    []Row    `json:"rows"`
}

// Build is the matrix for viewer v: the unit is checked as every report
// checks it (reports.For: a unit outside a manager's scope is forbidden,
// an unknown one not found), only people v may see are rows, leavers are
// left out, and a unit of more than MaxPeople is refused.
func Build(ds *training.Dataset, units reports.Units, v reports.Viewer, req Request, today training.Date) (*Matrix, error) {
	q, err := reports.For(ds, units, v, reports.Request{Unit: req.Unit, AsOf: req.AsOf}, today)
	if err != nil {
		return nil, err
	}
	m := &Matrix{Unit: q.Unit, AsOf: q.AsOf, Sort: SortOverdue}
	if s := strings.TrimSpace(req.Sort); s != "" {
		m.Sort = Sort(strings.ToLower(s))
		if !validSort(m.Sort) {
			return nil, training.FieldErrorf(training.KindInvalid, "sort", "sort must be overdue, name or unit, not %q", s)
		}
	}
	if s := strings.TrimSpace(req.Status); s != "" {
		st, ok := training.ParseStatus(s)
		if !ok && training.Status(s) == training.StatusNotRequired {
			st, ok = training.StatusNotRequired, true
		}
		if !ok {
			return nil, training.FieldErrorf(training.KindInvalid, "status", "%q is not a status", s)
		}
		m.Status = st
	}
	var people []training.Officer
	for _, o := range ds.Officers {
		if o.Active() && training.InUnit(o.Unit, q.Unit) && q.Scope.Allows(o) {
			people = append(people, o)
		}
	}
	m.People = len(people)
	if m.People > MaxPeople {
		return nil, training.FieldErrorf(training.KindInvalid, "unit",
			"%s has %d people; the matrix shows at most %d at a time: choose a unit below it", unitName(q.Unit), m.People, MaxPeople)
	}
	for _, c := range ds.Courses {
		m.Courses = append(m.Courses, Course{ID: c.ID, Title: c.Title})
	}
	for _, o := range people {
		r := Row{Person: Person{ID: o.ID, DisplayID: o.DisplayID, Name: o.Name, Rank: o.Rank, Unit: o.Unit}}
		match := m.Status == ""
		for _, c := range ds.Courses {
			cell := CellOf(training.Evaluate(o, c, ds.Completions[o.ID], ds.Exemptions[o.ID], q.AsOf))
			switch cell.Status {
			case training.StatusOverdue:
				r.Overdue++
				r.DaysOverdue = max(r.DaysOverdue, cell.Due.DaysUntil(q.AsOf))
			case training.StatusDueSoon:
				r.DueSoon++
			}
			match = match || cell.Status == m.Status
			r.Cells = append(r.Cells, cell)
		}
		if match {
			m.Rows = append(m.Rows, r)
		}
	}
	sort.Slice(m.Rows, less(m.Sort, m.Rows))
	return m, nil
}

func validSort(s Sort) bool {
	for _, v := range Sorts {
		if s == v {
			return true
		}
	}
	return false
}

func unitName(u string) string {
	if u == "" {
		return "What you may see"
	}
	return "Unit " + u
}

// less orders rows; every order ends on name then ID, so it is total.
func less(s Sort, rows []Row) func(i, j int) bool {
	byName := func(a, b Person) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	return func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch s {
		case SortOverdue:
			if a.DaysOverdue != b.DaysOverdue {
				return a.DaysOverdue > b.DaysOverdue
			}
			if a.Overdue != b.Overdue {
				return a.Overdue > b.Overdue
			}
			if a.DueSoon != b.DueSoon {
				return a.DueSoon > b.DueSoon
			}
		case SortUnit:
			if a.Person.Unit != b.Person.Unit {
				return a.Person.Unit < b.Person.Unit
			}
		}
		return byName(a.Person, b.Person) < 0
	}
}
