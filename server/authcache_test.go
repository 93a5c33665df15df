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
	t.Run("token revoked", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/imports", "token")
		if rec := e.do(req{method: "DELETE", path: "/api/v1/users/hr/tokens/tok1", as: "admin"}); rec.Code != 204 {
			t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
		}
		if code := e.do(req{method: "GET", path: "/api/v1/imports", as: "token"}).Code; code != 401 {
			t.Errorf("a revoked token: %d, want 401", code)
		}
	})
	t.Run("signed out", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/session", "hr")
		if rec := e.do(req{method: "POST", path: "/api/v1/logout", as: "hr"}); rec.Code != 204 {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body)
		}
		if code := e.do(req{method: "GET", path: "/api/v1/session", as: "hr"}).Code; code != 401 {
			t.Errorf("a signed-out session: %d, want 401", code)
		}
	})
	t.Run("disabled", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/imports", "hr", "token")
		if rec := e.do(req{method: "PATCH", path: "/api/v1/users/hr", as: "admin", ctype: "application/json",
			body: jsonBody(map[string]bool{"disabled": true})}); rec.Code != 200 {
			t.Fatalf("disable: %d %s", rec.Code, rec.Body)
		}
		for _, who := range []string{"hr", "token"} {
			if code := e.do(req{method: "GET", path: "/api/v1/imports", as: who}).Code; code != 401 {
				t.Errorf("a disabled account's %s: %d, want 401", who, code)
			}
		}
	})
	t.Run("deleted", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/imports", "hr", "token")
		if rec := e.do(req{method: "DELETE", path: "/api/v1/users/hr", as: "admin"}); rec.Code != 204 {
			t.Fatalf("delete: %d %s", rec.Code, rec.Body)
		}
		for _, who := range []string{"hr", "token"} {
			if code := e.do(req{method: "GET", path: "/api/v1/imports", as: who}).Code; code != 401 {
				t.Errorf("a deleted account's %s: %d, want 401", who, code)
			}
		}
	})
	t.Run("role changed", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/imports", "hr", "token")
		if rec := e.do(req{method: "PATCH", path: "/api/v1/users/hr", as: "admin", ctype: "application/json",
			body: jsonBody(map[string]any{"role": "manager", "units": []string{"Alpha"}})}); rec.Code != 200 {
			t.Fatalf("change role: %d %s", rec.Code, rec.Body)
		}
		for _, who := range []string{"hr", "token"} {
			if code := e.do(req{method: "GET", path: "/api/v1/imports", as: who}).Code; code != 403 {
				t.Errorf("%s of an account moved from HR to manager, on an HR route: %d, want 403", who, code)
			}
		}
	})
	t.Run("password reset", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		warm(t, e, "/api/v1/imports", "hr", "token")
		if rec := e.do(req{method: "POST", path: "/api/v1/users/hr/reset", as: "admin"}); rec.Code != 200 {
			t.Fatalf("reset: %d %s", rec.Code, rec.Body)
		}
		for _, who := range []string{"hr", "token"} {
			if code := e.do(req{method: "GET", path: "/api/v1/imports", as: who}).Code; code != 401 {
				t.Errorf("%s after the account's password was reset: %d, want 401", who, code)
			}
		}
	})
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
