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
	FieldCompletionStatus: 1 << 15, FieldCourseColumn: 1 << 16, FieldRole: 1 << 17, FieldStaffType: 1 << 18,
	FieldInPostSince: 1 << 19,
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

func compact(r Record) row { return compactWith(r, fieldSetOf(r.Has)) }

// compactWith is compact with r.Has already folded into has.
func compactWith(r Record, has fieldSet) row {
	c := row{Record: r, has: has}
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

// rowChunk is how many rows (or planned records) one chunk holds: they
// are kept in fixed chunks so that collecting 150,000 of them never copies
// them all into a bigger slice (as append's doubling would), and so that
// each chunk can be let go once it is used.
const rowChunk = 4096

// chunked is a list kept in chunks of rowChunk.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

func (s *chunked[T]) add(v T) {
	if len(s.chunks) == 0 || len(s.chunks[len(s.chunks)-1]) == rowChunk {
		s.chunks = append(s.chunks, make([]T, 0, rowChunk))
	}
	last := &s.chunks[len(s.chunks)-1]
	*last = append(*last, v)
	s.n++
}

func (s *chunked[T]) len() int { return s.n }

// release lets chunk k go (all of them when k < 0): a planner that has
// read a chunk of rows, or a store that has taken a chunk of records, is
// done with it.
func (s *chunked[T]) release(k int) {
	if k < 0 {
		clear(s.chunks)
		return
	}
	s.chunks[k] = nil
}

func (s *chunked[T]) at(i int) *T { return &s.chunks[i/rowChunk][i%rowChunk] }

// all returns the list as one slice (nil when empty).
func (s *chunked[T]) all() []T {
	var out []T
	for _, c := range s.chunks {
		out = append(out, c...)
	}
	return out
}

// dedupe finds repeated rows. Rows with identical content (same Hash)
// are one row and a warning; rows about the same thing that disagree are
// all rejected. For wide and people rosters "the same thing" is the
// officer ID; for completion exports it is officer + course + date, and
// rows disagree when one says completed and the other does not.
// It returns which rows to drop, the problems found and the IDs seen in
// rows it rejected (they count as present in a full upload). Rows without
// an ID are dropped silently: the reader reported them.
func dedupe(rows *rowStore, layout Layout, sheet string) (drop []bool, probs []Problem, rejectedIDs map[string]bool) {
	rejectedIDs = map[string]bool{}
	drop = make([]bool, rows.len())
	first := make(map[string]int32, rows.len())
	var dups map[int32][]int32 // first index -> later indexes, only for repeated keys
	for i := 0; i < rows.len(); i++ {
		r := rows.at(i)
		if r.ID == "" {
			drop[i] = true
			continue
		}
		k := r.ID
		if r.isLong(layout) {
			k = r.longKey()
		}
		f, ok := first[k]
		if !ok {
			first[k] = int32(i)
			continue
		}
		if dups == nil {
			dups = map[int32][]int32{}
		}
		dups[f] = append(dups[f], int32(i))
	}
	firsts := make([]int32, 0, len(dups))
	for f := range dups {
		firsts = append(firsts, f)
	}
	sort.Slice(firsts, func(i, j int) bool { return firsts[i] < firsts[j] })
	for _, f := range firsts {
		idx := append([]int32{f}, dups[f]...)
		head := rows.at(int(f))
		conflict := false
		for _, i := range idx[1:] {
			if head.isLong(layout) {
				conflict = conflict || rows.at(int(i)).Completed != head.Completed
			} else {
				conflict = conflict || rows.at(int(i)).Hash != head.Hash
			}
		}
		if conflict {
			nums := make([]int, len(idx))
			for j, i := range idx {
				nums[j] = rows.at(int(i)).Row
			}
			what := "officer ID " + head.displayID()
			if head.isLong(layout) {
				what += ", course " + strconv.Quote(head.CourseName)
				if !head.Date.IsZero() {
					what += " and date " + head.Date.UK()
				}
			}
			reason := fmt.Sprintf("%s share %s but disagree, so none of them was imported; correct the file and import it again.", rowList(nums), what)
			for _, i := range idx {
				r := rows.at(int(i))
				drop[i] = true
				rejectedIDs[r.ID] = true
				probs = append(probs, Problem{Severity: SeverityError, Sheet: sheet, Row: r.Row,
					Reason: reason, RowRejected: true, OfficerID: r.ID})
			}
			continue
		}
		for _, i := range idx[1:] {
			r := rows.at(int(i))
			drop[i] = true
			reason := fmt.Sprintf("Row %d repeats row %d (officer ID %s); it was imported once.", r.Row, head.Row, head.displayID())
			if head.isLong(layout) && r.Hash != head.Hash {
				reason = fmt.Sprintf("Row %d records the same completion as row %d (officer ID %s); it was imported once.", r.Row, head.Row, head.displayID())
			}
			probs = append(probs, Problem{Severity: SeverityWarning, Sheet: sheet, Row: r.Row,
				Reason: reason, OfficerID: r.ID})
		}
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Row < probs[j].Row })
	return drop, probs, rejectedIDs
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
