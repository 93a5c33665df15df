package storagetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/muster-police/muster/training"
)

var rosterTests = []test{
	{"FreshStore", testFreshStore},
	{"ApplyChanges", testApplyChanges},
	{"ApplyChangesStaleRevision", testApplyStale},
	{"ApplyChangesSameFile", testApplySameFile},
	{"ApplyChangesInvalid", testApplyInvalid},
	{"CompletionDedupe", testCompletionDedupe},
	{"ExemptionReplace", testExemptionReplace},
	{"OfficerReplacedWhole", testOfficerReplaced},
	{"OfficerPostFields", testOfficerPostFields},
	{"OrphanCompletions", testOrphanCompletions},
	{"OfficerNotFound", testOfficerNotFound},
	{"DatasetIsACopy", testDatasetIsACopy},
	{"DatasetConsistent", testDatasetConsistent},
	{"Imports", testImports},
	{"PutImportReplaces", testPutImportReplaces},
	{"LargeApply", testLargeApply},
	{"DailySnapshots", testDailySnapshots},
}

func testFreshStore(t *testing.T, s training.Store) {
	check(t, s.Ping(ctx(t)))
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision", rev, int64(0))
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset", *ds, training.Dataset{
		Courses:     training.DefaultCourses(),
		Officers:    map[string]training.Officer{},
		Completions: map[string][]training.Completion{},
		Exemptions:  map[string][]training.Exemption{},
	})
	imps, err := s.Imports(ctx(t), 0)
	check(t, err)
	equal(t, "imports", len(imps), 0)
}

// sample is a change set touching every kind of roster record.
func sample(base int64, importID string) training.ChangeSet {
	x := training.Exemption{OfficerID: "2", CourseID: tic, From: date("2026-01-01"),
		Until: date("2026-12-31"), Reason: "long-term sick", Source: src(importID, 5)}
	leaver := officer("3", "North / Alpha / Team 2")
	leaver.Leaver, leaver.LeftOn, leaver.EmailInvalid = true, date("2026-10-01"), true
	return training.ChangeSet{
		BaseRevision: base,
		Import:       importRec(importID, 0),
		Officers:     []training.Officer{officer("1", "North / Alpha / Team 1"), officer("2", "North / Alpha / Team 1"), leaver},
		Completions: []training.Completion{
			completion("1", tic, "2025-05-01"),
			completion("1", cse, "2024-03-01"),
			{OfficerID: "2", CourseID: cse, Date: date("2026-01-02"), DateUnknown: true, Source: src(importID, 5)},
		},
		Exemptions: []training.Exemption{x},
	}
}

func testApplyChanges(t *testing.T, s training.Store) {
	cs := sample(0, "imp-1")
	rev, err := s.ApplyChanges(ctx(t), cs)
	check(t, err)
	equal(t, "new revision", rev, int64(1))
	got, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "Revision()", got, int64(1))

	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset revision", ds.Revision, int64(1))
	equal(t, "dataset courses", ds.Courses, training.DefaultCourses())
	equal(t, "officers", ds.Officers, map[string]training.Officer{"1": cs.Officers[0], "2": cs.Officers[1], "3": cs.Officers[2]})
	equal(t, "completions", ds.Completions, map[string][]training.Completion{
		"1": {cs.Completions[1], cs.Completions[0]}, // sorted by course
		"2": {cs.Completions[2]},
	})
	equal(t, "exemptions", ds.Exemptions, map[string][]training.Exemption{"2": cs.Exemptions})

	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "officer 1", rec, training.OfficerRecord{Officer: cs.Officers[0],
		Completions: []training.Completion{cs.Completions[1], cs.Completions[0]}, Exemptions: []training.Exemption{}})
	rec, err = s.Officer(ctx(t), "3")
	check(t, err)
	equal(t, "officer 3 (leaver, nothing recorded)", rec, training.OfficerRecord{Officer: cs.Officers[2],
		Completions: []training.Completion{}, Exemptions: []training.Exemption{}})

	imp, err := s.Import(ctx(t), "imp-1")
	check(t, err)
	equal(t, "import record", imp, cs.Import)
	imp, err = s.ImportByHash(ctx(t), cs.Import.FileHash)
	check(t, err)
	equal(t, "import by hash", imp, cs.Import)

	// The next change builds on the new revision.
	cs2 := training.ChangeSet{BaseRevision: rev, Import: importRec("imp-2", 1),
		Completions: []training.Completion{completion("3", cse, "2026-02-02")}}
	rev, err = s.ApplyChanges(ctx(t), cs2)
	check(t, err)
	equal(t, "second revision", rev, int64(2))
}

