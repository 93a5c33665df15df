package importers

import (
	"fmt"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestPlanAccountsRowsAcrossChunks checks Report.Rows for a completion
// export longer than three of the planner's row chunks, which the planner
// lets go as it goes: every outcome appears in every chunk, including
// completions without a date, which are recorded only after the last row.
func TestPlanAccountsRowsAcrossChunks(t *testing.T) {
	n := 3*rowChunk + 37
	ds := storeWith()
	var recs []Record
	var want RowOutcomes
	inProgress := 0
	for i := range n {
		id, rowNum := fmt.Sprint(10000+i), i+2
		d := training.DateFrom(2026, time.Month(1+i%12), 1+i%28)
		switch i % 8 {
		case 0, 6: // recorded; 6: an identical repeat of row i-6
			if i%8 == 6 {
				r := recs[len(recs)-6]
				r.Row = rowNum
				recs = append(recs, r)
				want.Duplicates++
				continue
			}
			if i%16 == 0 {
				ds.Completions[id] = []training.Completion{{OfficerID: id, CourseID: cseID, Date: d}}
				want.AlreadyRecorded++
			} else {
				want.Recorded++
			}
			recs = append(recs, longRec(rowNum, id, cseID, d, true))
		case 1: // completed without a date: recorded after the last row
			r := longRec(rowNum, id, ticID, training.Date{}, true)
			r.DateUnknown = true
			recs = append(recs, hashed(r))
			want.Recorded++
		case 2, 3: // a status that records nothing, spelt two ways
			r := longRec(rowNum, id, cseID, d, false)
			r.Status = "In progress"
			if i%8 == 3 {
				r.Status = "in PROGRESS"
			}
			recs = append(recs, hashed(r))
			inProgress++
		case 4: // a course Muster does not track
			r := longRec(rowNum, id, "", d, true)
			r.CourseName = "Officer Safety Training"
			recs = append(recs, hashed(r))
			want.OtherCourses++
		case 5: // no status column, no date
			r := longRec(rowNum, id, ticID, training.Date{}, false)
			delete(r.Has, FieldCompletionStatus)
			recs = append(recs, hashed(r))
			want.NoDate++
		case 7: // a course name that matched two courses
			r := longRec(rowNum, id, "", d, true)
			r.CourseName, r.CourseAmbiguous = "Safety", true
			recs = append(recs, hashed(r))
			want.NotRecorded++
		}
	}
	in := func(p *PlanInput) { longLayout(p); p.Detection.Rows = n }
	ro := planOf(ds, recs, in).Report.Rows
	if len(ro.ByStatus) != 1 || ro.ByStatus[0] != (StatusCount{Status: "In progress", Rows: inProgress}) {
		t.Errorf("by status %+v, want %d rows of In progress", ro.ByStatus, inProgress)
	}
	want.Read, want.ByStatus = n, ro.ByStatus
	if fmt.Sprint(ro) != fmt.Sprint(want) {
		t.Errorf("rows\n got %+v\nwant %+v", ro, want)
	}
	if ro.Sum() != n {
		t.Errorf("the outcomes account for %d rows of %d", ro.Sum(), n)
	}
}
