package live

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// newStore is a bolt store with a roster of 40 officers in two units and
// the default courses.
func newStore(t *testing.T) training.Store {
	t.Helper()
	st, rev := coursesStore(t)
	ctx := context.Background()
	var officers []training.Officer
	for i := range 40 {
		unit := "Alpha / Team 1"
		if i%2 == 1 {
			unit = "Bravo / Team 9"
		}
		officers = append(officers, training.Officer{ID: fmt.Sprintf("P%02d", i), DisplayID: fmt.Sprintf("P%02d", i), Name: fmt.Sprintf("Officer %d", i),
			Unit: unit, StartDate: training.DateFrom(2020, 1, 6), FirstSeen: training.DateFrom(2025, 1, 1)})
	}
	if _, err := st.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Officers: officers,
		Import: training.ImportRecord{ID: "seed", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}); err != nil {
		t.Fatal(err)
	}
	return st
}

// coursesStore is a bolt store with the default courses and nobody, and
// its revision.
func coursesStore(t testing.TB) (training.Store, int64) {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if err := st.PutCourses(ctx, training.DefaultCourses()); err != nil {
		t.Fatal(err)
	}
	rev, err := st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st, rev
}

func newModel(st training.Store) *Model {
	return New(Config{Store: st, Clock: func() time.Time { return testNow }})
}

// fresh is the report built from the store's data read now: what the
// model's figures must equal.
func fresh(t *testing.T, st training.Store, unit string) []byte {
	t.Helper()
	return freshAt(t, st, training.DateOf(testNow), unit, nil)
}

func liveJSON(t *testing.T, m *Model, unit string) []byte {
	t.Helper()
	e, ok, err := m.ReportJSON(training.DateOf(testNow), unit, nil)
	if err != nil || !ok {
		t.Fatalf("ReportJSON: ok=%v %v", ok, err)
	}
	return e.JSON
}

// TestPostsReachTheFigures: completions posted at once by many callers
// are written (in shared batches) and counted in today's figures, which
// then equal a report built afresh from the store.
func TestPostsReachTheFigures(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	var commits atomic.Int32
	m.onCommit = func(posts int) { commits.Add(int32(posts)) }
	ctx := context.Background()
	if err := m.Current(ctx); err != nil {
		t.Fatal(err)
	}
	before := liveJSON(t, m, "")
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			id := fmt.Sprintf("P%02d", i)
			c := training.Completion{OfficerID: id, CourseID: "cse-recognition", Date: training.DateFrom(2026, 11, 1),
				Source: training.Source{ImportID: "api-test", At: testNow}}
			g := training.ImportRecord{ID: "api-test", Kind: training.ImportAPI, By: "lms", At: testNow, Outcome: training.OutcomeApplied,
				Summary: training.ImportSummary{Completions: 1}}
			if _, err := m.Post([]training.Completion{c}, g); err != nil {
				t.Errorf("post %s: %v", id, err)
			}
		})
	}
	wg.Wait()
	if n := commits.Load(); n != 20 {
		t.Errorf("OnCommit was told of %d posts, want 20", n)
	}
	if rev, err := st.Revision(ctx); err != nil || m.Revision() != rev {
		t.Fatalf("model at revision %d, store at %d (%v): a poster would not read their own write", m.Revision(), rev, err)
	}
	for _, unit := range []string{"", "Alpha", "Bravo / Team 9"} {
		if got, want := liveJSON(t, m, unit), fresh(t, st, unit); !bytes.Equal(got, want) {
			t.Errorf("unit %q: live figures differ from a fresh build:\n%s\nwant\n%s", unit, got, want)
		}
	}
	if bytes.Equal(before, liveJSON(t, m, "")) {
		t.Error("the figures did not move with 20 completions")
	}
	if e, ok := m.Report(training.DateOf(testNow), "", nil); !ok || e.Err != nil || !bytes.Equal(e.JSON, fresh(t, st, "")) {
		t.Errorf("Report: ok=%v %v", ok, e.Err)
	}
}

