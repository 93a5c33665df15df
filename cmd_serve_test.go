package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/testenv"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// startApp runs `muster serve` in-process on 127.0.0.1:0 for the data
// directory of c, and stops it when the test ends.
func startApp(t *testing.T, c *cli, demo bool) (*App, *testenv.Buffer) {
	t.Helper()
	cfg := defaultConfig()
	if err := cfg.fromEnv(func(k string) string { return c.env[k] }); err != nil {
		t.Fatal(err)
	}
	cfg.Addr = "127.0.0.1:0"
	out := &testenv.Buffer{}
	app := &App{Config: cfg, Clock: c.now, Out: out, Demo: demo}
	ctx, cancel := context.WithCancel(context.Background())
	if err := app.Open(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := app.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, err := os.Stat(filepath.Join(cfg.DataDir, serveFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("serve.json left behind after stop (%v)", err)
		}
	})
	// serve.json appears once the server listens.
	path := filepath.Join(cfg.DataDir, serveFile)
	for i := 0; ; i++ {
		if _, err := os.Stat(path); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if i > 1000 {
			t.Fatal("serve.json never appeared")
		}
	}
	return app, out
}

// TestServeForwarding: while serve holds the bolt file, CLI commands run
// inside it, say so, and return the same results and exit codes.
func TestServeForwarding(t *testing.T) {
	c := newCLI(t)
	c.env["MUSTER_ADMIN_PASSWORD"] = "correct horse battery"
	app, out := startApp(t, c, false)

	if !strings.Contains(out.String(), `Created the first account: user "admin" with the password in MUSTER_ADMIN_PASSWORD`) {
		t.Errorf("serve output: %q", out.String())
	}
	if strings.Contains(out.String(), "correct horse") {
		t.Error("serve printed the admin password from the environment")
	}
	fi, err := os.Stat(filepath.Join(c.env["MUSTER_DATA_DIR"], serveFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("serve.json mode %v (%v), want 0600", fi.Mode(), err)
	}
	resp, err := http.Get(app.URL() + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	code, stdout, stderr := c.run("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	if code != exitOK || !strings.Contains(stderr, "muster: forwarded to the running server at "+app.URL()) || !strings.Contains(stdout, "officers added") {
		t.Fatalf("forwarded import: exit %d\nstdout:\n%.500s\nstderr:\n%s", code, stdout, stderr)
	}
	c.importSamplesRest()
	code, stdout, _ = c.run("report", "--as-of", "2026-11-24", "--format", "json")
	var r training.Report
	if code != exitOK || json.Unmarshal([]byte(stdout), &r) != nil || r.Courses[0].Required != 302 || r.Courses[0].Compliant != 115 {
		t.Errorf("forwarded report: exit %d\n%.300s", code, stdout)
	}

	// Errors come back as the command's exit code and message.
	code, _, stderr = c.run("report", "--course", "basket-weaving")
	if code != exitFail || !strings.Contains(stderr, `there is no course with id "basket-weaving"`) {
		t.Errorf("forwarded error: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = c.run("import", "--full", filepath.Join(samplesDir, "4_roster_full_next_month.xlsx"))
	if code != exitFail {
		t.Errorf("forwarded re-import: exit %d, stderr %q", code, stderr)
	}

	// Output files are written by the CLI.
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "r.xlsx")
	if code, _, stderr := c.run("report", "--as-of", "2026-11-24", "--out", xlsx); code != exitOK {
		t.Fatalf("forwarded --out: exit %d %s", code, stderr)
	}
	if b, err := os.ReadFile(xlsx); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("forwarded xlsx: %v, %.10q", err, b)
	}
	backup := filepath.Join(dir, "b.db")
	if code, _, stderr := c.run("backup", backup); code != exitOK {
		t.Fatalf("forwarded backup: exit %d %s", code, stderr)
	}
	if fi, err := os.Stat(backup); err != nil || fi.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
	if code, _, stderr := c.run("courses", "apply", "testdata/courses/good.yaml"); code != exitOK {
		t.Errorf("forwarded courses apply: exit %d %s", code, stderr)
	}

	// A wrong token is refused.
	req, _ := http.NewRequest(http.MethodPost, app.URL()+"/api/v1/cli", strings.NewReader(""))
	req.Header.Set("Authorization", "Bearer wrong")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %v %v", resp.Status, err)
	}
	resp.Body.Close()
}

// importSamplesRest imports samples 2-4 (after 1).
func (c *cli) importSamplesRest() {
	c.t.Helper()
	c.must("import", filepath.Join(samplesDir, "2_lms_export.csv"))
	c.must("import", filepath.Join(samplesDir, "3_legacy_export.csv"))
	c.must("import", "--full", filepath.Join(samplesDir, "4_roster_full_next_month.xlsx"))
}

// TestServeFirstRun: an empty store gets an admin with a printed one-time
// password that the server's own check accepts; --demo loads a force into
// an empty store only.
func TestServeFirstRun(t *testing.T) {
	c := newCLI(t)
	func() {
		app, out := startApp(t, c, true)
		text := out.String()
		_, after, ok := strings.Cut(text, "one-time password ")
		if !ok {
			t.Fatalf("no one-time password printed: %q", text)
		}
		pw := strings.Fields(after)[0]
		u, err := app.store.User(context.Background(), "admin")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := accounts.CheckPassword(pw, u.PasswordHash); !ok || err != nil || !u.MustChangePassword || u.Role != training.RoleAdmin {
			t.Errorf("admin account: ok=%v err=%v %+v", ok, err, u)
		}
		page, err := app.store.Audit(context.Background(), training.AuditQuery{Action: training.AuditAccountChanged})
		if err != nil || len(page.Events) != 1 || page.Events[0].Actor != "system" || page.Events[0].TargetID != "admin" {
			t.Errorf("the first admin is not in the audit trail: %+v %v", page.Events, err)
		}
		if !strings.Contains(text, "Loaded DEMO DATA: 3000 made-up officers") {
			t.Errorf("demo not announced: %q", text)
		}
	}()
}

func TestServeDemoRefusesRealData(t *testing.T) {
	c := newCLI(t)
	c.must("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	cfg := defaultConfig()
	cfg.DataDir = c.env["MUSTER_DATA_DIR"]
	cfg.Addr = "127.0.0.1:0"
	app := &App{Config: cfg, Clock: c.now, Demo: true}
	err := app.Open(context.Background())
	if !errors.Is(err, errNotEmpty) {
		t.Errorf("Open with --demo on a roster: %v", err)
	}
	app.Close()
	// And through the command: one line, non-zero.
	code, _, stderr := c.run("serve", "--demo", "--addr", "127.0.0.1:0")
	if code != exitFail || !strings.HasPrefix(lastLine(stderr), "muster: --demo loads made-up officers only into an empty store") {
		t.Errorf("serve --demo on a roster: exit %d, stderr %q", code, stderr)
	}
}

func TestUsers(t *testing.T) {
	c := newCLI(t)
	out := c.must("users", "add", "--role", "manager", "--unit", "Frontline Policing/South", "--email", "M.Jones@Example.org", "m.jones")
	_, after, _ := strings.Cut(out, "One-time password: ")
	pw := strings.Fields(after)[0]

	ctx := context.Background()
	cfg := defaultConfig()
	cfg.DataDir = c.env["MUSTER_DATA_DIR"]
	check := func(f func(st training.Store)) {
		t.Helper()
		st, err := openStore(ctx, &cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f(st)
	}
	check(func(st training.Store) {
		u, err := st.User(ctx, "m.jones")
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := accounts.CheckPassword(pw, u.PasswordHash); !ok || u.Units[0] != "Frontline Policing / South" || u.Email != "m.jones@example.org" {
			t.Errorf("user: %+v (password ok %v)", u, ok)
		}
	})
	list := c.must("users", "list")
	if !strings.Contains(list, "m.jones") || !strings.Contains(list, "Frontline Policing / South") {
		t.Errorf("list:\n%s", list)
	}
	out = c.must("users", "reset", "m.jones")
	_, after, _ = strings.Cut(out, "m.jones: ")
	pw2 := strings.Fields(after)[0]
	check(func(st training.Store) {
		u, _ := st.User(ctx, "m.jones")
		if ok, _ := accounts.CheckPassword(pw2, u.PasswordHash); !ok || pw2 == pw {
			t.Error("reset password does not verify")
		}
	})
	out = c.must("users", "token", "--name", "learning platform", "m.jones")
	_, after, _ = strings.Cut(out, "(learning platform): ")
	secret := strings.Fields(after)[0]
	if !strings.HasPrefix(secret, training.TokenPrefix) {
		t.Fatalf("token %q", secret)
	}

	// The server accepts the token the CLI made.
	app, _ := startApp(t, c, false)
	req, _ := http.NewRequest(http.MethodGet, app.URL()+"/api/v1/courses", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("API with the CLI's token: %s", resp.Status)
	}

	for _, bad := range [][]string{
		{"users", "add", "--role", "boss", "x.y"},
		{"users", "add", "--role", "hr", "X Y"},
		{"users", "add", "--role", "manager", "lonely"},
		{"users", "add", "--role", "hr", "--email", "nobody", "x.y"},
		{"users", "token", "--name", " ", "m.jones"},
		{"users", "token", "--name", "lms", "--expires-days", "3651", "m.jones"},
	} {
		if code, _, _ := c.run(bad...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, exitUsage)
		}
	}
	if code, _, stderr := c.run("users", "add", "--role", "hr", "m.jones"); code != exitFail || !strings.Contains(stderr, `user "m.jones"`) {
		t.Errorf("duplicate user: exit %d %q", code, stderr)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestPlanForward(t *testing.T) {
	tests := []struct {
		args   []string
		sent   string
		inputs string
		out    string
	}{
		{[]string{"import", "--full", "dir/roster.xlsx", "--sheet", "Roster Data"}, "import|--full|roster.xlsx|--sheet|Roster Data", "roster.xlsx=dir/roster.xlsx", ""},
		{[]string{"import", "--sheet=x.csv", "a/b.csv"}, "import|--sheet=x.csv|b.csv", "b.csv=a/b.csv", ""},
		{[]string{"report", "--as-of", "2026-11-24", "--out", "r.xlsx"}, "report|--as-of|2026-11-24|--format|xlsx", "", "r.xlsx"},
		{[]string{"report", "--out=r.csv", "--format", "json"}, "report|--format|json", "", "r.csv"},
		{[]string{"officers", "list", "--out", "o.csv"}, "officers|list|--format|csv", "", "o.csv"},
		{[]string{"courses", "apply", "conf/c.yaml"}, "courses|apply|c.yaml", "c.yaml=conf/c.yaml", ""},
		{[]string{"backup", "/backups/m.db"}, "backup|-", "", "/backups/m.db"},
		{[]string{"officers", "show", "0012345"}, "officers|show|0012345", "", ""},
		// A flag's value is never taken for a file, whatever it looks like:
		// the command's own flag set says which flags take one.
		{[]string{"report", "--unit", "North.csv", "--course", "cse.yaml"}, "report|--unit|North.csv|--course|cse.yaml", "", ""},
		{[]string{"import", "--format", "json", "r.csv"}, "import|--format|json|r.csv", "r.csv=r.csv", ""},
		{[]string{"import", "--full", "r.csv", "--yes"}, "import|--full|r.csv|--yes", "r.csv=r.csv", ""},
		{[]string{"officers", "list", "--unit", "x.xlsx", "--out", "o.json"}, "officers|list|--unit|x.xlsx|--format|json", "", "o.json"},
		{[]string{"users", "token", "--name", "backup.db", "alice"}, "users|token|--name|backup.db|alice", "", ""},
		{[]string{"courses", "apply", "--dry-run", "c.yaml"}, "courses|apply|--dry-run|c.yaml", "c.yaml=c.yaml", ""},
		{[]string{"backup", "-"}, "backup|-", "", ""},
	}
	for _, tt := range tests {
		p, err := planForward(tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		var in []string
		for k, v := range p.inputs {
			in = append(in, k+"="+v)
		}
		if got := strings.Join(p.args, "|"); got != tt.sent || strings.Join(in, ",") != tt.inputs || p.out != tt.out {
			t.Errorf("%q: sent %q inputs %q out %q; want %q %q %q", tt.args, got, in, p.out, tt.sent, tt.inputs, tt.out)
		}
	}
	if _, err := planForward([]string{"report", "--out"}); err == nil {
		t.Error("--out without a file name was accepted")
	}
}