func testApplyStale(t *testing.T, s training.Store) {
	_, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	stale := training.ChangeSet{BaseRevision: 0, Import: importRec("imp-2", 1),
		Officers:    []training.Officer{officer("9", "South")},
		Completions: []training.Completion{completion("1", cse, "2026-06-01")}}
	for _, base := range []int64{0, 2, -1} {
		stale.BaseRevision = base
		_, err = s.ApplyChanges(ctx(t), stale)
		wantErr(t, fmt.Sprintf("apply against revision %d", base), err, training.ErrConflict)
	}
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision after refused applies", rev, int64(1))
	_, err = s.Officer(ctx(t), "9")
	wantErr(t, "officer of a refused change", err, training.ErrNotFound)
	_, err = s.Import(ctx(t), "imp-2")
	wantErr(t, "import of a refused change", err, training.ErrNotFound)
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "completions after refused change", len(rec.Completions), 2)
}

func testApplySameFile(t *testing.T, s training.Store) {
	first := sample(0, "imp-1")
	_, err := s.ApplyChanges(ctx(t), first)
	check(t, err)
	tests := []struct {
		name string
		kind training.ImportKind
		hash string
		want error
	}{
		{"partial import of the same file", training.ImportPartial, first.Import.FileHash, training.ErrConflict},
		{"full import of the same file", training.ImportFull, first.Import.FileHash, training.ErrConflict},
		{"another file", training.ImportPartial, "sha-other", nil},
		{"api change without a file", training.ImportAPI, "", nil},
	}
	for i, tc := range tests {
		rev, err := s.Revision(ctx(t))
		check(t, err)
		imp := importRec(fmt.Sprintf("imp-%d", i+2), i+1)
		imp.Kind, imp.FileHash = tc.kind, tc.hash
		_, err = s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: rev, Import: imp,
			Officers: []training.Officer{officer("7", "West")}})
		if tc.want == nil {
			check(t, err)
			continue
		}
		wantErr(t, tc.name, err, tc.want)
		after, err := s.Revision(ctx(t))
		check(t, err)
		equal(t, tc.name+": revision", after, rev)
	}
}

func testApplyInvalid(t *testing.T, s training.Store) {
	tests := []struct {
		name string
		cs   training.ChangeSet
	}{
		{"officer without ID", training.ChangeSet{Import: importRec("a", 0), Officers: []training.Officer{officer("1", "N"), {Name: "x"}}}},
		{"completion without course", training.ChangeSet{Import: importRec("b", 0), Completions: []training.Completion{{OfficerID: "1", Date: date("2026-01-01")}}}},
		{"exemption without officer", training.ChangeSet{Import: importRec("c", 0), Exemptions: []training.Exemption{{CourseID: cse}}}},
		{"no import ID", training.ChangeSet{Officers: []training.Officer{officer("1", "N")}}},
	}
	for _, tc := range tests {
		_, err := s.ApplyChanges(ctx(t), tc.cs)
		wantErr(t, tc.name, err, training.ErrInvalid)
	}
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "revision", ds.Revision, int64(0))
	equal(t, "officers", len(ds.Officers), 0)
}

func testCompletionDedupe(t *testing.T, s training.Store) {
	c1 := completion("1", cse, "2024-03-01")
	undated := c1
	undated.DateUnknown = true
	later := completion("1", cse, "2025-03-01")
	other := completion("1", tic, "2024-03-01")
	dup := c1
	dup.Source = src("imp-2", 99) // same completion reported by another file
	steps := [][]training.Completion{
		{c1, c1, undated},
		{dup, later, other, undated},
		{c1},
	}
	for i, comps := range steps {
		_, err := s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: int64(i),
			Import: importRec(fmt.Sprintf("imp-%d", i+1), i), Completions: comps})
		check(t, err)
	}
	want := []training.Completion{c1, undated, later, other} // the first report of each is kept
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset completions", ds.Completions["1"], want)
	check(t, applyOfficers(t, s, officer("1", "N")))
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "officer completions", rec.Completions, want)
}

// applyOfficers applies officers at the current revision.
func applyOfficers(t *testing.T, s training.Store, os ...training.Officer) error {
	rev, err := s.Revision(ctx(t))
	if err != nil {
		return err
	}
	imp := importRec(fmt.Sprintf("officers-%d", rev), int(rev))
	imp.Kind, imp.FileHash = training.ImportAPI, ""
	_, err = s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: rev, Import: imp, Officers: os})
	return err
}

