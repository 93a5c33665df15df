package importers

import (
	"sort"
	"strings"
)

// rowFate is what a data row comes to when it records nothing new: kept
// per row (one byte) while the planner runs, so that a row's full record
// can go as soon as it is planned and Report.Rows is still counted row by
// row afterwards (a row's own cells may record something only after the
// last row is read: completions reported without a date).
type rowFate uint8

const (
	fateDuplicate rowFate = iota + 1
	fateNotice
	fateBlank
	fateAlreadyRecorded
	fateNotRecorded
	fateOtherCourse
	fateNoDate
	fateStatus // and above: fateStatus + the index of its status in rowAccount.statuses
)

// rowAccount remembers each row's fate for planner.account.
type rowAccount struct {
	fate []rowFate
	// dropRows are the row numbers of dropped rows, in order: a dropped
	// row is a duplicate unless a problem rejected it.
	dropRows []int
	// statuses are the completion statuses rows carried, as written.
	statuses []string
	// byStatus holds status indexes beyond what a byte holds.
	byStatus map[int]int
}

func newRowAccount(n int) *rowAccount {
	return &rowAccount{fate: make([]rowFate, n)}
}

// note decides row i's fate before the row is planned.
func (a *rowAccount) note(i int, r *row, pp *prepared, notice bool) {
	switch {
	case pp.drop[i]:
		a.fate[i] = fateDuplicate
		a.dropRows = append(a.dropRows, r.Row)
	case notice:
		a.fate[i] = fateNotice
	case !r.isLong(pp.layout) && completionOnly(r) && !anyCourseCell(r):
		a.fate[i] = fateBlank
	case !r.isLong(pp.layout):
		a.fate[i] = fateAlreadyRecorded
	case r.CourseAmbiguous || r.StatusUnknown:
		a.fate[i] = fateNotRecorded
	case r.CourseID == "":
		a.fate[i] = fateOtherCourse
	case !r.Completed && r.has.any(FieldCompletionStatus):
		j := 0
		for j < len(a.statuses) && a.statuses[j] != r.Status {
			j++
		}
		if j == len(a.statuses) {
			a.statuses = append(a.statuses, r.Status)
		}
		if j < 255-int(fateStatus) {
			a.fate[i] = fateStatus + rowFate(j)
		} else {
			if a.byStatus == nil {
				a.byStatus = map[int]int{}
			}
			a.fate[i], a.byStatus[i] = 255, j
		}
	case !r.Completed && r.Date.IsZero():
		a.fate[i] = fateNoDate
	case !r.Completed || (r.Date.IsZero() && !r.DateUnknown):
		a.fate[i] = fateNotRecorded // the completion date is in error
	default:
		a.fate[i] = fateAlreadyRecorded
	}
}

// account sorts every data row into exactly one outcome (Report.Rows):
// the rows read equal the sum of the outcomes.
func (p *planner) account(a *rowAccount) {
	ro := &p.rep.Rows
	ro.Read = p.in.Detection.Rows
	ro.Rejected = p.rep.Summary.RowsRejected
	rejected := map[int]bool{}
	for _, pr := range p.rep.Problems {
		if pr.RowRejected {
			rejected[pr.Row] = true
		}
	}
	for _, row := range a.dropRows {
		if !rejected[row] {
			ro.Duplicates++
		}
	}
	status := map[string]int{}
	spelling := map[string]string{}
	for i, f := range a.fate {
		switch {
		case f == fateDuplicate:
		case f == fateNotice:
			status[noticeKey]++
			spelling[noticeKey] = p.in.Detection.NoticeLabel
		case p.recorded[i]:
			ro.Recorded++
		case f == fateBlank:
			status[""]++
			spelling[""] = "(blank)"
		case f == fateAlreadyRecorded:
			ro.AlreadyRecorded++
		case f == fateNotRecorded:
			ro.NotRecorded++
		case f == fateOtherCourse:
			ro.OtherCourses++
		case f == fateNoDate:
			ro.NoDate++
		default:
			j := int(f - fateStatus)
			if f == 255 {
				j = a.byStatus[i]
			}
			st := a.statuses[j]
			k := strings.ToLower(st)
			if _, ok := spelling[k]; !ok {
				spelling[k] = st
				if k == "" {
					spelling[k] = "(blank)"
				}
			}
			status[k]++
		}
	}
	for k, n := range status {
		ro.ByStatus = append(ro.ByStatus, StatusCount{Status: spelling[k], Rows: n})
	}
	sort.Slice(ro.ByStatus, func(i, j int) bool {
		a, b := ro.ByStatus[i], ro.ByStatus[j]
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		return a.Status < b.Status
	})
}
