package jobs_test

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
)

func TestDigestsOncePerRecipientAndWeek(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	addUsers(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
	r := mustRun(t, s, jobs.JobDigests, false, asOf)
	if r.Counts["line_managers"] != 1 || r.Counts["unit_users"] != 2 || r.Counts["enqueued"] != 3 {
		t.Fatalf("counts %v, want 1 line manager, 2 unit users, 3 enqueued", r.Counts)
	}
	var line, supt string
	for _, m := range outbox(t, st) {
		switch m.To {
		case "priya.taylor@force.example":
			line = m.Text
			if len(m.LedgerKeys) != 1 || m.LedgerKeys[0] != "digest|line|1003|2026-W48" {
				t.Errorf("line digest keys %v", m.LedgerKeys)
			}
		case "supt@force.example":
			supt = m.Text
		}
	}
	// Both reports appear (one named by email, one by ID); overdue first
	// in counts, compliant colleagues never.
	for _, want := range []string{"Aisha Khan", "Tom O'Brien", "1 of the people who report to you has overdue", "1 has training due soon"} {
		if !strings.Contains(line, want) {
			t.Errorf("line digest lacks %q:\n%s", want, line)
		}
	}
	for _, want := range []string{"Frontline\n", "Nowhere / Empty", "Frontline / South / CID, Trauma-informed communication: 0.0%"} {
		if !strings.Contains(supt, want) {
			t.Errorf("unit digest lacks %q:\n%s", want, supt)
		}
	}

	// The same week: nothing. The next week: again.
	c.Add(48 * 3600e9)
	if r := mustRun(t, s, jobs.JobDigests, false, asOf.AddDays(2)); r.Counts["enqueued"] != 0 || r.Counts["already_sent"] != 3 {
		t.Errorf("same week: %v", r.Counts)
	}
	if r := mustRun(t, s, jobs.JobDigests, false, asOf.AddDays(7)); r.Counts["enqueued"] != 3 {
		t.Errorf("next week: %v", r.Counts)
	}
}
