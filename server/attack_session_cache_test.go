package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// Tests of commit 23c094f: a session's check keys the cache with
// newCredKey('s', cookie) and reads it with lookup (generation and entry
// under one lock); the principal and its session are one allocation; the
// metrics keep each (method, route, status)'s observers.

// hookStore is a store whose session reads and refreshes a test can
// watch and interleave with.
type hookStore struct {
	training.Store
	afterSession func()       // after a session was read, before it is returned
	afterUser    func()       // likewise after a user was read
	touches      atomic.Int32 // TouchSession calls
}

func (h *hookStore) Session(ctx context.Context, idHash string, now time.Time) (training.Session, error) {
	sess, err := h.Store.Session(ctx, idHash, now)
	if h.afterSession != nil {
		h.afterSession()
	}
	return sess, err
}

func (h *hookStore) User(ctx context.Context, username string) (training.User, error) {
	u, err := h.Store.User(ctx, username)
	if h.afterUser != nil {
		h.afterUser()
	}
	return u, err
}

func (h *hookStore) TouchSession(ctx context.Context, idHash string, expires, now time.Time) (training.Session, error) {
	h.touches.Add(1)
	return h.Store.TouchSession(ctx, idHash, expires, now)
}

// hooked puts h between the server's checks and its store; the cache's
// drops still happen through the server's authStore.
func hooked(e *testEnv) *hookStore {
	as := e.s.Core.Store.(authStore)
	h := &hookStore{Store: as.Store}
	e.s.Core.Store = authStore{Store: h, cache: as.cache}
	return h
}

// newSessionFor stores a session of username for cookie, expiring at expires.
func newSessionFor(t *testing.T, e *testEnv, cookie, username string, created, expires time.Time) {
	t.Helper()
	if err := e.st.CreateSession(context.Background(), training.Session{IDHash: web.SHA256Hex(cookie), Username: username, CSRFToken: "csrf-" + username,
		Created: created, Expires: expires}); err != nil {
		t.Fatal(err)
	}
}

