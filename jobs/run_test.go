package jobs_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// The test force, as of Tuesday 2026-11-24:
//
//	1001 cse due 2026-12-24 (before-30), tic due today (due)
//	1002 cse due 2026-12-01 (before-7), tic overdue since 2026-11-01
//	1003 their sergeant: compliant; line manager of both (by email and by ID)
//	1004 invalid email, 1005 leaver, 1006 no email
var asOf = date("2026-11-24")

func seedForce(t testing.TB, st training.Store) {
	officers := []training.Officer{
		officer("1001", "Aisha Khan", "aisha.khan@force.example", "Frontline / North / Response", "2026-09-25"),
		officer("1002", "Tom O'Brien", "tom.obrien@force.example", "Frontline / North / Response", "2026-09-02"),
		officer("1003", "Priya Taylor", "priya.taylor@force.example", "Frontline / North / Response", "2025-01-01"),
		officer("1004", "Jack Ali", "jack.ali@", "Frontline / South / CID", "2026-09-02"),
		officer("1005", "Emily Wood", "emily.wood@force.example", "Frontline / South / CID", "2026-09-02"),
		officer("1006", "Ravi Singh", "", "Frontline / South / CID", "2026-09-02"),
	}
	officers[0].LineManager = "priya.taylor@force.example"
	officers[1].LineManager = "1003"
	officers[4].Leaver, officers[4].LeftOn = true, date("2026-10-01")
	comps := []training.Completion{
		{OfficerID: "1003", CourseID: "cse-recognition", Date: date("2025-03-01")},
		{OfficerID: "1003", CourseID: "trauma-informed-communication", Date: date("2025-03-01")},
	}
	seed(t, st, testCourses(), officers, comps, nil)
}

