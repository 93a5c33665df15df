package server

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestReportCacheBuildsOnce: concurrent requests for one report build it
// once; a new revision starts a new cache.
func TestReportCacheBuildsOnce(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	ds, err := e.s.dataset(ctx)
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
	key := reportKey{rev: ds.Revision, unit: "test"}
	const callers = 20
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, js, err := e.s.cachedReport(ds, key, build); err != nil || len(js) == 0 {
				t.Errorf("report: %v", err)
			}
		}()
	}
	// Release the build once the other callers wait on it, or as soon as
	// a second build shows the single flight is broken.
	waiters := func() int {
		e.s.cache.mu.Lock()
		defer e.s.cache.mu.Unlock()
		if r := e.s.cache.reports[key]; r != nil {
			return r.waiters
		}
		return 0
	}
	for deadline := time.Now().Add(10 * time.Second); waiters() < callers-1 && builds.Load() < 2; {
		if time.Now().After(deadline) {
			t.Errorf("after 10s: %d callers wait, %d builds", waiters(), builds.Load())
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("built %d times", n)
	}
	// A change to the roster made through the server gives a new Dataset
	// and an empty cache.
	if err := e.s.store.PutCourses(ctx, []training.Course{{ID: "new-course", Title: "New", DueWithinDays: 90, DueSoonDays: 30}}); err != nil {
		t.Fatal(err)
	}
	ds2, err := e.s.dataset(ctx)
	if err != nil || ds2 == ds || ds2.Revision <= ds.Revision || len(ds2.Courses) != 3 {
		t.Fatalf("dataset after a change: %v, same %v", err, ds2 == ds)
	}
	e.s.cache.mu.Lock()
	_, kept := e.s.cache.reports[key]
	e.s.cache.mu.Unlock()
	if kept {
		t.Fatal("a report of the old revision is still cached")
	}
	// A report built against a superseded Dataset is not cached.
	if _, _, err := e.s.cachedReport(ds, reportKey{rev: ds.Revision, unit: "stale"}, build); err != nil {
		t.Fatal(err)
	}
	e.s.cache.mu.Lock()
	_, kept = e.s.cache.reports[reportKey{rev: ds.Revision, unit: "stale"}]
	e.s.cache.mu.Unlock()
	if kept {
		t.Fatal("a stale report was cached")
	}
}
