package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/muster-police/muster/training"
)

var registerTests = []test{
	{"WithdrawImport", testWithdrawImport},
	{"WithdrawImportRefused", testWithdrawImportRefused},
	{"WithdrawImportConcurrent", testWithdrawImportConcurrent},
	{"RegisterTakenOver", testRegisterTakenOver},
	{"WithdrawHandsOver", testWithdrawHandsOver},
}

// testWithdrawHandsOver: withdrawing one of two registers of a session
// writes the completion back under the standing one's source, in the same
// write; a hand-over of a completion not taken back is refused.
func testWithdrawHandsOver(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	first := register(base, "reg-1", completion("2", tic, "2026-11-20"))
	rev, err := s.ApplyChanges(ctx(t), first)
	check(t, err)
	second := register(rev, "reg-2", completion("2", tic, "2026-11-20"))
	_, err = s.ApplyChanges(ctx(t), second)
	check(t, err)
	rec := first.Import
	rec.Outcome = training.OutcomeWithdrawn
	bad := training.Withdrawal{Record: rec, Removed: first.Completions, HandedOver: []training.Completion{second.Completions[0]}}
	bad.HandedOver[0].OfficerID = "3"
	if _, err := s.WithdrawImport(ctx(t), bad); !errors.Is(err, training.ErrInvalid) {
		t.Fatalf("a hand-over of a completion not taken back: %v", err)
	}
	_, err = s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: first.Completions, HandedOver: second.Completions})
	check(t, err)
	o, err := s.Officer(ctx(t), "2")
	check(t, err)
	day := completion("2", tic, "2026-11-20").Date
	var srcs []string
	for _, c := range o.Completions {
		if c.CourseID == tic && c.Date == day {
			srcs = append(srcs, c.Source.ImportID)
		}
	}
	equal(t, "officer 2's TIC of the session, by source", fmt.Sprint(srcs), "[reg-2]")
}

// testRegisterTakenOver: a post, then a file, reporting a completion a
// register holds take it over (training.TakesOver), and the change feed
// carries the takeover; withdrawing the register then keeps it, and
// removes what only the register recorded.
func testRegisterTakenOver(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	reg := register(base, "reg-1", completion("1", tic, "2026-11-20"), completion("2", tic, "2026-11-20"))
	rev, err := s.ApplyChanges(ctx(t), reg)
	check(t, err)
	post := apiBatch("api-1", 1, completion("1", tic, "2026-11-20"))
	next, err := s.AddCompletions(ctx(t), post)
	check(t, err)
	if next == rev {
		t.Fatal("a post taking over a register's completion did not change the revision")
	}
	o, err := s.Officer(ctx(t), "1")
	check(t, err)
	var src string
	day := completion("1", tic, "2026-11-20").Date
	for _, c := range o.Completions {
		if c.CourseID == tic && c.Date == day {
			src = c.Source.ImportID
		}
	}
	equal(t, "source of officer 1's TIC after the post", src, "api-1")
	rec := reg.Import
	rec.Outcome = training.OutcomeWithdrawn
	_, err = s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: reg.Completions})
	check(t, err)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	count := func(id string) (n int) {
		for _, c := range ds.Completions[id] {
			if c.CourseID == tic && c.Date == day {
				n++
			}
		}
		return n
	}
	equal(t, "officer 1's TIC after the withdrawal (the post's)", count("1"), 1)
	equal(t, "officer 2's TIC after the withdrawal (the register's only)", count("2"), 0)
}

// testWithdrawImportConcurrent: withdrawals of one register at once
// (two replicas, a double click) take it back once: one succeeds, the
// others are conflicts, and the revision moves once.
func testWithdrawImportConcurrent(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	reg := register(base, "reg-1", completion("1", tic, "2026-11-20"), completion("2", tic, "2026-11-20"))
	rev, err := s.ApplyChanges(ctx(t), reg)
	check(t, err)
	rec := reg.Import
	rec.Outcome = training.OutcomeWithdrawn
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: reg.Completions})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, training.ErrConflict):
			t.Errorf("a concurrent withdrawal: %v", err)
		}
	}
	equal(t, "withdrawals that succeeded", ok, 1)
	now, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision", now, rev+1)
}