func smtpSender(t testing.TB, srv *mailtest.Server) *mail.SMTP {
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, From: "Training <training@force.example>"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustRun(t testing.TB, s *jobs.Scheduler, job string, dry bool, d training.Date) training.JobRun {
	t.Helper()
	r, err := s.RunNow(context.Background(), job, dry, d)
	if err != nil {
		t.Fatalf("%s: %v", job, err)
	}
	if r.Error != "" {
		t.Fatalf("%s: run error %s", job, r.Error)
	}
	return r
}

func outbox(t testing.TB, st training.Store) map[string]training.Message {
	t.Helper()
	ms, err := st.Messages(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]training.Message{}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out
}

var linkPattern = regexp.MustCompile(`https://muster\.example/me/([A-Za-z0-9_\-.]+)`)

func TestRemindersDeliveredOverSMTP(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	srv := mailtest.New(t)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")

	run := mustRun(t, s, jobs.JobReminders, false, asOf)
	want := map[string]int{"officers": 5, "leavers": 1, "to_remind": 2, "items": 4, "cannot_remind": 2,
		"invalid_email": 1, "no_email": 1, "no_action": 1, "enqueued": 2}
	for k, v := range want {
		if run.Counts[k] != v {
			t.Errorf("count %s = %d, want %d (all: %v)", k, run.Counts[k], v, run.Counts)
		}
	}
	if run.Finished.IsZero() || len(run.Errors) != 0 {
		t.Errorf("run %+v", run)
	}
	sent := mustRun(t, s, jobs.JobSender, false, asOf)
	if sent.Counts["sent"] != 2 {
		t.Fatalf("sender counts %v, want 2 sent", sent.Counts)
	}
	box := outbox(t, st)
	byMID := map[string]training.Message{}
	for _, m := range box {
		if m.State != training.MessageSent || m.Sent.IsZero() || m.Attempts != 1 {
			t.Errorf("message %s: state %s sent %v attempts %d", m.ID, m.State, m.Sent, m.Attempts)
		}
		byMID[strings.Trim(m.MessageID, "<>")] = m
	}
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("SMTP received %d messages, want 2", len(got))
	}
	officerOf := map[string]string{"aisha.khan@force.example": "1001", "tom.obrien@force.example": "1002"}
	for _, r := range got {
		m, ok := byMID[r.MessageID()]
		if !ok {
			t.Fatalf("received Message-ID %q not in the outbox", r.MessageID())
		}
		if len(r.To) != 1 || r.To[0] != m.To || r.Header.Get("Subject") != m.Subject {
			t.Errorf("envelope to %v, subject %q; outbox says %s, %q", r.To, r.Header.Get("Subject"), m.To, m.Subject)
		}
		text, html, err := mailtest.Parts(r.Raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{text, html} {
			for _, s := range []string{"CSE recognition", "Trauma-informed communication", "https://learning.example/cse", "https://learning.example/tic"} {
				if !strings.Contains(part, s) {
					t.Errorf("%s: a part lacks %q", m.To, s)
				}
			}
			link := linkPattern.FindStringSubmatch(part)
			if link == nil {
				t.Fatalf("%s: no status link in\n%s", m.To, part)
			}
			id, err := training.VerifyOfficerLink(secret, link[1], at(asOf))
			if err != nil || id != officerOf[m.To] {
				t.Errorf("%s: status link names %q (%v), want %s", m.To, id, err, officerOf[m.To])
			}
		}
		if _, err := url.Parse(linkPattern.FindString(html)); err != nil {
			t.Error(err)
		}
	}

	// Same day, next day: nothing new is enqueued or sent.
	for _, d := range []training.Date{asOf, asOf.AddDays(1)} {
		c.Set(at(d))
		if r := mustRun(t, s, jobs.JobReminders, false, d); r.Counts["enqueued"] != 0 || r.Counts["already_sent"] != 4 {
			t.Errorf("%s: rerun counts %v, want nothing enqueued and 4 already sent", d, r.Counts)
		}
		mustRun(t, s, jobs.JobSender, false, d)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("after reruns SMTP has %d messages, want 2", n)
	}
}

func TestSMTPOutageDelaysAndLosesNothing(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	srv := mailtest.New(t)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	srv.Stop()

	start := c.Now()
	for c.Now().Sub(start) < 30*time.Hour { // longer than GiveUpAfter: a relay outage never fails a message
		r, err := s.RunNow(context.Background(), jobs.JobSender, false, asOf)
		if err == nil || r.Error == "" || r.Counts["relay_unavailable"] != 1 || r.Counts["sent"] != 0 || r.Counts["failed"] != 0 {
			t.Fatalf("with the relay down: error %q counts %v; want a run error and one relay_unavailable", err, r.Counts)
		}
		c.Add(47 * time.Minute)
	}
	for _, m := range outbox(t, st) {
		if m.State != training.MessageQueued || m.Attempts != 0 || m.LastError == "" || m.NextAttempt.After(c.Now()) {
			t.Errorf("after 30 h down: %s state %s attempts %d error %q next %v", m.ID, m.State, m.Attempts, m.LastError, m.NextAttempt)
		}
	}
	rs, err := jobs.RelayStatus(context.Background(), st)
	if err != nil || !rs.Down || !rs.Since.Equal(start) || rs.Problem == "" {
		t.Errorf("relay status %+v, %v; want down since %v", rs, err, start)
	}
	srv.Start()
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["sent"] != 2 {
		t.Fatalf("after the relay is back: %v", r.Counts)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("delivered %d, want 2", n)
	}
	if rs, _ := jobs.RelayStatus(context.Background(), st); rs.Down {
		t.Errorf("relay still recorded down after delivering: %+v", rs)
	}
}

func TestPermanentFailuresAreRecorded(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	srv := mailtest.New(t)
	srv.Reject("tom.obrien@force.example", 550)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["sent"] != 1 || r.Counts["failed"] != 1 || len(r.Errors) != 1 {
		t.Errorf("counts %v errors %v, want 1 sent and 1 failed", r.Counts, r.Errors)
	}
	if strings.Contains(strings.Join(r.Errors, " "), "@") {
		t.Errorf("run errors name an address: %v", r.Errors)
	}
	failed, err := st.Messages(context.Background(), training.MessageFailed, 0)
	if err != nil || len(failed) != 1 || failed[0].To != "tom.obrien@force.example" || !strings.Contains(failed[0].LastError, "550") {
		t.Fatalf("failed messages %+v, %v", failed, err)
	}

	// Temporary failures for longer than a day also end in failed.
	srv.Reject("aisha.khan@force.example", 451)
	c.Add(24 * time.Hour)
	mustRun(t, s, jobs.JobReminders, false, asOf.AddDays(7)) // new stages: another message to 1001
	c.Add(25 * time.Hour)
	for range 3 {
		mustRun(t, s, jobs.JobSender, false, asOf)
		c.Add(2 * time.Hour)
	}
	for _, m := range outbox(t, st) {
		if m.State == training.MessageQueued {
			t.Errorf("message %s still queued after more than a day of failures", m.ID)
		}
	}
}

// crashingSender delivers through inner, and after the n-th delivery
// "crashes": it stops the run's context and reports an error, so the
// sender never records that message as sent. The sender's connections
// call it at once; it delivers one message at a time, so that "the n-th"
// is one message.
type crashingSender struct {
	inner mail.Sender
	after int
	stop  context.CancelFunc
	mu    sync.Mutex
	count int
}

func (c *crashingSender) Send(ctx context.Context, m training.Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count >= c.after {
		return errors.New("process killed")
	}
	if err := c.inner.Send(ctx, m); err != nil {
		return err
	}
	c.count++
	if c.count == c.after {
		c.stop()
		return errors.New("process killed after the relay accepted the message")
	}
	return nil
}

func TestCrashMidBatchCausesAtMostOneDuplicate(t *testing.T) {
	st := newBolt(t)
	var officers []training.Officer
	for i := range 12 {
		id := string(rune('A'+i)) + "100"
		officers = append(officers, officer(id, "Officer "+id, strings.ToLower(id)+"@force.example", "Frontline / East", "2026-09-02"))
	}
	seed(t, st, testCourses(), officers, nil, nil)
	srv := mailtest.New(t)
	c := newClock(at(asOf))

	ctx, crash := context.WithCancel(context.Background())
	first := newScheduler(t, st, &crashingSender{inner: smtpSender(t, srv), after: 5, stop: crash}, c, "first")
	mustRun(t, first, jobs.JobReminders, false, asOf)
	if _, err := first.RunNow(ctx, jobs.JobSender, false, asOf); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 5 {
		t.Fatalf("before the crash %d delivered, want 5", n)
	}

	// Restart: a new process drains the rest; the message caught in the
	// crash goes again once its claim lapses.
	second := newScheduler(t, st, smtpSender(t, srv), c, "second")
	mustRun(t, second, jobs.JobSender, false, asOf)
	c.Add(mail.DefaultReplyTimeout + 6*time.Minute) // past the claim
	mustRun(t, second, jobs.JobSender, false, asOf)

	got := srv.Messages()
	ids := map[string]int{}
	for _, r := range got {
		ids[r.MessageID()]++
	}
	dups := 0
	for id, n := range ids {
		if n > 2 {
			t.Errorf("Message-ID %s delivered %d times", id, n)
		}
		if n == 2 {
			dups++
		}
	}
	if len(ids) != 12 || len(got) != 13 || dups != 1 {
		t.Errorf("delivered %d messages with %d distinct Message-IDs (%d duplicated); want 13, 12, 1", len(got), len(ids), dups)
	}
	for _, m := range outbox(t, st) {
		if m.State != training.MessageSent {
			t.Errorf("message %s is %s", m.ID, m.State)
		}
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
	for _, job := range s.Names() {
		r := mustRun(t, s, job, true, asOf)
		if !r.DryRun {
			t.Errorf("%s: run not marked dry", job)
		}
	}
	if box := outbox(t, st); len(box) != 0 {
		t.Errorf("a dry run enqueued %d messages", len(box))
	}
	snaps, err := st.DailySnapshots(context.Background(), asOf, asOf)
	if err != nil || len(snaps) != 0 {
		t.Errorf("a dry run stored snapshots %v (%v)", snaps, err)
	}
	p, err := s.PlanReminders(context.Background(), asOf)
	if err != nil || p.Counts.ToRemind != 2 || len(p.CannotRemind) != 2 {
		t.Errorf("plan %+v, %v", p, err)
	}
}

func TestLockHeldElsewhere(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	c := newClock(at(asOf))
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), c, "one")
	ctx := context.Background()
	if ok, err := st.AcquireLock(ctx, "job:reminders", "crashed-replica", 2*time.Minute, c.Now()); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, err := s.RunNow(ctx, jobs.JobReminders, false, asOf); !errors.Is(err, training.ErrConflict) {
		t.Fatalf("with the lock held elsewhere: %v, want ErrConflict", err)
	}
	c.Add(3 * time.Minute) // the crashed holder's lock expires
	if r := mustRun(t, s, jobs.JobReminders, false, asOf); r.Counts["enqueued"] != 2 {
		t.Errorf("after expiry: %v", r.Counts)
	}
	if _, err := s.RunNow(ctx, "nope", false, asOf); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("unknown job: %v", err)
	}
}

