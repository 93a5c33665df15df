package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// These tests run against a real SMTP server process (aiosmtpd, see
// mail/mailtest/relay.py) told to fail as relays do.

func relaySender(t testing.TB, r *mailtest.Relay) *mail.SMTP {
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: r.Host, Port: r.Port, TLS: mail.TLSNone, From: "Training <training@force.example>"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkOnce(t *testing.T, counts map[string]int, want int) {
	t.Helper()
	for id, n := range counts {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if len(counts) != want {
		t.Errorf("%d distinct messages delivered, want %d", len(counts), want)
	}
}

// The relay answers 550 to MAIL FROM (a policy change, a wrong From):
// nothing is failed, the run ends in error; once fixed, all go, once.
func TestAiosmtpdSenderRefusedThenRecovers(t *testing.T) {
	r := mailtest.StartRelay(t)
	r.Set(mailtest.RelayControl{RejectSender: 550})
	st := newBolt(t)
	seedMany(t, st, 25)
	c := newClock(at(asOf))
	s := newScheduler(t, st, relaySender(t, r), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	run, err := s.RunNow(context.Background(), jobs.JobSender, false, asOf)
	if err == nil || !strings.Contains(run.Error, "550") || run.Counts["failed"] != 0 {
		t.Fatalf("sender refused: err %v run %+v", err, run)
	}
	if stats, _ := st.OutboxStats(context.Background()); stats.ByState[training.MessageQueued] != 25 {
		t.Fatalf("outbox %+v, want 25 queued", stats)
	}
	r.Set(mailtest.RelayControl{})
	c.Add(time.Minute)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 25 {
		t.Fatalf("after recovery: %v", run.Counts)
	}
	checkOnce(t, r.Counts(), 25)
}

// 451 for some recipients: the others are delivered in the same run.
func TestAiosmtpdSomeRecipientsDeferred(t *testing.T) {
	r := mailtest.StartRelay(t)
	deferred := map[string]int{}
	for i := 0; i < 30; i += 4 {
		deferred[fmt.Sprintf("o%d@force.example", i)] = 451
	}
	r.Set(mailtest.RelayControl{Defer: deferred})
	st := newBolt(t)
	seedMany(t, st, 30)
	c := newClock(at(asOf))
	s := newScheduler(t, st, relaySender(t, r), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 30-len(deferred) || run.Counts["deferred"] != len(deferred) {
		t.Fatalf("first run: %v", run.Counts)
	}
	r.Set(mailtest.RelayControl{})
	c.Add(5 * time.Minute)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != len(deferred) {
		t.Fatalf("after the deferral ends: %v", run.Counts)
	}
	checkOnce(t, r.Counts(), 30)
}

// A relay that takes 35 s to answer the end of data (past the old 30 s
// client timeout; RFC 5321 allows 10 minutes) gets the message once,
// and it is recorded sent. The one test that waits on a real clock.
func TestAiosmtpdSlowerThan30sNoDuplicate(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 35 s for a slow relay")
	}
	r := mailtest.StartRelay(t)
	r.Set(mailtest.RelayControl{DataDelay: 35})
	st := newBolt(t)
	seedMany(t, st, 1)
	c := newClock(at(asOf))
	s := newScheduler(t, st, relaySender(t, r), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 1 {
		t.Fatalf("slow relay: %v", run.Counts)
	}
	c.Add(time.Hour)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 0 {
		t.Errorf("second run: %v", run.Counts)
	}
	checkOnce(t, r.Counts(), 1)
}
