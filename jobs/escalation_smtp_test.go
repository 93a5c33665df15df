package jobs_test

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
)

// TestEscalatedSectionArrivesOverSMTP sends the week's digests through a
// real SMTP server process (aiosmtpd) and reads what it received: the
// line manager's manager and the unit above get the Escalated section in
// both the text and the HTML part, worded as pages word the status.
func TestEscalatedSectionArrivesOverSMTP(t *testing.T) {
	r := mailtest.StartRelay(t)
	r.Set(mailtest.RelayControl{KeepRaw: true})
	st := newBolt(t)
	escalationForce(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, relaySender(t, r), c, "one")
	mustRun(t, s, jobs.JobDigests, false, asOf)
	run := mustRun(t, s, jobs.JobSender, false, asOf)
	if run.Counts["sent"] != 8 {
		t.Fatalf("sender: %v, want 8 digests sent", run.Counts)
	}
	got := map[string][]string{} // recipient -> text, html
	for _, d := range r.Deliveries() {
		text, html, err := mailtest.Parts(d.Raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, to := range d.To {
			got[to] = []string{text, html}
		}
	}
	for to, wants := range map[string][]string{
		"insp@force.example":  {"Escalated", "Amy Late (AMY)", "line manager Sam Sergeant", "CSE recognition: Overdue — was due 01/04/2026 (237 days overdue)", "Gus Top (GUS)"},
		"north@force.example": {"Escalated", "Amy Late (AMY)", "Ben Nomanager (BEN)", "Cal Loop (CAL)", "Ida Orphan (IDA)", "Overdue — was due 01/04/2026 (237 days overdue)"},
		"front@force.example": {"Escalated", "Hal South (HAL)", "Frontline / South"},
	} {
		parts, ok := got[to]
		if !ok {
			t.Errorf("nothing arrived for %s", to)
			continue
		}
		for i, part := range parts {
			for _, want := range wants {
				if !strings.Contains(part, want) {
					t.Errorf("%s, %s part lacks %q:\n%s", to, []string{"text", "html"}[i], want, part)
				}
			}
		}
	}
	for _, to := range []string{"sgt@force.example", "resp@force.example", "hrnorth@force.example"} {
		if parts := got[to]; len(parts) == 0 || strings.Contains(parts[0], "Escalated") || strings.Contains(parts[1], "Escalated") {
			t.Errorf("%s: want a digest without an Escalated section, got %v", to, parts)
		}
	}
}
