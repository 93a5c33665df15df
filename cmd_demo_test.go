package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
)

// TestServeDemoWritesNoMail: `serve --demo` on a new store marks the
// reminder and digest catch-up as done, says so and where "Run now" would
// write, and leaves the outbox and the mail folder empty once stopped.
func TestServeDemoWritesNoMail(t *testing.T) {
	c := newCLI(t)
	t.Run("serve", func(t *testing.T) {
		app, out := startApp(t, c, true)
		text := out.String()
		if !strings.Contains(text, "DEMO: reminders and digests do not run on their own") ||
			!strings.Contains(text, filepath.Join(app.Config.DataDir, "mail")) {
			t.Errorf("serve --demo does not say what it did with the catch-up mail: %q", text)
		}
		runs, err := app.store.JobRuns(context.Background(), jobs.JobReminders, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Counts[jobs.CountMarkedDone] < 1000 {
			t.Errorf("reminder runs after serve --demo: %+v, want one marked done instead of the catch-up of thousands", runs)
		}
	})
	// Stopped: every job that started has finished.
	if out := c.must("outbox"); !strings.Contains(out, "Outbox: 0 queued, 0 sent, 0 failed.") {
		t.Errorf("serve --demo queued mail: %s", out)
	}
	emls, _ := filepath.Glob(filepath.Join(c.env["MUSTER_DATA_DIR"], "mail", "*.eml"))
	if len(emls) > 0 {
		t.Errorf("serve --demo wrote %d emails", len(emls))
	}
}

// TestDropFrom: the .eml files' sender is MUSTER_SMTP_FROM, else an
// address at the service's host name, and muster@localhost only without one.
func TestDropFrom(t *testing.T) {
	for _, tc := range []struct{ from, base, want string }{
		{"Training <training@force.police.uk>", "https://muster.force.police.uk", "Training <training@force.police.uk>"},
		{"", "https://muster.force.police.uk/", "Muster <muster@muster.force.police.uk>"},
		{"", "", "Muster <muster@localhost>"},
		{"", "http://10.0.0.5:8080", "Muster <muster@localhost>"},
	} {
		c := defaultConfig()
		c.SMTP.From, c.BaseURL = tc.from, tc.base
		if got := c.dropFrom(); got != tc.want {
			t.Errorf("From %q, base %q: %q, want %q", tc.from, tc.base, got, tc.want)
		}
	}
}
