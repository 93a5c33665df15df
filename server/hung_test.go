package server

import (
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/redis/redistest"
)

// TestHungRedisAnswers503: a Redis that is frozen (SIGSTOP: it accepts
// connections and never answers) makes requests and /readyz answer 503
// after the store's default timeouts, not hang for the 10-15 s the old
// 5 s read timeout took; when Redis resumes, requests work again. The
// time each answer took is logged (no timing assertion: the default
// timeouts that bound it are asserted in storage/redis).
func TestHungRedisAnswers503(t *testing.T) {
	r := redistest.Start(t, "--save", "", "--appendonly", "no")
	e := newTestEnvOn(t, openRedis(t, "redis://"+r.Addr()))
	if rec := e.do(req{method: "GET", path: "/api/v1/officers", as: "hr"}); rec.Code != http.StatusOK {
		t.Fatalf("before: %d %s", rec.Code, rec.Body)
	}
	if err := r.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			_ = r.Signal(syscall.SIGCONT)
		}
	}
	t.Cleanup(resume)
	for _, rq := range []req{
		{method: "GET", path: "/api/v1/officers/B1", as: "token"},
		{method: "GET", path: "/readyz"},
	} {
		start := time.Now()
		rec := e.do(rq)
		t.Logf("%s with Redis frozen: %d in %v", rq.path, rec.Code, time.Since(start).Round(time.Millisecond))
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s with Redis frozen: %d %s, want 503", rq.path, rec.Code, rec.Body)
		}
	}
	resume()
	var code int
	for range 50 {
		if code = e.do(req{method: "GET", path: "/readyz"}).Code; code == http.StatusOK {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code != http.StatusOK {
		t.Errorf("after resuming: /readyz %d", code)
	}
}
