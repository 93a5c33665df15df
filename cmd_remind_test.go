package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
)

// TestRemind: the dry run lists who would get what and why and sends
// nothing; the real run writes each reminder once (as .eml without SMTP),
// and a second run sends nothing again.
func TestRemind(t *testing.T) {
	c := newCLI(t)
	c.importSamples()
	mailDir := filepath.Join(c.env["MUSTER_DATA_DIR"], "mail")

	out := c.must("remind", "--dry-run", "--as-of", "2026-11-24")
	if !strings.HasPrefix(out, "Reminders as of 2026-11-24: ") || !strings.Contains(out, "WHY") {
		t.Errorf("dry run output:\n%.800s", out)
	}
	var plan jobs.Plan
	if err := json.Unmarshal([]byte(c.must("remind", "--dry-run", "--as-of", "2026-11-24", "--format", "json")), &plan); err != nil {
		t.Fatal(err)
	}
	if plan.Counts.ToRemind == 0 || plan.Counts.ToRemind != len(plan.Reminders) {
		t.Fatalf("plan counts %+v with %d reminders", plan.Counts, len(plan.Reminders))
	}
	if files, _ := os.ReadDir(mailDir); len(files) != 0 {
		t.Fatalf("a dry run wrote %d mails", len(files))
	}

	code, _, stderr := c.run("remind", "--as-of", "2026-11-24")
	if code != exitOK || !strings.Contains(stderr, "written as .eml files") {
		t.Fatalf("remind: exit %d\n%s", code, stderr)
	}
	files, _ := os.ReadDir(mailDir)
	if len(files) != plan.Counts.ToRemind {
		t.Errorf("%d mails written, want one per officer (%d)", len(files), plan.Counts.ToRemind)
	}

	// Each reminder goes out once, ever.
	var again jobs.Plan
	if err := json.Unmarshal([]byte(c.must("remind", "--dry-run", "--as-of", "2026-11-24", "--format", "json")), &again); err != nil {
		t.Fatal(err)
	}
	if again.Counts.ToRemind != 0 || again.Counts.AlreadySent == 0 {
		t.Errorf("after sending: %+v", again.Counts)
	}
	c.must("remind", "--as-of", "2026-11-24")
	if files2, _ := os.ReadDir(mailDir); len(files2) != len(files) {
		t.Errorf("second run wrote %d more mails", len(files2)-len(files))
	}
}
