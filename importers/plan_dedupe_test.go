package importers

import (
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestPrepareDistinctIDsSameAsDedupe pins the shortcut of prepare (rows
// whose IDs are all distinct are not searched for duplicates): on files
// with and without repeated rows, early and late, agreeing and not, wide
// and completion exports, with rows without an ID, prepare keeps and drops
// the same rows with the same problems as the full search.
func TestPrepareDistinctIDsSameAsDedupe(t *testing.T) {
	many := func(n int, extra ...Record) []Record {
		var out []Record
		for i := range n {
			out = append(out, wideRec(i+2, idRange(n)[i]))
		}
		return append(out, extra...)
	}
	readerProbs := []Problem{{Severity: SeverityError, Row: 3, Reason: "bad date"},
		{Severity: SeverityError, Row: 9, Reason: "bad row", RowRejected: true, OfficerID: "1009"}}
	cases := []struct {
		name     string
		recs     []Record
		layout   Layout
		shortcut bool // prepare needs no search
	}{
		{"distinct", many(50), LayoutWide, true},
		{"no ID rows", many(20, wideRec(30, ""), wideRec(31, "")), LayoutWide, true},
		{"identical repeat late", many(50, wideRec(60, "1003")), LayoutWide, false},
		{"disagreeing repeat late", many(50, wideRec(60, "1003", named("Someone Else"))), LayoutWide, false},
		{"repeat spelt otherwise", many(5, wideRec(60, " 1003 ")), LayoutWide, false},
		{"completion export", []Record{longRec(2, "1", "c1", pday, true), longRec(3, "1", "c2", pday, true),
			longRec(4, "1", "c1", pday, false), longRec(5, "2", "c1", pday, true)}, LayoutLong, false},
		{"completion export, one row each", []Record{longRec(2, "1", "c1", pday, true), longRec(3, "2", "c2", pday, true)},
			LayoutLong, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			build := func() *rowStore {
				rows := &rowStore{}
				for _, r := range tc.recs {
					rows.add(compact(r))
				}
				return rows
			}
			rows := build()
			if got := rows.distinctIDs(); got != tc.shortcut {
				t.Fatalf("distinctIDs = %v, want %v", got, tc.shortcut)
			}
			det := Detection{Layout: tc.layout, Sheet: "S"}
			got := prepare(rows, det, readerProbs)
			ref := build()
			drop, dupProbs, rejected := dedupe(ref, tc.layout, "S")
			rejected["1009"] = true // the reader's rejected row
			if !reflect.DeepEqual(got.drop, drop) {
				t.Errorf("drop = %v, want %v", got.drop, drop)
			}
			if want := mergeProblems(readerProbs, dupProbs); !reflect.DeepEqual(got.problems, want) {
				t.Errorf("problems = %+v, want %+v", got.problems, want)
			}
			if !reflect.DeepEqual(got.rejected, rejected) {
				t.Errorf("rejected = %v, want %v", got.rejected, rejected)
			}
		})
	}
}

// TestPlanDistinctIDsSameAsSearched: the whole plan (report, outcome,
// changes) made with the shortcut equals the plan made from rows searched
// for duplicates, for files of distinct IDs over several chunks of rows:
// leavers of a full roster, refused by the leaver guard, strict mode with
// a problem in a late row, course cells (completions, exemptions, dates
// unknown) and moves, and a completion export.
func TestPlanDistinctIDsSameAsSearched(t *testing.T) {
	n := 2*rowChunk + 100
	ids := idRange(n)
	wide := func() []Record {
		out := make([]Record, n)
		for i, id := range ids {
			var opts []func(*Record)
			switch i % 7 {
			case 1:
				opts = append(opts, courseCell(cseID, CellCompleted, pLastYear))
			case 2:
				opts = append(opts, courseCell(ticID, CellExempt, training.Date{}))
			case 3:
				opts = append(opts, courseCell(cseID, CellCompletedNoDate, training.Date{}))
			case 4:
				opts = append(opts, inUnit("Frontline / South / Team 2"))
			case 5:
				opts = append(opts, leaves)
			}
			out[i] = wideRec(i+4, id, opts...)
		}
		return out
	}
	half := storeWith(append(idRange(n/2), "A1", "A2", "A3")...) // A1-A3: absent from the file
	mostlyGone := storeWith(append(idRange(n/10), idRange(n + 2000)[n:]...)...)
	long := func() []Record {
		out := make([]Record, 0, n)
		for i, id := range ids {
			out = append(out, longRec(i+2, id, cseID, pLastYear, i%3 != 0))
		}
		return out
	}
	late := Problem{Severity: SeverityError, Sheet: "Roster", Row: n, Column: "E", Letter: "E", Reason: "not a date"}
	cases := []struct {
		name string
		ds   *training.Dataset
		recs []Record
		opts []planOpt
	}{
		{"new roster", nil, wide(), nil},
		{"full roster with leavers", half, wide(), []planOpt{fullUpload}},
		{"refused by the leaver guard", mostlyGone, wide(), []planOpt{fullUpload}},
		{"confirmed past the guard", mostlyGone, wide(), []planOpt{fullUpload, confirmed}},
		{"strict, a late problem", half, wide(), []planOpt{strictMode, withProblems(late)}},
		{"a late problem", half, wide(), []planOpt{withProblems(late)}},
		{"completion export", half, long(), []planOpt{longLayout}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := PlanInput{Detection: Detection{Format: "xlsx", Sheet: "Roster", HeaderRow: 3, Layout: LayoutWide},
				Dataset: tc.ds, Today: pday, ImportID: "imp-test", FileName: "roster.xlsx", FileHash: "abc",
				By: "hr.user", At: time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)}
			for _, o := range tc.opts {
				o(&in)
			}
			build := func() *rowStore {
				rows := &rowStore{}
				for _, r := range tc.recs {
					rows.addRecord(r)
				}
				return rows
			}
			rows := build()
			if !rows.distinctIDs() {
				t.Fatal("the file's IDs are not taken as distinct")
			}
			got := planRows(rows, in)
			ref := build()
			drop, dupProbs, rejected := dedupe(ref, in.Detection.Layout, in.Detection.Sheet)
			for _, pr := range in.Problems {
				if pr.RowRejected && pr.OfficerID != "" {
					rejected[training.NormalizeID(pr.OfficerID)] = true
				}
			}
			want := planPrepared(&prepared{rows: ref, drop: drop, problems: mergeProblems(in.Problems, dupProbs),
				rejected: rejected, layout: in.Detection.Layout, sheet: in.Detection.Sheet}, in)
			if !reflect.DeepEqual(got.Report, want.Report) {
				t.Errorf("reports differ:\n got %+v\nwant %+v", got.Report.Summary, want.Report.Summary)
			}
			if !reflect.DeepEqual(got.ChangeSet(), want.ChangeSet()) {
				t.Errorf("change sets differ")
			}
			t.Logf("%s: %s", got.Report.Outcome, got.Report.Message)
		})
	}
}