func TestSnapshotStoresEveryUnit(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	mustRun(t, s, jobs.JobSnapshot, false, asOf)
	snaps, err := st.DailySnapshots(context.Background(), asOf, asOf)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("snapshots %v, %v", snaps, err)
	}
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	rep.Walk(func(node *training.ReportNode) {
		n++
		for _, cf := range node.Courses {
			if got := snaps[0].Units[node.Unit][cf.Course]; got != cf.Counts {
				t.Errorf("%q %s: snapshot %+v, report %+v", node.Unit, cf.Course, got, cf.Counts)
			}
		}
	})
	if len(snaps[0].Units) != n || n != 6 {
		t.Errorf("snapshot has %d units, report %d (want 6)", len(snaps[0].Units), n)
	}
}

// A reminder planned for someone who leaves or completes everything
// before it is sent is not sent.
func TestReminderNoLongerNeededIsNotSent(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	srv := mailtest.New(t)
	c := newClock(at(asOf))
	s := newScheduler(t, st, smtpSender(t, srv), c, "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	ctx := context.Background()
	rev, _ := st.Revision(ctx)
	rec, err := st.Officer(ctx, "1001")
	if err != nil {
		t.Fatal(err)
	}
	rec.Officer.Leaver, rec.Officer.LeftOn = true, asOf
	cs := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "left", Kind: training.ImportAPI, By: "test", At: c.Now(), Outcome: training.OutcomeApplied},
		Officers: []training.Officer{rec.Officer},
		Completions: []training.Completion{
			{OfficerID: "1002", CourseID: "cse-recognition", Date: asOf},
			{OfficerID: "1002", CourseID: "trauma-informed-communication", Date: asOf},
		}}
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, s, jobs.JobSender, false, asOf)
	if r.Counts["no_longer_needed"] != 2 || r.Counts["sent"] != 0 || len(srv.Messages()) != 0 {
		t.Errorf("counts %v, delivered %d; want 2 not needed, none sent", r.Counts, len(srv.Messages()))
	}
	for _, m := range outbox(t, st) {
		if m.State != training.MessageFailed || !strings.HasPrefix(m.LastError, "permanent: not sent") {
			t.Errorf("message %s: %s %q", m.ID, m.State, m.LastError)
		}
	}
}
