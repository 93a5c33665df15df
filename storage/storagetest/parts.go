package storagetest

import (
	"errors"
	"testing"

	"github.com/muster-police/muster/training"
)

// partsTests pin down RosterStore.ApplyChangeParts: parts are one change
// set, and a change that fails in any part changes nothing.
var partsTests = []test{
	{"ApplyChangeParts", testApplyParts},
	{"ApplyChangePartsFailMidway", testApplyPartsFailMidway},
	{"ApplyChangePartsInvalidPart", testApplyPartsInvalidPart},
	{"ApplyChangePartsConflict", testApplyPartsConflict},
}

// partsOf yields each of ps in turn.
func partsOf(ps ...training.ChangeSet) training.ChangeParts {
	return func(put func(training.ChangeSet) error) error {
		for _, p := range ps {
			if err := put(p); err != nil {
				return err
			}
		}
		return nil
	}
}

// testApplyParts applies sample split in parts: one officer's records in
// two parts, and an officer given twice (the later part wins).
func testApplyParts(t *testing.T, s training.Store) {
	cs := sample(0, "imp-1")
	early := officer("2", "South / Old unit")
	head := training.ChangeSet{BaseRevision: cs.BaseRevision, Import: cs.Import}
	rev, err := s.ApplyChangeParts(ctx(t), head, partsOf(
		training.ChangeSet{Officers: []training.Officer{cs.Officers[0], early}, Completions: cs.Completions[:1]},
		training.ChangeSet{},
		training.ChangeSet{Officers: cs.Officers[1:], Completions: cs.Completions[1:], Exemptions: cs.Exemptions},
	))
	check(t, err)
	equal(t, "new revision", rev, int64(1))
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset revision", ds.Revision, int64(1))
	equal(t, "officers", ds.Officers, map[string]training.Officer{"1": cs.Officers[0], "2": cs.Officers[1], "3": cs.Officers[2]})
	equal(t, "completions", ds.Completions, map[string][]training.Completion{
		"1": {cs.Completions[1], cs.Completions[0]}, // both parts', sorted by course
		"2": {cs.Completions[2]},
	})
	equal(t, "exemptions", ds.Exemptions, map[string][]training.Exemption{"2": cs.Exemptions})
	imp, err := s.Import(ctx(t), "imp-1")
	check(t, err)
	equal(t, "import record", imp, cs.Import)

	// A completion already held, in a part, is not added twice; head's
	// own records are written too.
	head2 := training.ChangeSet{BaseRevision: rev, Import: importRec("imp-2", 1),
		Officers: []training.Officer{officer("4", "North / Beta")}}
	rev, err = s.ApplyChangeParts(ctx(t), head2, partsOf(training.ChangeSet{Completions: []training.Completion{cs.Completions[0]}}))
	check(t, err)
	equal(t, "second revision", rev, int64(2))
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "officer 1's completions", len(rec.Completions), 2)
	rec, err = s.Officer(ctx(t), "4")
	check(t, err)
	equal(t, "head's officer", rec.Officer, head2.Officers[0])
}

// applyBase writes sample and returns the dataset after it, for tests
// that check a failed change left it as it was.
func applyBase(t *testing.T, s training.Store) *training.Dataset {
	t.Helper()
	_, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	return ds
}

// unchanged checks that the store still holds before and no record of
// the import importID.
func unchanged(t *testing.T, s training.Store, what string, before *training.Dataset, importID string) {
	t.Helper()
	after, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, what+": dataset", after, before)
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, what+": revision", rev, before.Revision)
	_, err = s.Import(ctx(t), importID)
	wantErr(t, what+": import record", err, training.ErrNotFound)
	_, err = s.ImportByHash(ctx(t), "sha-"+importID)
	wantErr(t, what+": import by hash", err, training.ErrNotFound)
}

// bigPart is a part large enough that a store writing parts as they come
// has written much before a later part fails.
func bigPart(n int) training.ChangeSet {
	var p training.ChangeSet
	for i := range n {
		id := "P" + string(rune('A'+i%26)) + itoa(i)
		p.Officers = append(p.Officers, officer(id, "East / Gamma"))
		p.Completions = append(p.Completions, completion(id, tic, "2026-03-04"))
	}
	p.Officers = append(p.Officers, officer("1", "Moved / Elsewhere"))
	p.Completions = append(p.Completions, completion("1", tic, "2026-06-06"))
	p.Exemptions = []training.Exemption{{OfficerID: "1", CourseID: cse, Reason: "r", Source: src("imp-2", 1)}}
	return p
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func testApplyPartsFailMidway(t *testing.T, s training.Store) {
	before := applyBase(t, s)
	broke := errors.New("the file could not be read further")
	head := training.ChangeSet{BaseRevision: before.Revision, Import: importRec("imp-2", 1),
		Officers: []training.Officer{officer("9", "West")}}
	_, err := s.ApplyChangeParts(ctx(t), head, func(put func(training.ChangeSet) error) error {
		if err := put(bigPart(2000)); err != nil {
			return err
		}
		return broke
	})
	if !errors.Is(err, broke) {
		t.Fatalf("error %v, want the parts' own error", err)
	}
	unchanged(t, s, "parts failed midway", before, "imp-2")
}

func testApplyPartsInvalidPart(t *testing.T, s training.Store) {
	before := applyBase(t, s)
	head := training.ChangeSet{BaseRevision: before.Revision, Import: importRec("imp-2", 1)}
	for _, tc := range []struct {
		name string
		bad  training.ChangeSet
	}{
		{"officer without ID", training.ChangeSet{Officers: []training.Officer{{Name: "x"}}}},
		{"completion without course", training.ChangeSet{Completions: []training.Completion{{OfficerID: "1", Date: date("2026-01-01")}}}},
		{"exemption without officer", training.ChangeSet{Exemptions: []training.Exemption{{CourseID: cse}}}},
	} {
		_, err := s.ApplyChangeParts(ctx(t), head, partsOf(bigPart(500), tc.bad))
		wantErr(t, tc.name, err, training.ErrInvalid)
		unchanged(t, s, tc.name, before, "imp-2")
	}
	_, err := s.ApplyChangeParts(ctx(t), training.ChangeSet{BaseRevision: before.Revision}, partsOf(bigPart(3)))
	wantErr(t, "no import ID", err, training.ErrInvalid)
	unchanged(t, s, "no import ID", before, "imp-2")
}

func testApplyPartsConflict(t *testing.T, s training.Store) {
	before := applyBase(t, s)
	stale := training.ChangeSet{BaseRevision: before.Revision - 1, Import: importRec("imp-2", 1)}
	_, err := s.ApplyChangeParts(ctx(t), stale, partsOf(bigPart(10)))
	wantErr(t, "stale revision", err, training.ErrConflict)
	unchanged(t, s, "stale revision", before, "imp-2")

	again := training.ChangeSet{BaseRevision: before.Revision, Import: importRec("imp-2", 1)}
	again.Import.FileHash = "sha-imp-1" // the file of the base change, applied already
	_, err = s.ApplyChangeParts(ctx(t), again, partsOf(bigPart(10)))
	wantErr(t, "same file", err, training.ErrConflict)
	unchanged(t, s, "same file", before, "imp-2")
}