// register is a register's change set: its completions (Source.ImportID
// = id) under an import log entry of kind register.
func register(base int64, id string, cs ...training.Completion) training.ChangeSet {
	for i := range cs {
		cs[i].Source = training.Source{ImportID: id, File: "Room 4", By: "trainer", At: at(30)}
	}
	return training.ChangeSet{BaseRevision: base, Completions: cs, Import: training.ImportRecord{
		ID: id, Kind: training.ImportRegister, FileName: "Room 4", By: "trainer", At: at(30), Outcome: training.OutcomeApplied,
		Summary: training.ImportSummary{Completions: len(cs)}, Report: []byte(`{"id":"` + id + `"}`)}}
}

// testWithdrawImport: withdrawing a register removes exactly the
// completions it added — not the same completion an earlier import
// recorded, not another source's completion of the same person and
// course — replaces its entry, logs the removal, and leaves the
// completions as they were before it.
func testWithdrawImport(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	before, err := s.Dataset(ctx(t))
	check(t, err)
	// Officer 1's cse of 2024-03-01 is imp-1's: the register does not add it again.
	reg := register(base, "reg-1", completion("1", tic, "2026-11-20"), completion("1", cse, "2024-03-01"), completion("2", tic, "2026-11-20"))
	_, err = s.ApplyChanges(ctx(t), reg)
	check(t, err)
	// A later post of another date for the same person and course stays.
	post := apiBatch("api-1", 1, completion("2", tic, "2026-11-21"))
	rev, err := s.AddCompletions(ctx(t), post)
	check(t, err)

	rec := reg.Import
	rec.Outcome, rec.Report = training.OutcomeWithdrawn, []byte(`{"id":"reg-1","withdrawn":true}`)
	w := training.Withdrawal{Record: rec, Removed: reg.Completions}
	rev2, err := s.WithdrawImport(ctx(t), w)
	check(t, err)
	equal(t, "revision after the withdrawal", rev2, rev+1)

	got, err := s.Import(ctx(t), "reg-1")
	check(t, err)
	equal(t, "the entry is replaced", got, rec)
	o1, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "officer 1 as before the register", o1.Completions, before.Completions["1"])
	o2, err := s.Officer(ctx(t), "2")
	check(t, err)
	want2 := append([]training.Completion{}, before.Completions["2"]...)
	equal(t, "officer 2 keeps the post", o2.Completions, append(want2, post.Completions[0]))

	changes, err := s.Changes(ctx(t), rev, 0)
	check(t, err)
	equal(t, "the withdrawal is logged", changes, []training.Change{{Revision: rev2, Removed: reg.Completions}})
	imps, err := s.Imports(ctx(t), 0)
	check(t, err)
	equal(t, "history entries", len(imps), 3)
}

// testWithdrawImportRefused: a second withdrawal, a missing entry and a
// withdrawal naming another import's completions change nothing.
func testWithdrawImportRefused(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	reg := register(base, "reg-1", completion("1", tic, "2026-11-20"))
	rev, err := s.ApplyChanges(ctx(t), reg)
	check(t, err)

	rec := reg.Import
	rec.Outcome = training.OutcomeWithdrawn
	_, err = s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: sample(0, "imp-1").Completions})
	wantErr(t, "removing another import's completions", err, training.ErrInvalid)
	missing := rec
	missing.ID = "reg-none"
	_, err = s.WithdrawImport(ctx(t), training.Withdrawal{Record: missing})
	wantErr(t, "a missing entry", err, training.ErrNotFound)
	_, err = s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: reg.Completions})
	check(t, err)
	again, err := s.WithdrawImport(ctx(t), training.Withdrawal{Record: rec, Removed: reg.Completions})
	wantErr(t, "a second withdrawal", err, training.ErrConflict)
	equal(t, "no revision from a refusal", again, int64(0))
	now, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "one revision for one withdrawal", now, rev+1)
}
