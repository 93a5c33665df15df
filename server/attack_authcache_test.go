package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// TestAttackAuthCachePagePaths: the account changes made through the web
// pages (not the API the cache's own test drives), and a user's own
// password change, end the cached credentials they take away at the next
// request, with a cache that would otherwise keep them for an hour.
func TestAttackAuthCachePagePaths(t *testing.T) {
	form := func(v url.Values) func(*testEnv) req {
		return func(e *testEnv) req {
			v := v
			body, ctype := formOf(v)(e, "admin")
			return req{method: "POST", as: "admin", body: body, ctype: ctype, noCSRF: true}
		}
	}
	for _, tc := range []struct {
		name   string
		path   string
		change func(*testEnv) req
		want   int
	}{
		{"disabled", "/accounts/hr", form(url.Values{"role": {"hr"}, "disabled": {"1"}}), 401},
		{"role to trainer", "/accounts/hr", form(url.Values{"role": {"trainer"}}), 403},
		{"deleted", "/accounts/hr/delete", form(url.Values{"confirm": {"true"}}), 401},
		{"reset", "/accounts/hr/reset", form(url.Values{"confirm": {"true"}}), 401},
		{"token revoked", "/accounts/tokens/tok1/revoke", form(url.Values{"confirm": {"true"}}), 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, longCache)
			who := []string{"hr", "token"}
			if tc.name == "token revoked" {
				who = who[1:]
			}
			warm(t, e, "/api/v1/imports", who...)
			r := tc.change(e)
			r.path = tc.path
			if rec := e.do(r); rec.Code != http.StatusSeeOther && rec.Code != 200 {
				t.Fatalf("POST %s: %d %.300s", tc.path, rec.Code, rec.Body)
			}
			for _, w := range who {
				if code := e.do(req{method: "GET", path: "/api/v1/imports", as: w}).Code; code != tc.want {
					t.Errorf("%s after %s: %d, want %d", w, tc.name, code, tc.want)
				}
			}
		})
	}

	t.Run("own password", func(t *testing.T) {
		e := newTestEnv(t, longCache)
		// A second session of hr, on another device.
		id := web.RandomToken()
		if err := e.st.CreateSession(context.Background(), training.Session{IDHash: web.SHA256Hex(id), Username: "hr", CSRFToken: "x",
			Created: testNow.Add(-time.Minute), Expires: testNow.Add(sessionIdle)}); err != nil {
			t.Fatal(err)
		}
		e.cookies["hr-phone"], e.csrf["hr-phone"] = id, "x"
		warm(t, e, "/api/v1/imports", "hr", "hr-phone")
		body, ctype := formOf(url.Values{"old_password": {testPassword}, "new_password": {strings.Repeat("n3w-pass", 3)},
			"confirm_password": {strings.Repeat("n3w-pass", 3)}})(e, "hr")
		if rec := e.do(req{method: "POST", path: "/account/password", as: "hr", body: body, ctype: ctype, noCSRF: true}); rec.Code != http.StatusSeeOther {
			t.Fatalf("password change: %d %.300s", rec.Code, rec.Body)
		}
		if code := e.do(req{method: "GET", path: "/api/v1/imports", as: "hr-phone"}).Code; code != 401 {
			t.Errorf("hr's other session after a password change: %d, want 401", code)
		}
	})
}
