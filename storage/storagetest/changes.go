package storagetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var changeTests = []test{
	{"AddCompletions", testAddCompletions},
	{"AddCompletionsConcurrent", testAddCompletionsConcurrent},
	{"ChangesGap", testChangesGap},
	{"ChangesWait", testChangesWait},
	{"ApplyChangesAfterPosts", testApplyAfterPosts},
}

// testApplyAfterPosts: a change set planned before some completion posts
// still applies (they never disagree) and keeps them; one planned before
// another change set does not.
func testApplyAfterPosts(t *testing.T, s training.Store) {
	base, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	p1 := apiBatch("api-1", 1, completion("1", tic, "2026-11-01"))
	_, err = s.AddCompletions(ctx(t), p1)
	check(t, err)
	p2 := apiBatch("api-1", 1, completion("2", tic, "2026-11-02"))
	_, err = s.AddCompletions(ctx(t), p2)
	check(t, err)
	later := training.ChangeSet{BaseRevision: base, Import: importRec("imp-2", 1),
		Officers:    []training.Officer{officer("9", "South")},
		Completions: []training.Completion{completion("1", tic, "2026-11-05"), completion("9", cse, "2026-11-05")}}
	rev, err := s.ApplyChanges(ctx(t), later)
	check(t, err)
	equal(t, "revision", rev, base+3)
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	old := sample(0, "imp-1").Completions
	equal(t, "officer 1 keeps the post and gets the import's completion", rec.Completions,
		[]training.Completion{old[1], old[0], p1.Completions[0], later.Completions[0]})
	rec, err = s.Officer(ctx(t), "2")
	check(t, err)
	equal(t, "officer 2's posted completion", rec.Completions[len(rec.Completions)-1], p2.Completions[0])

	_, err = s.AddCompletions(ctx(t), apiBatch("api-1", 1, completion("1", cse, "2026-11-06")))
	check(t, err)
	stale := training.ChangeSet{BaseRevision: base + 2, Import: importRec("imp-3", 2),
		Officers: []training.Officer{officer("8", "South")}}
	_, err = s.ApplyChanges(ctx(t), stale)
	wantErr(t, "apply planned before another import", err, training.ErrConflict)
	stale.BaseRevision = rev + 2
	_, err = s.ApplyChanges(ctx(t), stale)
	wantErr(t, "apply planned against a future revision", err, training.ErrConflict)
}

// apiBatch is one group-committed batch: the completions and the history
// entry (one client, one hour) they add to.
func apiBatch(group string, n int, cs ...training.Completion) training.CompletionBatch {
	for i := range cs {
		cs[i].Source = training.Source{ImportID: group, By: "lms", At: at(i)}
	}
	return training.CompletionBatch{Completions: cs, Imports: []training.ImportRecord{{
		ID: group, Kind: training.ImportAPI, By: "lms", At: at(0), Outcome: training.OutcomeApplied,
		Summary: training.ImportSummary{Completions: n},
	}}}
}

