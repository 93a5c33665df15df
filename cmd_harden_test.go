package main

import (
	"context"
	"strings"
	"testing"
)

// TestUsersResetRevokesTokens: `muster users reset` ends the user's API
// tokens, as the web service's reset does.
func TestUsersResetRevokesTokens(t *testing.T) {
	c := newCLI(t)
	c.must("users", "add", "--role", "hr", "h.r")
	c.must("users", "token", "--name", "script", "h.r")
	cfg := defaultConfig()
	cfg.DataDir = c.env["MUSTER_DATA_DIR"]
	count := func() int {
		st, err := openStore(context.Background(), &cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		toks, err := st.Tokens(context.Background(), "h.r")
		if err != nil {
			t.Fatal(err)
		}
		return len(toks)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d tokens before the reset", n)
	}
	c.must("users", "reset", "h.r")
	if n := count(); n != 0 {
		t.Fatalf("%d tokens after the reset", n)
	}
}

// TestSecuritySettings: bad values stop the command with the variable's name.
func TestSecuritySettings(t *testing.T) {
	for _, tt := range []struct{ name, value, want string }{
		{"MUSTER_TRUSTED_PROXIES", "10.0.0.0/33", "MUSTER_TRUSTED_PROXIES"},
		{"MUSTER_TRUSTED_PROXIES", "proxy.example", "MUSTER_TRUSTED_PROXIES"},
		{"MUSTER_ONE_TIME_PASSWORD_TTL", "three days", "MUSTER_ONE_TIME_PASSWORD_TTL"},
		{"MUSTER_IMPORTS_PER_USER", "0", "MUSTER_IMPORTS_PER_USER"},
		{"MUSTER_PREVIEW_MB_PER_USER", "10", "MUSTER_PREVIEW_MB_PER_USER"},
		// What serve refuses, config refuses too (issue 23).
		{"MUSTER_SMTP_FROM", "training@force.police.uk\r\nBcc: all@force.police.uk", "MUSTER_SMTP_FROM must not contain a line break"},
		{"MUSTER_SMTP_FROM", "not an address", "MUSTER_SMTP_FROM"},
		{"MUSTER_SMTP_REPLY_TO", "a@b.uk\nX: y", "MUSTER_SMTP_REPLY_TO"},
	} {
		c := newCLI(t)
		c.env[tt.name] = tt.value
		code, _, stderr := c.run("config")
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s=%q: exit %d, %q", tt.name, tt.value, code, stderr)
		}
	}
	c := newCLI(t)
	c.env["MUSTER_TRUSTED_PROXIES"] = "10.0.0.5, 192.168.0.0/16"
	c.env["MUSTER_METRICS_TOKEN"] = "a-metrics-secret"
	out := c.must("config")
	if !strings.Contains(out, "192.168.0.0/16") || strings.Contains(out, "a-metrics-secret") {
		t.Errorf("config:\n%s", out)
	}
}