// TestAttackSessionCacheKeyIsWhatDropsRemove: for cookies of every
// length around newCredKey's 128-byte stack buffer, empty, and with bytes
// no browser sends, the entry a check keeps is under the key sign-out
// (dropSession of the stored hash) and an account change (dropUser)
// remove: the next check after either is refused.
func TestAttackSessionCacheKeyIsWhatDropsRemove(t *testing.T) {
	e := newTestEnv(t, longCache)
	ctx := context.Background()
	cookies := []string{"", "a", "\x00\xff;\" é\r\n", strings.Repeat("é", 64)}
	for _, n := range []int{31, 32, 33, 63, 64, 127, 128, 129, 130, 255, 4096} {
		cookies = append(cookies, strings.Repeat("c", n-1)+strconv.Itoa(n%10))
	}
	for _, cookie := range cookies {
		name := strconv.Itoa(len(cookie)) + " bytes"
		if got, want := newCredKey('s', cookie), sessionKey(training.SecretHash(cookie)); string(got[:]) != want {
			t.Fatalf("%s: key %s, want %s", name, got[:], want)
		}
		for _, end := range []struct {
			how string
			do  func() error
			err error
		}{
			{"signed out", func() error { return e.s.Core.Store.DeleteSession(ctx, web.SHA256Hex(cookie)) }, errSessionMissing},
			{"credentials revoked", func() error { return e.s.Core.Store.RevokeCredentials(ctx, "hr") }, errSessionMissing},
			{"disabled", func() error {
				return e.s.Core.Store.UpdateUser(ctx, "hr", func(u *training.User) error { u.Disabled = true; return nil })
			}, web.ErrUnauthenticated},
		} {
			newSessionFor(t, e, cookie, "hr", testNow.Add(-time.Minute), testNow.Add(sessionIdle))
			if _, err := e.s.sessionPrincipal(ctx, cookie); err != nil {
				t.Fatalf("%s: check before %s: %v", name, end.how, err)
			}
			if _, ok := e.s.auth.get(sessionKey(web.SHA256Hex(cookie))); !ok {
				t.Fatalf("%s: the checked session is not kept under sessionKey(its hash)", name)
			}
			if err := end.do(); err != nil {
				t.Fatal(err)
			}
			if _, ok := e.s.auth.get(sessionKey(web.SHA256Hex(cookie))); ok {
				t.Errorf("%s: still kept after %s", name, end.how)
			}
			if _, err := e.s.sessionPrincipal(ctx, cookie); !errors.Is(err, end.err) {
				t.Errorf("%s: check after %s: %v, want %v", name, end.how, err, end.err)
			}
			if end.how == "disabled" {
				if err := e.st.UpdateUser(ctx, "hr", func(u *training.User) error { u.Disabled = false; return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestAttackSessionCacheLongCookieSignOut: through HTTP, a session
// cookie longer than the key's stack buffer signs in, signs out, and is
// refused at once with an hour-long cache.
func TestAttackSessionCacheLongCookieSignOut(t *testing.T) {
	e := newTestEnv(t, longCache)
	cookie := strings.Repeat("Ab3-_", 60) // 300 bytes
	newSessionFor(t, e, cookie, "hr", testNow.Add(-time.Minute), testNow.Add(sessionIdle))
	e.cookies["long"], e.csrf["long"] = cookie, "csrf-hr"
	warm(t, e, "/api/v1/session", "long")
	if rec := e.do(req{method: "POST", path: "/api/v1/logout", as: "long"}); rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d %s", rec.Code, rec.Body)
	}
	if code := e.do(req{method: "GET", path: "/api/v1/session", as: "long"}).Code; code != http.StatusUnauthorized {
		t.Errorf("a long cookie after its sign-out: %d, want 401", code)
	}
}

// TestAttackSessionCacheSignOutRacingCheck: a check reads the session
// from the store, a sign-out (here, through the server) ends it before
// the check keeps it: the check may go on, but it must not keep the
// session, or the signed-out cookie would pass for the cache's TTL.
func TestAttackSessionCacheSignOutRacingCheck(t *testing.T) {
	for _, how := range []string{"signed out", "disabled"} {
		t.Run(how, func(t *testing.T) {
			e := newTestEnv(t, longCache)
			ctx := context.Background()
			cookie := web.RandomToken()
			newSessionFor(t, e, cookie, "hr", testNow.Add(-time.Minute), testNow.Add(sessionIdle)) // not due for a refresh
			h := hooked(e)
			var once sync.Once
			race := func() {
				once.Do(func() {
					var err error
					if how == "signed out" {
						err = e.s.Core.Store.DeleteSession(ctx, web.SHA256Hex(cookie))
					} else {
						err = e.s.Core.Store.UpdateUser(ctx, "hr", func(u *training.User) error { u.Disabled = true; return nil })
					}
					if err != nil {
						t.Error(err)
					}
				})
			}
			// After the check read what the change takes away.
			if how == "signed out" {
				h.afterSession = race
			} else {
				h.afterUser = race
			}
			if _, err := e.s.sessionPrincipal(ctx, cookie); err != nil {
				t.Fatalf("the check that read before the change: %v", err)
			}
			if p, err := e.s.sessionPrincipal(ctx, cookie); err == nil {
				t.Errorf("the next check after %s passed (as %s): the racing check kept it", how, p.User.Username)
			}
		})
	}
}

// TestAttackSessionCacheConcurrentSignOut: checks of one cookie run
// while it signs out (run with -race); every check that began after the
// sign-out returned is refused.
func TestAttackSessionCacheConcurrentSignOut(t *testing.T) {
	e := newTestEnv(t, longCache)
	ctx := context.Background()
	cookie := web.RandomToken()
	// Due for a refresh: the first checks also write the session.
	newSessionFor(t, e, cookie, "hr", testNow.Add(-time.Hour), testNow.Add(10*time.Minute))
	var (
		out    atomic.Bool
		passed atomic.Int32
		wg     sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Until 50 checks were begun after the sign-out.
			for n := 0; n < 50; {
				after := out.Load()
				if after {
					n++
				}
				p, err := e.s.sessionPrincipal(ctx, cookie)
				switch {
				case after && err == nil:
					t.Errorf("a check begun after the sign-out passed (session %+v)", *p.Session)
					return
				case err == nil:
					passed.Add(1)
					if p.Session.IDHash != web.SHA256Hex(cookie) || p.Session.CSRFToken != "csrf-hr" {
						t.Errorf("principal's session %+v", *p.Session)
					}
				case !errors.Is(err, web.ErrUnauthenticated):
					t.Error(err)
				}
			}
		}()
	}
	for passed.Load() < 20 {
		time.Sleep(time.Millisecond) // until some checks passed (and were kept)
	}
	if err := e.s.Core.Store.DeleteSession(ctx, web.SHA256Hex(cookie)); err != nil {
		t.Fatal(err)
	}
	out.Store(true)
	wg.Wait()
}

// TestAttackSessionPrincipalRefresh: the principal's session is the one
// the refresh wrote (deadline moved, CSRF token and hash kept), the
// cache keeps the moved one (no second write), each request gets its own
// copy, and a session found gone by the refresh (ended on another
// replica) is not kept: the next request is refused within the TTL.
func TestAttackSessionPrincipalRefresh(t *testing.T) {
	var offset atomic.Int64
	e := newTestEnv(t, longCache, func(c *Config) {
		c.Clock = func() time.Time { return testNow.Add(time.Duration(offset.Load())) }
	})
	ctx := context.Background()
	h := hooked(e)
	cookie := web.RandomToken()
	newSessionFor(t, e, cookie, "hr", testNow.Add(-time.Hour), testNow.Add(10*time.Minute)) // due
	p1, err := e.s.sessionPrincipal(ctx, cookie)
	if err != nil {
		t.Fatal(err)
	}
	want := training.Session{IDHash: web.SHA256Hex(cookie), Username: "hr", CSRFToken: "csrf-hr",
		Created: testNow.Add(-time.Hour), Expires: testNow.Add(sessionIdle)}
	if !p1.Session.Expires.Equal(want.Expires) || p1.Session.IDHash != want.IDHash || p1.Session.CSRFToken != want.CSRFToken || p1.Session.Username != "hr" {
		t.Fatalf("principal's session after the refresh: %+v, want %+v", *p1.Session, want)
	}
	if n := h.touches.Load(); n != 1 {
		t.Fatalf("refreshes: %d, want 1", n)
	}
	p2, err := e.s.sessionPrincipal(ctx, cookie)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.touches.Load(); n != 1 {
		t.Errorf("refreshes after a second request: %d, want 1 (the cache keeps the moved session)", n)
	}
	if !p2.Session.Expires.Equal(want.Expires) {
		t.Errorf("cached principal's session expires %v, want %v", p2.Session.Expires, want.Expires)
	}
	if p1.Session == p2.Session || &p1.User == &p2.User {
		t.Error("two requests share a principal's session")
	}
	p2.Session.CSRFToken, p2.Session.Expires = "forged", testNow.Add(24*time.Hour)
	if p3, err := e.s.sessionPrincipal(ctx, cookie); err != nil || p3.Session.CSRFToken != "csrf-hr" || !p3.Session.Expires.Equal(want.Expires) {
		t.Errorf("a request's change to its principal reached the cache: %+v %v", p3.Session, err)
	}

	// Ended on another replica (the store, not the server), then due
	// for a refresh: this request goes on, the next is refused.
	if err := e.st.DeleteSession(ctx, web.SHA256Hex(cookie)); err != nil {
		t.Fatal(err)
	}
	offset.Store(int64(10 * time.Minute))
	if _, err := e.s.sessionPrincipal(ctx, cookie); err != nil {
		t.Fatalf("the request that found its session gone on refresh: %v (it goes on)", err)
	}
	if n := h.touches.Load(); n != 2 {
		t.Fatalf("refreshes: %d, want 2", n)
	}
	if _, err := e.s.sessionPrincipal(ctx, cookie); !errors.Is(err, errSessionMissing) {
		t.Errorf("the request after the refresh found the session gone: %v, want %v", err, errSessionMissing)
	}
}

// TestAttackMetricsObserversStayFew: the kept observers are keyed like
// the vectors' label values (odd methods are "other"), so they do not
// grow with what a client sends, and counts from many goroutines, across
// the first LoadOrStore, are all kept.
func TestAttackMetricsObserversStayFew(t *testing.T) {
	m := newMetrics()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				m.observe("GET", "/api/v1/officers/:id", 200, time.Millisecond)
				m.observe("X-"+strconv.Itoa(g*100+i), "/api/v1/officers/:id", 200, time.Millisecond)
				m.observe(strings.Repeat("P", 1+i), "unmatched", 405, time.Millisecond)
			}
		}()
	}
	wg.Wait()
	n := 0
	m.observers.Range(func(k, _ any) bool {
		n++
		if k := k.(requestKey); k.method != "GET" && k.method != "other" {
			t.Errorf("observer kept for method %q", k.method)
		}
		return true
	})
	if n != 3 {
		t.Errorf("%d observers kept, want 3", n)
	}
	rec := httptest.NewRecorder()
	m.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`muster_http_requests_total{method="GET",route="/api/v1/officers/:id",status="200"} 800`,
		`muster_http_requests_total{method="other",route="/api/v1/officers/:id",status="200"} 800`,
		`muster_http_requests_total{method="other",route="unmatched",status="405"} 800`,
		`muster_http_request_duration_seconds_count{method="GET",route="/api/v1/officers/:id",status="200"} 800`,
	} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
