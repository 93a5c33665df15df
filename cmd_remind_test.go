package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
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
	// The run's counts read as on the Jobs page (jobs.RunSummary).
	if want := "reminders queued to be written to files."; !strings.Contains(stderr, want) {
		t.Errorf("remind's summary lacks %q:\n%s", want, stderr)
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

// TestRemindRelayRefusesSender: a relay refusing the sender address makes
// `muster remind` exit non-zero and say so; nothing is marked failed, the
// outbox command shows the relay down, and once the relay is fixed a run
// delivers every reminder once. A failed message can be re-queued.
func TestRemindRelayRefusesSender(t *testing.T) {
	srv := mailtest.New(t)
	srv.RejectSender(550)
	c := newCLI(t)
	useRelay(c, srv)
	c.importSamples()

	code, _, stderr := c.run("remind", "--as-of", "2026-11-24")
	if code != exitFail || !strings.Contains(stderr, "550") || !strings.Contains(stderr, "stays queued") {
		t.Fatalf("remind with the sender refused: exit %d\n%s", code, stderr)
	}
	out := c.must("outbox", "--state", "failed")
	if !strings.Contains(out, "DOWN") || !strings.Contains(out, "0 failed") {
		t.Errorf("outbox while refused:\n%s", out)
	}
	srv.RejectSender(0)
	c.must("remind", "--as-of", "2026-11-24")
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.MessageID()]++
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if len(got) == 0 {
		t.Fatal("nothing delivered after the relay was fixed")
	}
	if out := c.must("outbox"); !strings.Contains(out, "answering") || !strings.Contains(out, "0 queued") {
		t.Errorf("outbox after recovery:\n%s", out)
	}
	if code, _, stderr := c.run("outbox", "requeue", "no-such-message"); code != exitFail || !strings.Contains(stderr, "no-such-message") {
		t.Errorf("requeue of an unknown message: exit %d %s", code, stderr)
	}
	if code, _, _ := c.run("outbox", "requeue"); code != exitUsage {
		t.Errorf("requeue without IDs: exit %d", code)
	}
	if out := c.must("outbox", "requeue", "--failed"); !strings.Contains(out, "Re-queued 0") {
		t.Errorf("requeue --failed: %s", out)
	}
}

// TestRemindExitsNonZeroOnPermanentFailure: a relay refusing one
// recipient for good (550) makes `muster remind` deliver the others and
// exit 1 saying how many failed, so that a cron wrapper sees it.
func TestRemindExitsNonZeroOnPermanentFailure(t *testing.T) {
	srv := mailtest.New(t)
	c := newCLI(t)
	useRelay(c, srv)
	c.importSamples()
	var plan jobs.Plan
	if err := json.Unmarshal([]byte(c.must("remind", "--dry-run", "--as-of", "2026-11-24", "--format", "json")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Reminders) < 2 {
		t.Fatalf("%d reminders planned", len(plan.Reminders))
	}
	srv.Reject(plan.Reminders[0].Email, 550)
	code, _, stderr := c.run("remind", "--as-of", "2026-11-24")
	if code != exitFail || !strings.Contains(stderr, "1 message(s) failed permanently") {
		t.Fatalf("remind with one recipient refused: exit %d\n%s", code, stderr)
	}
	if n := len(srv.Messages()); n != len(plan.Reminders)-1 {
		t.Errorf("%d delivered, want the other %d", n, len(plan.Reminders)-1)
	}
}

// useRelay points the CLI's mail at the test SMTP server.
func useRelay(c *cli, srv *mailtest.Server) {
	c.env["MUSTER_SMTP_HOST"] = srv.Host()
	c.env["MUSTER_SMTP_PORT"] = strconv.Itoa(srv.Port())
	c.env["MUSTER_SMTP_TLS"] = "none"
	c.env["MUSTER_SMTP_FROM"] = "Training <training@force.example>"
}
