package storagetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/muster-police/muster/training"
)

func testImports(t *testing.T, s training.Store) {
	applied := sample(0, "imp-b")
	applied.Import.At = at(20)
	_, err := s.ApplyChanges(ctx(t), applied)
	check(t, err)
	refused := importRec("imp-c", 30)
	refused.Outcome, refused.FileHash = training.OutcomeRefused, "sha-refused"
	failed := importRec("imp-a", 10)
	failed.Outcome, failed.Report = training.OutcomeFailed, nil
	for _, r := range []training.ImportRecord{refused, failed} {
		check(t, s.PutImport(ctx(t), r))
	}
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision after PutImport", rev, int64(1))

	tests := []struct {
		limit int
		want  []training.ImportRecord
	}{
		{0, []training.ImportRecord{refused, applied.Import, failed}},
		{-1, []training.ImportRecord{refused, applied.Import, failed}},
		{2, []training.ImportRecord{refused, applied.Import}},
		{5, []training.ImportRecord{refused, applied.Import, failed}},
	}
	for _, tc := range tests {
		got, err := s.Imports(ctx(t), tc.limit)
		check(t, err)
		equal(t, fmt.Sprintf("Imports(%d)", tc.limit), got, tc.want)
	}
	got, err := s.Import(ctx(t), "imp-a")
	check(t, err)
	equal(t, "Import(imp-a)", got, failed)
	_, err = s.Import(ctx(t), "imp-z")
	wantErr(t, "Import(missing)", err, training.ErrNotFound)
	got, err = s.ImportByHash(ctx(t), applied.Import.FileHash)
	check(t, err)
	equal(t, "ImportByHash(applied)", got, applied.Import)
	_, err = s.ImportByHash(ctx(t), "sha-refused")
	wantErr(t, "ImportByHash of a refused import", err, training.ErrNotFound)
	_, err = s.ImportByHash(ctx(t), "")
	wantErr(t, "ImportByHash(\"\")", err, training.ErrNotFound)

	// A refused file can be applied later.
	refused.ID, refused.Outcome = "imp-d", training.OutcomeApplied
	_, err = s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: 1, Import: refused})
	check(t, err)
}

func testPutImportReplaces(t *testing.T, s training.Store) {
	r := importRec("imp-1", 5)
	r.Outcome = training.OutcomeNoChange
	check(t, s.PutImport(ctx(t), r))
	r.At, r.Outcome = at(6), training.OutcomeFailed
	check(t, s.PutImport(ctx(t), r))
	got, err := s.Imports(ctx(t), 0)
	check(t, err)
	equal(t, "imports", got, []training.ImportRecord{r})
}

func testLargeApply(t *testing.T, s training.Store) {
	const n = 20000
	cs := training.ChangeSet{Import: importRec("big", 0)}
	for i := range n {
		id := fmt.Sprint(100000 + i)
		o := officer(id, fmt.Sprintf("Force / Area %d / Team %d", i%7, i%113))
		o.Source.Row = i + 4
		cs.Officers = append(cs.Officers, o)
		c := completion(id, cse, "2025-01-01")
		c.Date = c.Date.AddDays(i % 300)
		cs.Completions = append(cs.Completions, c)
		if i%10 == 0 {
			cs.Completions = append(cs.Completions, completion(id, tic, "2024-06-30"))
		}
		if i%50 == 0 {
			cs.Exemptions = append(cs.Exemptions, training.Exemption{OfficerID: id, CourseID: tic, Reason: "career break"})
		}
	}
	rev, err := s.ApplyChanges(ctx(t), cs)
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "revision", ds.Revision, rev)
	equal(t, "officers", len(ds.Officers), n)
	equal(t, "officers with completions", len(ds.Completions), n)
	equal(t, "officers with exemptions", len(ds.Exemptions), n/50)
	total := 0
	for _, cs := range ds.Completions {
		total += len(cs)
	}
	equal(t, "completions", total, len(cs.Completions))
	for _, i := range []int{0, 1, 4999, n - 1} {
		o := cs.Officers[i]
		equal(t, "officer "+o.ID, ds.Officers[o.ID], o)
		var want []training.Completion
		for _, c := range cs.Completions {
			if c.OfficerID == o.ID {
				want = append(want, c)
			}
		}
		equal(t, "completions of "+o.ID, ds.Completions[o.ID], want)
	}
}

func testDailySnapshots(t *testing.T, s training.Store) {
	snap := func(d string, compliant int) training.DailySnapshot {
		return training.DailySnapshot{Date: date(d), Units: map[string]map[string]training.Counts{
			"":      {cse: {Required: 10, Compliant: compliant, Overdue: 1, DueSoon: 2, Outstanding: 3, Exempt: 1}},
			"North": {tic: {Required: 4, Compliant: 2}},
		}}
	}
	for _, d := range []string{"2026-11-03", "2026-11-01", "2026-10-31", "2026-11-02", "2026-12-01"} {
		check(t, s.PutDailySnapshot(ctx(t), snap(d, 1)))
	}
	check(t, s.PutDailySnapshot(ctx(t), snap("2026-11-02", 7))) // replaces
	tests := []struct {
		from, to string
		want     []training.DailySnapshot
	}{
		{"2026-11-01", "2026-11-03", []training.DailySnapshot{snap("2026-11-01", 1), snap("2026-11-02", 7), snap("2026-11-03", 1)}},
		{"2026-11-02", "2026-11-02", []training.DailySnapshot{snap("2026-11-02", 7)}},
		{"2026-01-01", "2026-10-31", []training.DailySnapshot{snap("2026-10-31", 1)}},
		{"2026-11-04", "2026-11-30", []training.DailySnapshot{}},
		{"2026-11-03", "2026-11-01", []training.DailySnapshot{}},
	}
	for _, tc := range tests {
		got, err := s.DailySnapshots(ctx(t), date(tc.from), date(tc.to))
		check(t, err)
		equal(t, "snapshots "+tc.from+".."+tc.to, got, tc.want)
	}
	all, err := s.DailySnapshots(ctx(t), date("2000-01-01"), date("2100-01-01"))
	check(t, err)
	var days []string
	for _, s := range all {
		days = append(days, s.Date.String())
	}
	if !slices.IsSorted(days) || len(days) != 5 {
		t.Fatalf("all snapshots: %v", days)
	}
}
