package web

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWebCache(t *testing.T) {
	w := NewCache()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	builds := 0
	build := func(v string) func() (any, error) {
		return func() (any, error) { builds++; return v, nil }
	}
	steps := []struct {
		name       string
		rev        int64
		key        string
		at         time.Duration
		ttl        time.Duration
		value      string
		want       string
		wantBuilds int
	}{
		{"first build", 1, "a", 0, 0, "a1", "a1", 1},
		{"kept for the revision", 1, "a", time.Hour, 0, "a2", "a1", 1},
		{"another key", 1, "b", 0, 0, "b1", "b1", 2},
		{"a new revision drops everything", 2, "a", 0, 0, "a3", "a3", 3},
		{"an older revision does not reset", 1, "a", 0, 0, "a4", "a3", 3},
		{"ttl not yet over", 2, "t", 0, time.Minute, "t1", "t1", 4},
		{"ttl not yet over, again", 2, "t", 30 * time.Second, time.Minute, "t2", "t1", 4},
		{"ttl over", 2, "t", 2 * time.Minute, time.Minute, "t3", "t3", 5},
	}
	for _, s := range steps {
		got, err := w.Get(s.rev, s.key, now.Add(s.at), s.ttl, build(s.value))
		if err != nil || got != s.want || builds != s.wantBuilds {
			t.Errorf("%s: got %v (%v) after %d builds, want %s after %d", s.name, got, err, builds, s.want, s.wantBuilds)
		}
	}
	// Errors are not kept.
	fail := errors.New("store down")
	if _, err := w.Get(2, "e", now, 0, func() (any, error) { return nil, fail }); !errors.Is(err, fail) {
		t.Errorf("error: %v", err)
	}
	if v, err := w.Get(2, "e", now, 0, build("ok")); err != nil || v != "ok" {
		t.Errorf("after an error: %v %v", v, err)
	}
	// forget drops one key.
	w.Forget("a")
	if v, _ := w.Get(2, "a", now, 0, build("a5")); v != "a5" {
		t.Errorf("after forget: %v", v)
	}
}

// TestWebCacheBuildsOnce: concurrent callers of one key share one build.
func TestWebCacheBuildsOnce(t *testing.T) {
	w := NewCache()
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := w.Get(1, "k", time.Time{}, 0, func() (any, error) {
				builds.Add(1)
				<-release
				return 42, nil
			})
			if err != nil || v != 42 {
				t.Errorf("got %v %v", v, err)
			}
		}()
	}
	// Let every goroutine reach the cache before the build finishes.
	for w.Pending("k") == 0 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
}
