package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// seedMany writes n officers due for a reminder as of asOf, with
// addresses o0@force.example, o1@...
func seedMany(t testing.TB, st training.Store, n int) {
	t.Helper()
	var officers []training.Officer
	for i := range n {
		id := fmt.Sprintf("%d", 5000+i)
		officers = append(officers, officer(id, "Officer "+id, fmt.Sprintf("o%d@force.example", i), "Frontline / East", "2026-09-02"))
	}
	seed(t, st, testCourses(), officers, nil, nil)
}

// deliveries counts received messages per Message-ID.
func deliveries(srv *mailtest.Server) map[string]int {
	out := map[string]int{}
	for _, r := range srv.Messages() {
		out[r.MessageID()]++
	}
	return out
}

// The relay refuses the sender address (550 to MAIL FROM): the first
// message meets it, the run stops with an error, nothing is marked
// failed; when the relay is fixed every message goes, once.
func TestRelayRefusingTheSenderThenRecovering(t *testing.T) {
	st := newBolt(t)
	seedMany(t, st, 30)
	srv := mailtest.New(t)
	srv.RejectSender(550)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	for range 3 {
		r, err := s.RunNow(context.Background(), jobs.JobSender, false, asOf)
		if err == nil || r.Counts["relay_unavailable"] != 1 || r.Counts["failed"] != 0 || r.Counts["sent"] != 0 {
			t.Fatalf("sender refused: err %v counts %v; want a run error, one relay_unavailable, no failure", err, r.Counts)
		}
		if !strings.Contains(err.Error(), "550") || strings.Contains(err.Error(), "@") {
			t.Errorf("run error %q: want the reply code and no address", err)
		}
		c.Add(time.Minute)
	}
	stats, err := st.OutboxStats(context.Background())
	if err != nil || stats.ByState[training.MessageQueued] != 30 {
		t.Fatalf("outbox while refused: %+v %v; want 30 queued", stats, err)
	}
	rs, _ := jobs.RelayStatus(context.Background(), st)
	if !rs.Down || !strings.Contains(rs.Problem, "550") {
		t.Errorf("relay status %+v", rs)
	}
	if f := s.DeliveryFailures(); f["relay"] != 3 || f["recipient"] != 0 {
		t.Errorf("failures by class %v, want 3 relay", f)
	}
	srv.RejectSender(0)
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["sent"] != 30 {
		t.Fatalf("after the relay is fixed: %v", r.Counts)
	}
	got := deliveries(srv)
	if len(got) != 30 {
		t.Errorf("%d distinct messages delivered, want 30", len(got))
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	// Planning again finds everything in the ledger.
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 0 {
		t.Errorf("second planning enqueued %v", r.Counts)
	}
}

// 451 for some recipients (greylisting, a full mailbox) backs off those
// messages only: the rest go in the same run.
func TestDeferredRecipientsDoNotHoldUpOthers(t *testing.T) {
	st := newBolt(t)
	seedMany(t, st, 40)
	srv := mailtest.New(t)
	for i := range 12 {
		srv.Reject(fmt.Sprintf("o%d@force.example", i*3), 451)
	}
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["sent"] != 28 || r.Counts["deferred"] != 12 {
		t.Fatalf("first run: %v; want 28 sent, 12 deferred", r.Counts)
	}
	if f := s.DeliveryFailures(); f["deferred"] != 12 || f["relay"] != 0 {
		t.Errorf("failures by class %v, want 12 deferred", f)
	}
	// A minute later only the deferred are left, and they are not due yet.
	c.Add(30 * time.Second)
	if r := mustRun(t, s, jobs.JobSender, false, asOf); r.Counts["sent"] != 0 || r.Counts["deferred"] != 0 {
		t.Errorf("run before their backoff: %v", r.Counts)
	}
	for i := range 12 {
		srv.Reject(fmt.Sprintf("o%d@force.example", i*3), 0)
	}
	c.Add(2 * time.Minute)
	if r := mustRun(t, s, jobs.JobSender, false, asOf); r.Counts["sent"] != 12 {
		t.Errorf("after the greylisting ends: %v", r.Counts)
	}
	got := deliveries(srv)
	for id, n := range got {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if len(got) != 40 {
		t.Errorf("%d delivered, want 40", len(got))
	}
}

// A message refused for good can be re-queued once the cause is fixed,
// and goes out under its planned Message-ID; the ledger does not block it.
func TestRequeuedFailedMessageIsDelivered(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	srv := mailtest.New(t)
	srv.Reject("tom.obrien@force.example", 550)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	mustRun(t, s, jobs.JobSender, false, asOf)
	failed, err := st.Messages(context.Background(), training.MessageFailed, 0)
	if err != nil || len(failed) != 1 {
		t.Fatalf("failed %v %v", failed, err)
	}
	srv.Reject("tom.obrien@force.example", 0)
	if err := st.UpdateMessage(context.Background(), failed[0].ID, func(m *training.Message) error { return m.Requeue(c.Now()) }); err != nil {
		t.Fatal(err)
	}
	if r := mustRun(t, s, jobs.JobSender, false, asOf); r.Counts["sent"] != 1 {
		t.Fatalf("after re-queue: %v", r.Counts)
	}
	got := deliveries(srv)
	if got[strings.Trim(failed[0].MessageID, "<>")] != 1 {
		t.Errorf("re-queued message delivered %d times", got[strings.Trim(failed[0].MessageID, "<>")])
	}
}

// A sender run with nothing to do leaves no record (a year of
// every-minute runs was 525,000 records).
func TestIdleSenderRunsAreNotRecorded(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, mailtest.New(t)), c, "one")
	for range 5 {
		mustRun(t, s, jobs.JobSender, false, asOf)
		c.Add(time.Minute)
	}
	runs, err := st.JobRuns(context.Background(), jobs.JobSender, 0)
	if err != nil || len(runs) != 0 {
		t.Fatalf("idle sender runs recorded: %d %v", len(runs), err)
	}
	mustRun(t, s, jobs.JobReminders, false, asOf)
	mustRun(t, s, jobs.JobSender, false, asOf)
	if runs, _ := st.JobRuns(context.Background(), jobs.JobSender, 0); len(runs) != 1 || runs[0].Counts["sent"] != 2 {
		t.Errorf("a sender run that sent: %+v", runs)
	}
}

