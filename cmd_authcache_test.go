package main

import (
	"net/http"
	"regexp"
	"testing"
)

// TestForwardedResetEndsCheckedCredentials: `muster users reset`, run
// while serve holds the store (forwarded into it), ends a token the
// server checked a moment before, though the server trusts a checked
// credential for a minute (MUSTER_AUTH_CACHE_TTL): the forwarded command
// changes accounts through the server's store, which drops it.
func TestForwardedResetEndsCheckedCredentials(t *testing.T) {
	c := newCLI(t)
	c.env["MUSTER_ADMIN_PASSWORD"] = "correct horse battery"
	c.env["MUSTER_AUTH_CACHE_TTL"] = "1m"
	app, _ := startApp(t, c, false)
	code, stdout, stderr := c.run("users", "token", "--name", "lms", "admin")
	secret := regexp.MustCompile(`mst_[A-Za-z0-9_-]+`).FindString(stdout)
	if code != exitOK || secret == "" {
		t.Fatalf("users token: exit %d\n%s%s", code, stdout, stderr)
	}
	get := func() int {
		t.Helper()
		rq, _ := http.NewRequest("GET", app.URL()+"/api/v1/session", nil)
		rq.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(rq)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get(); got != http.StatusOK {
		t.Fatalf("the new token: %d", got)
	}
	if code, stdout, stderr := c.run("users", "reset", "admin"); code != exitOK {
		t.Fatalf("users reset: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := get(); got != http.StatusUnauthorized {
		t.Errorf("the token after a forwarded reset of its account: %d, want 401", got)
	}
}