func testExemptionReplace(t *testing.T, s training.Store) {
	a := training.Exemption{OfficerID: "1", CourseID: tic, From: date("2026-01-01"), Reason: "first", Source: src("imp-1", 2)}
	b := training.Exemption{OfficerID: "1", CourseID: cse, Until: date("2026-05-01"), Reason: "other course", Source: src("imp-1", 2)}
	a2 := a
	a2.Reason, a2.Until = "replaced", date("2026-03-31")
	a3 := a2
	a3.Reason = "last in the same change wins"
	_, err := s.ApplyChanges(ctx(t), training.ChangeSet{Import: importRec("imp-1", 0), Exemptions: []training.Exemption{a, b}})
	check(t, err)
	_, err = s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: 1, Import: importRec("imp-2", 1), Exemptions: []training.Exemption{a2, a3}})
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "exemptions", ds.Exemptions["1"], []training.Exemption{b, a3})
}

func testOfficerReplaced(t *testing.T, s training.Store) {
	o := officer("1", "North")
	check(t, applyOfficers(t, s, o))
	o2 := training.Officer{ID: "1", Name: "Renamed", Unit: "South / Beta", Leaver: true, LeftOn: date("2026-11-01")}
	check(t, applyOfficers(t, s, o2))
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "officer", rec.Officer, o2)
}

func testOrphanCompletions(t *testing.T, s training.Store) {
	c := completion("404", cse, "2026-01-10")
	_, err := s.ApplyChanges(ctx(t), training.ChangeSet{Import: importRec("imp-1", 0), Completions: []training.Completion{c}})
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "orphan completions", ds.Completions, map[string][]training.Completion{"404": {c}})
	_, err = s.Officer(ctx(t), "404")
	wantErr(t, "officer not on the roster", err, training.ErrNotFound)

	o := officer("404", "North")
	check(t, applyOfficers(t, s, o))
	rec, err := s.Officer(ctx(t), "404")
	check(t, err)
	equal(t, "completions once the officer arrives", rec.Completions, []training.Completion{c})
}

func testOfficerNotFound(t *testing.T, s training.Store) {
	check(t, applyOfficers(t, s, officer("1", "N")))
	for _, id := range []string{"2", "", "01"} {
		_, err := s.Officer(ctx(t), id)
		wantErr(t, fmt.Sprintf("Officer(%q)", id), err, training.ErrNotFound)
	}
}

func testDatasetIsACopy(t *testing.T, s training.Store) {
	_, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	ds.Officers["1"] = training.Officer{ID: "1", Name: "changed"}
	delete(ds.Officers, "2")
	ds.Completions["1"][0].CourseID = "changed"
	ds.Completions["1"] = append(ds.Completions["1"], completion("1", "x", "2020-01-01"))
	ds.Exemptions["2"][0].Reason = "changed"
	ds.Courses[0].Title = "changed"

	again, err := s.Dataset(ctx(t))
	check(t, err)
	cs := sample(0, "imp-1")
	equal(t, "officer 1", again.Officers["1"], cs.Officers[0])
	equal(t, "officers", len(again.Officers), 3)
	equal(t, "completions", again.Completions["1"], []training.Completion{cs.Completions[1], cs.Completions[0]})
	equal(t, "exemptions", again.Exemptions["2"], cs.Exemptions)
	equal(t, "courses", again.Courses, training.DefaultCourses())
}

// testDatasetConsistent reads while changes are applied: each change adds
// one officer and one completion, so a consistent read has as many of each
// as its revision.
func testDatasetConsistent(t *testing.T, s training.Store) {
	const changes = 20
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	wg.Go(func() {
		for i := range changes {
			id := fmt.Sprint(i + 1)
			imp := importRec("imp-"+id, i)
			_, err := s.ApplyChanges(ctx(t), training.ChangeSet{BaseRevision: int64(i), Import: imp,
				Officers:    []training.Officer{officer(id, "North")},
				Completions: []training.Completion{completion(id, cse, "2026-01-01")}})
			if err != nil {
				errs <- err
				return
			}
		}
	})
	for range changes {
		ds, err := s.Dataset(ctx(t))
		check(t, err)
		n := int(ds.Revision)
		if len(ds.Officers) != n || len(ds.Completions) != n {
			t.Fatalf("dataset at revision %d has %d officers and %d completion lists", n, len(ds.Officers), len(ds.Completions))
		}
	}
	wg.Wait()
	close(errs)
	check(t, <-errs)
}
