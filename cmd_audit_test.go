package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// TestAuditAndSubjectAccessCLI: commands record with actor "cli", `muster
// audit` finds them, `muster officers export` writes the subject access
// file, on the embedded store and on Redis (in-process and real).
func TestAuditAndSubjectAccessCLI(t *testing.T) {
	t.Run("bolt", func(t *testing.T) { auditCLI(t, newCLI(t)) })
	t.Run("miniredis", func(t *testing.T) {
		c := newCLI(t)
		c.env["MUSTER_REDIS_URL"] = "redis://" + miniredis.RunT(t).Addr()
		auditCLI(t, c)
	})
	t.Run("redis", func(t *testing.T) {
		c := newCLI(t)
		c.env["MUSTER_REDIS_URL"] = "redis://" + startRedisServer(t)
		c.env["MUSTER_REDIS_PREFIX"] = "cli-audit"
		auditCLI(t, c)
	})
}

func auditCLI(t *testing.T, c *cli) {
	// A clock that moves a second each time it is read, so events have an order.
	tick := 0
	c.now = func() time.Time { tick++; return fixedNow.Add(time.Duration(tick) * time.Second) }
	dir := t.TempDir()
	roster := filepath.Join(dir, "Jane Doe's roster.csv")
	if err := os.WriteFile(roster, []byte("Officer ID,Name,Unit,Email\n0042,Jane Doe,North / Team 1,jane@police.example\n43,=HYPERLINK(\"x\"),North / Team 1,x@police.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.must("import", "--yes", roster)
	c.must("officers", "show", "42")

	var events []training.AuditEvent
	if err := json.Unmarshal([]byte(c.must("audit", "--format", "json")), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != training.AuditOfficerViewed || events[0].TargetID != "42" || events[0].Actor != "cli" ||
		events[1].Action != training.AuditUpload || events[1].Actor != "cli" {
		t.Fatalf("events: %+v", events)
	}
	for _, e := range events {
		if strings.Contains(e.Detail+e.TargetID, "Jane") {
			t.Errorf("personal data in %+v", e)
		}
	}
	table := c.must("audit", "--officer", "0042")
	if !strings.Contains(table, "officer_viewed") || strings.Contains(table, "upload") {
		t.Errorf("audit --officer 0042:\n%s", table)
	}

	out := filepath.Join(dir, "sar.xlsx")
	_, _, errOut := c.run("officers", "export", "42", "--out", out)
	if !strings.Contains(errOut, "wrote everything held about officer 42") {
		t.Fatalf("export: %s", errOut)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := f.GetCellValue("Officer", "B4")
	audited, _ := f.GetCellValue("Audit", "C2")
	f.Close()
	if name != "Jane Doe" || audited != string(training.AuditOfficerViewed) {
		t.Errorf("workbook: name %q, audit %q", name, audited)
	}
	jsonOut := filepath.Join(dir, "sar.json")
	c.must("officers", "export", "--out", jsonOut, "42")
	b, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	var sa training.SubjectAccess
	if err := json.Unmarshal(b, &sa); err != nil || sa.Officer.Email != "jane@police.example" || len(sa.Imports) != 1 {
		t.Errorf("json export: %v %+v", err, sa)
	}

	// The exports themselves are in the trail; csv cells are safe to open.
	csvOut := c.must("audit", "--action", "subject_access_export", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][1] != "cli" || rows[1][4] != "42" {
		t.Errorf("subject access events: %v %q", err, rows)
	}

	// Mistakes: clear messages, exit 2 (usage) or 1 (not found).
	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"audit", "--action", "delete_all"}, exitUsage, `action "delete_all" is not one of`},
		{[]string{"audit", "--from", "last week"}, exitUsage, "must be a date"},
		{[]string{"audit", "--format", "xlsx"}, exitUsage, "--format"},
		{[]string{"officers", "export", "42"}, exitUsage, "add --out"},
		{[]string{"officers", "export", "--out", filepath.Join(dir, "x.json"), "999"}, exitFail, "officer 999"},
	} {
		code, _, errOut := c.run(bad.args...)
		if code != bad.code || !strings.Contains(errOut, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", bad.args, code, errOut, bad.code, bad.want)
		}
	}
}

// TestRetentionConfig: the retention settings are read, checked with a
// sentence naming the variable, and shown by `muster config`.
func TestRetentionConfig(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"MUSTER_RETAIN_LEAVERS_MONTHS": "-1"}, "MUSTER_RETAIN_LEAVERS_MONTHS -1 must be"},
		{map[string]string{"MUSTER_RETAIN_AUDIT_MONTHS": "two years"}, "MUSTER_RETAIN_AUDIT_MONTHS"},
		{map[string]string{"MUSTER_SCHEDULE_RETENTION": "nightly"}, "MUSTER_SCHEDULE_RETENTION"},
	} {
		cfg := defaultConfig()
		err := cfg.fromEnv(func(k string) string { return tt.env[k] })
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one with %q", tt.env, err, tt.want)
		}
	}
	c := newCLI(t)
	c.env["MUSTER_RETAIN_LEAVERS_MONTHS"] = "72"
	out := squash(c.must("config"))
	for _, want := range []string{"MUSTER_RETAIN_IMPORT_REPORTS_MONTHS 24 ", "MUSTER_RETAIN_LEAVERS_MONTHS 72 ", "MUSTER_RETAIN_AUDIT_MONTHS 24 ", "MUSTER_SCHEDULE_RETENTION 15 1 * * *"} {
		if !strings.Contains(out, want) {
			t.Errorf("config output lacks %q:\n%s", want, out)
		}
	}
	cfg := defaultConfig()
	if p := cfg.retention(); p != training.DefaultRetention() {
		t.Errorf("default settings give %+v, want the domain's defaults %+v", p, training.DefaultRetention())
	}
}
