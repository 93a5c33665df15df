package server

import (
	"context"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// longCache trusts a checked credential for an hour: in these tests only
// the dropping of entries can make a change take effect.
func longCache(c *Config) { c.AuthCacheTTL = time.Hour }

// warm makes one request as each caller, so that their credentials are
// in the cache, and checks that they pass.
func warm(t *testing.T, e *testEnv, path string, as ...string) {
	t.Helper()
	for _, who := range as {
		if rec := e.do(req{method: "GET", path: path, as: who}); rec.Code != 200 {
			t.Fatalf("GET %s as %s before the change: %d %s", path, who, rec.Code, rec.Body)
		}
	}
}

// TestAuthCacheDropsWhatAChangeTakesAway: each change of an account made
// through the server ends what it takes away on the next request, though
// the credential was checked (and kept) a moment before.
func TestAuthCacheDropsWhatAChangeTakesAway(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   string   // asked before and after the change
		who    []string // the callers whose credentials it ends
		change req
		status int // of the change
		want   int // of the callers' next request
	}{
		{"token revoked", "/api/v1/imports", []string{"token"},
			req{method: "DELETE", path: "/api/v1/users/hr/tokens/tok1", as: "admin"}, 204, 401},
		{"signed out", "/api/v1/session", []string{"hr"},
			req{method: "POST", path: "/api/v1/logout", as: "hr"}, 204, 401},
		{"disabled", "/api/v1/imports", []string{"hr", "token"},
			req{method: "PATCH", path: "/api/v1/users/hr", as: "admin", ctype: "application/json", body: jsonBody(map[string]bool{"disabled": true})}, 200, 401},
		{"deleted", "/api/v1/imports", []string{"hr", "token"},
			req{method: "DELETE", path: "/api/v1/users/hr", as: "admin"}, 204, 401},
		// An HR route, for an account moved from HR to manager.
		{"role changed", "/api/v1/imports", []string{"hr", "token"},
			req{method: "PATCH", path: "/api/v1/users/hr", as: "admin", ctype: "application/json", body: jsonBody(map[string]any{"role": "manager", "units": []string{"Alpha"}})}, 200, 403},
		{"password reset", "/api/v1/imports", []string{"hr", "token"},
			req{method: "POST", path: "/api/v1/users/hr/reset", as: "admin"}, 200, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, longCache)
			warm(t, e, tc.path, tc.who...)
			if rec := e.do(tc.change); rec.Code != tc.status {
				t.Fatalf("%s %s: %d %s", tc.change.method, tc.change.path, rec.Code, rec.Body)
			}
			for _, who := range tc.who {
				if code := e.do(req{method: "GET", path: tc.path, as: who}).Code; code != tc.want {
					t.Errorf("GET %s as %s after the change: %d, want %d", tc.path, who, code, tc.want)
				}
			}
		})
	}
}

// TestAuthCacheOtherReplicaWithinTTL: a change the server did not make
// (another replica, or the CLI on the same Redis) is read once the
// cached entry is DefaultAuthCacheTTL old, and not refused before: the
// bound the README states.
func TestAuthCacheOtherReplicaWithinTTL(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.AuthCacheTTL = 0 }) // the default
	now := time.Now()
	e.s.auth.now = func() time.Time { return now }
	warm(t, e, "/api/v1/imports", "hr", "token")
	if err := e.st.UpdateUser(context.Background(), "hr", func(u *training.User) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(DefaultAuthCacheTTL - time.Millisecond)
	if code := e.do(req{method: "GET", path: "/api/v1/imports", as: "hr"}).Code; code != 200 {
		t.Errorf("within the TTL of a check, a change made elsewhere: %d, want 200 (the cached check)", code)
	}
	now = now.Add(time.Millisecond)
	for _, who := range []string{"hr", "token"} {
		if code := e.do(req{method: "GET", path: "/api/v1/imports", as: who}).Code; code != 401 {
			t.Errorf("%s of an account disabled elsewhere, %s after it was checked: %d, want 401", who, DefaultAuthCacheTTL, code)
		}
	}
}

// TestAuthCacheKeepsNoRaceLoser: a check that read the store before a
// sign-out must not put the ended session back into the cache.
func TestAuthCacheKeepsNoRaceLoser(t *testing.T) {
	c := newAuthCache(time.Hour)
	gen := c.begin() // a check reads the session…
	c.dropSession("h")
	c.put(sessionKey("h"), gen, authEntry{session: training.Session{IDHash: "h"}}) // …and finishes after the sign-out
	if _, ok := c.get(sessionKey("h")); ok {
		t.Error("a session read before its sign-out was kept")
	}
}
