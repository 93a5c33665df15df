package main

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForwardedCommandsTouchNoFiles: with the serve.json token one can
// post any command to POST /api/v1/cli; none of them writes or reads a
// file on the server's side (issue: `backup FILE` and `--out FILE` were
// written by the server, as the server's user).
func TestForwardedCommandsTouchNoFiles(t *testing.T) {
	c := newCLI(t)
	c.env["MUSTER_ADMIN_PASSWORD"] = "correct horse battery"
	startApp(t, c, false)
	b, err := os.ReadFile(filepath.Join(c.env["MUSTER_DATA_DIR"], serveFile))
	if err != nil {
		t.Fatal(err)
	}
	var info serveInfo
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	post := func(args ...string) (string, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, a := range args {
			mw.WriteField("arg", a)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", info.URL+"/api/v1/cli", &buf)
		req.Header.Set("Authorization", "Bearer "+info.Token)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		return resp.Header.Get("X-Muster-Exit"), body.String()
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(secret, []byte("Officer ID,Name,Unit\nZ1,Secret Person,Nowhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args  []string
		wrote string // a file that must not appear
	}{
		{[]string{"backup", filepath.Join(dir, "stolen.db")}, filepath.Join(dir, "stolen.db")},
		{[]string{"report", "--out", filepath.Join(dir, "r.csv")}, filepath.Join(dir, "r.csv")},
		{[]string{"report", "--out=" + filepath.Join(dir, "r2.json")}, filepath.Join(dir, "r2.json")},
		{[]string{"officers", "list", "--out", filepath.Join(dir, "o.xlsx")}, filepath.Join(dir, "o.xlsx")},
		{[]string{"import", secret}, ""},
		{[]string{"import", "--dry-run", secret}, ""},
		{[]string{"courses", "apply", "testdata/courses/good.yaml"}, ""},
	} {
		exit, body := post(tt.args...)
		if exit == "0" {
			t.Errorf("%q ran inside the server: %.200s", tt.args, body)
		}
		if tt.wrote != "" {
			if _, err := os.Stat(tt.wrote); !os.IsNotExist(err) {
				t.Errorf("%q: the server wrote %s", tt.args, tt.wrote)
			}
			if !strings.Contains(body, "never by the server") {
				t.Errorf("%q: %q", tt.args, body)
			}
		} else if !strings.Contains(body, "not sent with the command") {
			t.Errorf("%q read a file on the server's side: %.200s", tt.args, body)
		}
	}
	// The same commands through the CLI write their files here.
	out := filepath.Join(dir, "mine.csv")
	if code, _, stderr := c.run("report", "--out", out); code != exitOK {
		t.Fatalf("forwarded report --out: %d %s", code, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the CLI did not write %s: %v", out, err)
	}
}

// TestForwardTableMatchesFlags: every file role in the command table
// names a flag the command really has, so the table and the flags
// cannot drift apart.
func TestForwardTableMatchesFlags(t *testing.T) {
	for _, cmd := range commands() {
		if !cmd.forward {
			continue
		}
		args := []string{}
		if cmd.files.inputs != "" && cmd.files.inputs != "*" {
			args = []string{cmd.files.inputs}
		}
		switch cmd.name {
		case "officers":
			args = []string{"list"}
		case "users", "mappings", "registers":
			args = []string{"list"}
		}
		fs := probeFlags(cmd, args)
		if fs == nil {
			t.Errorf("%s: no flag set found by probing", cmd.name)
			continue
		}
		if f := cmd.files.outFlag; f != "" && fs.Lookup(f) == nil {
			t.Errorf("%s: the table names --%s, which the command does not have", cmd.name, f)
		}
	}
}