func testAddCompletions(t *testing.T, s training.Store) {
	rev, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	b1 := apiBatch("api-1", 2, completion("1", tic, "2026-11-01"), completion("2", tic, "2026-11-02"))
	rev1, err := s.AddCompletions(ctx(t), b1)
	check(t, err)
	equal(t, "revision after a batch", rev1, rev+1)
	// A repeat of a stored completion is not stored twice; the group's
	// history entry grows.
	b2 := apiBatch("api-1", 2, completion("1", tic, "2026-11-01"), completion("1", cse, "2026-11-03"))
	rev2, err := s.AddCompletions(ctx(t), b2)
	check(t, err)
	equal(t, "revision after a second batch", rev2, rev+2)

	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	sample1 := sample(0, "imp-1").Completions
	equal(t, "officer 1's history", rec.Completions, []training.Completion{
		sample1[1], b2.Completions[1], sample1[0], b1.Completions[0]})
	imp, err := s.Import(ctx(t), "api-1")
	check(t, err)
	equal(t, "grouped history entry", imp, training.ImportRecord{ID: "api-1", Kind: training.ImportAPI, By: "lms",
		At: at(0), Outcome: training.OutcomeApplied, Summary: training.ImportSummary{Completions: 4}})
	imps, err := s.Imports(ctx(t), 0)
	check(t, err)
	equal(t, "history entries", len(imps), 2)

	changes, err := s.Changes(ctx(t), rev, 0)
	check(t, err)
	equal(t, "changes since the import", changes, []training.Change{
		{Revision: rev1, Completions: b1.Completions}, {Revision: rev2, Completions: b2.Completions}})
	changes, err = s.Changes(ctx(t), rev2, 0)
	check(t, err)
	equal(t, "changes at the current revision", len(changes), 0)

	// Applying the changes to the old Dataset gives the new one.
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	old := sample(0, "imp-1")
	want := &training.Dataset{Revision: rev, Courses: ds.Courses, Officers: ds.Officers, Exemptions: ds.Exemptions,
		Completions: map[string][]training.Completion{"1": {old.Completions[1], old.Completions[0]}, "2": {old.Completions[2]}}}
	for _, ch := range []training.Change{{Revision: rev1, Completions: b1.Completions}, {Revision: rev2, Completions: b2.Completions}} {
		training.ApplyChange(want, ch)
	}
	equal(t, "dataset = old dataset + changes", ds, want)
}

// testAddCompletionsConcurrent: batches written at once for the same
// officers all succeed and none is lost.
func testAddCompletionsConcurrent(t *testing.T, s training.Store) {
	_, err := s.ApplyChanges(ctx(t), sample(0, "imp-1"))
	check(t, err)
	const writers, each = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				d := date("2020-01-01").AddDays(w*each + i).String()
				_, err := s.AddCompletions(ctx(t), apiBatch("api-c", 1, completion("1", cse, d)))
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		check(t, err)
	}
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	equal(t, "completions kept", len(rec.Completions), 2+writers*each)
	imp, err := s.Import(ctx(t), "api-c")
	check(t, err)
	equal(t, "grouped count", imp.Summary.Completions, writers*each)
	rev, err := s.Revision(ctx(t))
	check(t, err)
	changes, err := s.Changes(ctx(t), 1, 0)
	check(t, err)
	equal(t, "changes logged", len(changes), int(rev-1))
}

// testChangesGap: a write that is not logged (an import, a course edit)
// makes the log unusable across it, and usable again after it.
func testChangesGap(t *testing.T, s training.Store) {
	_, err := s.AddCompletions(ctx(t), apiBatch("api-1", 1, completion("1", cse, "2026-01-01")))
	check(t, err)
	rev, err := s.ApplyChanges(ctx(t), sample(1, "imp-1"))
	check(t, err)
	_, err = s.Changes(ctx(t), 0, 0)
	wantErr(t, "changes across an import", err, training.ErrChangesGone)
	_, err = s.Changes(ctx(t), 1, 0)
	wantErr(t, "changes across an import", err, training.ErrChangesGone)
	rev3, err := s.AddCompletions(ctx(t), apiBatch("api-2", 1, completion("1", tic, "2026-01-01")))
	check(t, err)
	changes, err := s.Changes(ctx(t), rev, 0)
	check(t, err)
	equal(t, "changes after the import", len(changes), 1)
	equal(t, "revision", changes[0].Revision, rev3)
}

// testChangesWait: a waiting reader is woken by a batch written meanwhile.
func testChangesWait(t *testing.T, s training.Store) {
	got := make(chan []training.Change, 1)
	errc := make(chan error, 1)
	go func() {
		cs, err := s.Changes(ctx(t), 0, 10*time.Second)
		got <- cs
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	_, err := s.AddCompletions(ctx(t), apiBatch("api-1", 1, completion("1", cse, "2026-01-01")))
	check(t, err)
	select {
	case cs := <-got:
		check(t, <-errc)
		equal(t, "changes seen by the waiting reader", fmt.Sprint(len(cs), cs[0].Revision), "1 1")
	case <-time.After(8 * time.Second):
		t.Fatal("the waiting reader was not woken by the batch")
	}
	cs, err := s.Changes(ctx(t), 1, 30*time.Millisecond)
	check(t, err)
	equal(t, "changes after waiting for none", len(cs), 0)
}