// TestTailFollowsAnotherWriter: a second model on the same store (another
// replica) sees a post made through the first by following the feed,
// without anyone reading.
func TestTailFollowsAnotherWriter(t *testing.T) {
	st := newStore(t)
	a, b := newModel(st), newModel(st)
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.Tail(ctx) }()
	defer func() { cancel(); <-done }()
	c := training.Completion{OfficerID: "P03", CourseID: "cse-recognition", Date: training.DateFrom(2026, 11, 2),
		Source: training.Source{ImportID: "api-a", At: testNow}}
	rev, err := a.Post([]training.Completion{c}, training.ImportRecord{ID: "api-a", Kind: training.ImportAPI, By: "lms", At: testNow, Outcome: training.OutcomeApplied})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); b.Revision() < rev; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("b is at revision %d, not %d, 5 s after the post on a", b.Revision(), rev)
		}
	}
	if got, want := liveJSON(t, b, "Bravo"), fresh(t, st, "Bravo"); !bytes.Equal(got, want) {
		t.Errorf("b's figures differ from a fresh build:\n%s\nwant\n%s", got, want)
	}
}

// TestWritesThroughStoreRefresh: a roster write through Model.Store (an
// import, a course edit) is in the model when the write returns; one made
// behind its back is picked up by the next Current.
func TestWritesThroughStoreRefresh(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	if err := m.Current(ctx); err != nil {
		t.Fatal(err)
	}
	courses := append(training.DefaultCourses(), training.Course{ID: "first-aid", Title: "First aid", DueWithinDays: 90, DueSoonDays: 30})
	if err := m.Store().PutCourses(ctx, courses); err != nil {
		t.Fatal(err)
	}
	if got, want := liveJSON(t, m, ""), fresh(t, st, ""); !bytes.Equal(got, want) {
		t.Errorf("after a course added through Store: live figures differ from a fresh build:\n%s\nwant\n%s", got, want)
	}
	ds, err := m.Dataset(ctx)
	if err != nil || len(ds.Courses) != 3 {
		t.Fatalf("Dataset after the write: %v courses, %v", len(ds.Courses), err)
	}
	// Behind the model's back: the next Current notices the gap and
	// reloads, in the background.
	if err := st.PutCourses(ctx, training.DefaultCourses()); err != nil {
		t.Fatal(err)
	}
	want := fresh(t, st, "")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if err := m.Current(ctx); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(liveJSON(t, m, ""), want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a write behind the model's back is not in its figures 5 s later")
		}
	}
}

// TestBuildOnce: concurrent callers of one report build it once; a new
// revision starts a new cache, and a report built against a superseded
// Dataset is not kept.
func TestBuildOnce(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	ds, err := m.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int32
	release := make(chan struct{})
	build := func() (*training.Report, error) {
		builds.Add(1)
		<-release // held open until every caller has reached the cache
		return training.BuildReport(ds, training.DateOf(testNow), training.ReportOptions{})
	}
	key := ReportKey{Rev: ds.Revision, Unit: "test"}
	const callers = 20
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			if e := m.Build(ds, key, build); e.Err != nil || len(e.JSON) == 0 {
				t.Errorf("report: %v", e.Err)
			}
		})
	}
	waiters := func() int {
		m.cache.mu.Lock()
		defer m.cache.mu.Unlock()
		if r := m.cache.reports[key]; r != nil {
			return r.waiters
		}
		return 0
	}
	for deadline := time.Now().Add(10 * time.Second); waiters() < callers-1 && builds.Load() < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Errorf("after 10s: %d callers wait, %d builds", waiters(), builds.Load())
			break
		}
	}
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times", n)
	}
	cached := func(k ReportKey) bool {
		m.cache.mu.Lock()
		defer m.cache.mu.Unlock()
		_, ok := m.cache.reports[k]
		return ok
	}
	if err := m.Store().PutCourses(ctx, append(training.DefaultCourses(), training.Course{ID: "new-course", Title: "New", DueWithinDays: 90, DueSoonDays: 30})); err != nil {
		t.Fatal(err)
	}
	ds2, err := m.Dataset(ctx)
	if err != nil || ds2 == ds || ds2.Revision <= ds.Revision || len(ds2.Courses) != 3 {
		t.Fatalf("dataset after a change: %v, same %v", err, ds2 == ds)
	}
	if cached(key) {
		t.Fatal("a report of the old revision is still cached")
	}
	stale := ReportKey{Rev: ds.Revision, Unit: "stale"}
	if e := m.Build(ds, stale, build); e.Err != nil {
		t.Fatal(e.Err)
	}
	if cached(stale) {
		t.Fatal("a stale report was cached")
	}
}
