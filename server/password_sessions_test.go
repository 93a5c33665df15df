package server

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
)

// A password reset or change signs the user out of every session that
// began before it; the user who changed their own password carries on in
// a new session.
func TestPasswordChangeEndsOlderSessions(t *testing.T) {
	var tick atomic.Int64
	e := newTestEnv(t, func(c *Config) {
		c.Clock = func() time.Time { return testNow.Add(time.Duration(tick.Add(1)) * time.Second) }
	})
	session := func(user string) int {
		return e.do(req{method: "GET", path: "/api/v1/session", as: user}).Code
	}
	if got := session("mgr-a"); got != http.StatusOK {
		t.Fatalf("before the reset: %d", got)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/users/mgr-a/reset", as: "admin"}); rec.Code != http.StatusOK {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	if got := session("mgr-a"); got != http.StatusUnauthorized {
		t.Fatalf("session begun before the reset: %d, want 401", got)
	}
	if got := session("admin"); got != http.StatusOK {
		t.Fatalf("another user's session: %d, want 200", got)
	}

	// hr changes their own password on the page.
	form := url.Values{"old_password": {testPassword}, "new_password": {"a-new-long-password-1"},
		"confirm_password": {"a-new-long-password-1"}, "csrf_token": {e.csrf["hr"]}}
	rec := e.do(req{method: "POST", path: "/account/password", as: "hr", body: strings.NewReader(form.Encode()),
		ctype: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("change password: %d %s", rec.Code, rec.Body)
	}
	fresh := cookieNamed(rec.Result(), web.SessionCookie)
	if fresh == nil || fresh.Value == e.cookies["hr"] {
		t.Fatal("no new session cookie after changing the password")
	}
	if got := session("hr"); got != http.StatusUnauthorized {
		t.Fatalf("old session after own change: %d, want 401", got)
	}
	e.cookies["hr"] = fresh.Value
	if got := session("hr"); got != http.StatusOK {
		t.Fatalf("new session after own change: %d, want 200", got)
	}
}