// A process killed with a message in hand leaves it claimed. On the
// embedded store (SoleProcess) the next process's first sender run sends
// it at once; elsewhere it waits for the claim to lapse, since another
// replica may still be waiting for the relay's reply.
func TestClaimOfAKilledProcessIsReleasedOnTheEmbeddedStore(t *testing.T) {
	for _, sole := range []bool{true, false} {
		t.Run(fmt.Sprintf("sole=%v", sole), func(t *testing.T) {
			st := newBolt(t)
			seedMany(t, st, 3)
			srv := mailtest.New(t)
			c := newClock(at(asOf))
			mustRun(t, newScheduler(t, st, smtpSender(t, srv), c, "planner"), jobs.JobReminders, false, asOf)
			queued, err := st.Messages(context.Background(), training.MessageQueued, 0)
			if err != nil || len(queued) != 3 {
				t.Fatalf("queued %d %v", len(queued), err)
			}
			// As a killed sender leaves it: claimed for 15 minutes, no record.
			if err := st.UpdateMessage(context.Background(), queued[0].ID, func(m *training.Message) error {
				m.NextAttempt = c.Now().Add(15 * time.Minute)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			s, err := jobs.New(jobs.Config{Store: st, Logger: testLogger(t), Clock: c.Now, BaseURL: "https://muster.example",
				Secret: secret, Mailer: smtpSender(t, srv), Owner: "restarted", Schedules: jobs.Schedules{Sender: "off"}, SoleProcess: sole})
			if err != nil {
				t.Fatal(err)
			}
			run := mustRun(t, s, jobs.JobSender, false, asOf)
			want := 2
			if sole {
				want = 3
			}
			if run.Counts["sent"] != want {
				t.Errorf("first run after the restart sent %v, want %d", run.Counts, want)
			}
		})
	}
}
