package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// TestRemindKilledMidBatch kills `muster remind` (SIGKILL, a real
// process) while it sends to a real relay (aiosmtpd), several times, and
// restarts it each time. The guarantee (README, "Delivery"): each
// reminder is planned once; a crash can duplicate at most the messages in
// flight when it happened (one per connection, jobs.DefaultConnections),
// and only those the relay had accepted; the
// restarted process sends that message again (same Message-ID), so
// nothing is lost. The counts are logged.
func TestRemindKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("real processes")
	}
	r := mailtest.StartRelay(t)
	r.Set(mailtest.RelayControl{DataDelay: 0.03}) // a batch takes a while
	c := newCLI(t)
	smtp := map[string]string{"MUSTER_SMTP_HOST": r.Host, "MUSTER_SMTP_PORT": strconv.Itoa(r.Port),
		"MUSTER_SMTP_TLS": "none", "MUSTER_SMTP_FROM": "Training <training@force.example>"}
	for k, v := range smtp {
		c.env[k] = v
	}
	c.importSamples()
	var plan jobs.Plan
	if err := json.Unmarshal([]byte(c.must("remind", "--dry-run", "--as-of", "2026-11-24", "--format", "json")), &plan); err != nil {
		t.Fatal(err)
	}
	total := plan.Counts.ToRemind
	if total < 40 {
		t.Fatalf("only %d reminders planned; the test needs a batch", total)
	}
	remind := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "remind", "--as-of", "2026-11-24")
		cmd.Env = append(os.Environ(), "MUSTER_TEST_AS_MAIN=1", "MUSTER_DATA_DIR="+c.env["MUSTER_DATA_DIR"])
		for k, v := range smtp {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		return cmd
	}
	const kills = 5
	for k := range kills {
		before := len(r.Deliveries())
		cmd := remind()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill once a few more messages went, at a moment the relay picks.
		for i := 0; len(r.Deliveries()) < before+total/(kills+3) && i < 3000; i++ {
			time.Sleep(5 * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		d := 0
		for _, n := range r.Counts() {
			d += n - 1
		}
		t.Logf("kill %d after %d deliveries; %d duplicates so far", k+1, len(r.Deliveries()), d)
	}
	if out, err := remind().CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	counts := r.Counts()
	dups := 0
	for _, n := range counts {
		dups += n - 1
	}
	t.Logf("%d reminders, %d kills (each just after the relay accepted a message: the worst moment): %d delivered, %d distinct, %d duplicates",
		total, kills, len(r.Deliveries()), len(counts), dups)
	// Each connection may have one message between the relay's final "."
	// (when the relay logs it: relay.py writes the line before its reply)
	// and Muster's record of it.
	if dups > kills*jobs.DefaultConnections {
		t.Errorf("%d duplicates after %d kills: more than one per connection per kill", dups, kills)
	}
	// Each restart made the killed process's message due again at once
	// (the embedded store has one process), so nothing waits.
	if len(counts) != total {
		t.Errorf("%d distinct messages delivered, want %d", len(counts), total)
	}
	st, err := bolt.Open(filepath.Join(c.env["MUSTER_DATA_DIR"], "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stats, err := st.OutboxStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if stats.ByState[training.MessageQueued] != 0 || stats.ByState[training.MessageSent] != total {
		t.Errorf("outbox after the final run: %v", stats.ByState)
	}
}
