package importers

import (
	"reflect"
	"testing"
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
