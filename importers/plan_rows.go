package importers

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/muster-police/muster/training"
)

// fieldSet is Record.Has as bits: a map per row costs far more memory than
// the row itself when 150,000 rows are held for planning.
type fieldSet uint32

var fieldBits = map[Field]fieldSet{
	FieldID: 1 << 0, FieldName: 1 << 1, FieldSurname: 1 << 2, FieldForename: 1 << 3,
	FieldEmail: 1 << 4, FieldRank: 1 << 5, FieldUnit: 1 << 6, FieldUnit1: 1 << 7,
	FieldUnit2: 1 << 8, FieldUnit3: 1 << 9, FieldLineManager: 1 << 10, FieldStartDate: 1 << 11,
	FieldStatus: 1 << 12, FieldCourse: 1 << 13, FieldCompletionDate: 1 << 14,
	FieldCompletionStatus: 1 << 15, FieldCourseColumn: 1 << 16,
}

func fieldSetOf(has map[Field]bool) fieldSet {
	var s fieldSet
	for f, ok := range has {
		if ok {
			s |= fieldBits[f]
		}
	}
	return s
}

// any reports whether the set holds at least one of fs.
func (s fieldSet) any(fs ...Field) bool {
	for _, f := range fs {
		if s&fieldBits[f] != 0 {
			return true
		}
	}
	return false
}

// row is a Record as the planner keeps it: Has folded into bits, the
// course cells copied (the reader may reuse its slice).
type row struct {
	Record
	has fieldSet
}

func compact(r Record) row {
	c := row{Record: r, has: fieldSetOf(r.Has)}
	c.Has = nil
	if len(r.Courses) > 0 {
		c.Courses = append([]CourseCell(nil), r.Courses...)
	}
	c.ID = training.NormalizeID(r.ID)
	return c
}

// isLong reports whether the row comes from a completion export.
func (r *row) isLong(layout Layout) bool {
	return layout == LayoutLong || (layout == "" && r.has.any(FieldCourse))
}

// longKey identifies "the same completion" in a completion export: one
// officer, one course, one date. Several courses (and several dates of one
// course) per officer are normal there.
func (r *row) longKey() string {
	course := r.CourseID
	if course == "" {
		course = "?" + strings.ToLower(training.CleanText(r.CourseName))
	}
	d := r.Date.String()
	if r.DateUnknown || d == "" {
		d = "-"
	}
	return r.ID + "\x00" + course + "\x00" + d
}

// dedupe removes repeated rows. Rows with identical content (same Hash)
// are one row and a warning; rows about the same thing that disagree are
// all rejected. For wide and people rosters "the same thing" is the
// officer ID; for completion exports it is officer + course + date, and
// rows disagree when one says completed and the other does not.
// It returns the rows kept, the problems found and the IDs seen in rows
// it rejected (they count as present in a full upload).
func dedupe(rows []row, layout Layout, sheet string) (kept []row, probs []Problem, rejectedIDs map[string]bool) {
	rejectedIDs = map[string]bool{}
	groups := make(map[string][]int, len(rows))
	order := make([]string, 0, len(rows))
	for i := range rows {
		if rows[i].ID == "" {
			continue
		}
		k := rows[i].ID
		if rows[i].isLong(layout) {
			k = rows[i].longKey()
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], i)
	}
	drop := make([]bool, len(rows))
	for _, k := range order {
		idx := groups[k]
		if len(idx) == 1 {
			continue
		}
		first := &rows[idx[0]]
		conflict := false
		for _, i := range idx[1:] {
			if first.isLong(layout) {
				conflict = conflict || rows[i].Completed != first.Completed
			} else {
				conflict = conflict || rows[i].Hash != first.Hash
			}
		}
		if conflict {
			nums := make([]int, len(idx))
			for j, i := range idx {
				nums[j] = rows[i].Row
			}
			what := "officer ID " + first.displayID()
			if first.isLong(layout) {
				what = "officer ID " + first.displayID() + ", course " + strconv.Quote(first.CourseName)
				if !first.Date.IsZero() {
					what += " and date " + first.Date.UK()
				}
			}
			reason := fmt.Sprintf("%s share %s but disagree, so none of them was imported; correct the file and import it again.", rowList(nums), what)
			for _, i := range idx {
				drop[i] = true
				rejectedIDs[rows[i].ID] = true
				probs = append(probs, Problem{Severity: SeverityError, Sheet: sheet, Row: rows[i].Row,
					Reason: reason, RowRejected: true, OfficerID: rows[i].ID})
			}
			continue
		}
		for _, i := range idx[1:] {
			drop[i] = true
			reason := fmt.Sprintf("Row %d repeats row %d (officer ID %s); it was imported once.", rows[i].Row, first.Row, first.displayID())
			if first.isLong(layout) && rows[i].Hash != first.Hash {
				reason = fmt.Sprintf("Row %d records the same completion as row %d (officer ID %s); it was imported once.", rows[i].Row, first.Row, first.displayID())
			}
			probs = append(probs, Problem{Severity: SeverityWarning, Sheet: sheet, Row: rows[i].Row,
				Reason: reason, OfficerID: rows[i].ID})
		}
	}
	kept = rows[:0] // in place: row i is written at an index <= i
	for i := range rows {
		if !drop[i] {
			kept = append(kept, rows[i])
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Row < probs[j].Row })
	return kept, probs, rejectedIDs
}

func (r *row) displayID() string {
	if r.DisplayID != "" {
		return r.DisplayID
	}
	return r.ID
}

// rowList writes "Rows 12 and 57" or "Rows 12, 57 and 80".
func rowList(nums []int) string {
	s := make([]string, len(nums))
	for i, n := range nums {
		s[i] = strconv.Itoa(n)
	}
	if len(s) == 1 {
		return "Row " + s[0]
	}
	return "Rows " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
