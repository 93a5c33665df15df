package jobs_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// windowMailer passes messages to a real sender and records, by the
// test's clock, when each was handed over, so that a test can check the
// most in any minute and in any day as a relay counting them would.
type windowMailer struct {
	next  mail.Sender
	clock *clock
	mu    sync.Mutex
	times []time.Time
	to    []string
}

func (m *windowMailer) Send(ctx context.Context, msg training.Message) error {
	now := m.clock.Now()
	m.mu.Lock()
	m.times = append(m.times, now)
	m.to = append(m.to, msg.To)
	m.mu.Unlock()
	return m.next.Send(ctx, msg)
}

// most is the largest number of sends in any window of length d.
func (m *windowMailer) most(d time.Duration) int {
	m.mu.Lock()
	ts := append([]time.Time(nil), m.times...)
	m.mu.Unlock()
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	most, j := 0, 0
	for i := range ts {
		for !ts[j].After(ts[i].Add(-d)) {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

// limitedScheduler has the sending limits and a Sleep that moves the
// test's clock. It first lets the messages already handed to a
// connection reach the mailer (they are on their way at once), so that
// the clock moves only between sends, as a relay's would.
func limitedScheduler(t testing.TB, st training.Store, m mail.Sender, c *clock, l jobs.SendLimits) *jobs.Scheduler {
	t.Helper()
	s, err := jobs.New(jobs.Config{Store: st, Logger: testLogger(t), Clock: c.Now, BaseURL: "https://muster.example",
		Secret: secret, Mailer: m, Owner: "one", Schedules: jobs.Schedules{Sender: "off"}, Limits: l, SoleProcess: true,
		Sleep: func(ctx context.Context, d time.Duration) error {
			time.Sleep(20 * time.Millisecond)
			c.Add(d)
			return ctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A relay limited to 30 messages a minute (Exchange Online's SMTP
// submission limit): 100 reminders go in one run, paced, none refused
// (nothing bounced or deferred), none lost or sent twice, and never more
// than 30 in any minute of the test's clock.
func TestAiosmtpdThirtyPerMinute(t *testing.T) {
	r := mailtest.StartRelay(t)
	st := newBolt(t)
	seedMany(t, st, 100)
	c := newClock(at(asOf))
	m := &windowMailer{next: relaySender(t, r), clock: c}
	s := limitedScheduler(t, st, m, c, jobs.SendLimits{PerMinute: 30, Connections: 3})
	mustRun(t, s, jobs.JobReminders, false, asOf)
	start := c.Now()
	run := mustRun(t, s, jobs.JobSender, false, asOf)
	if run.Counts["sent"] != 100 || run.Counts["failed"] != 0 || run.Counts["deferred"] != 0 {
		t.Fatalf("run: %v", run.Counts)
	}
	if most := m.most(time.Minute); most > 30 {
		t.Errorf("%d messages in one minute, limit 30", most)
	}
	// 100 at 30 a minute: the last goes in the fourth minute.
	if took := c.Now().Sub(start); took < 3*time.Minute || took > 4*time.Minute {
		t.Errorf("the test clock moved %s for 100 messages at 30 a minute", took)
	}
	checkOnce(t, r.Counts(), 100)
	if stats, _ := st.OutboxStats(context.Background()); stats.ByState[training.MessageSent] != 100 {
		t.Errorf("outbox %v", stats.ByState)
	}
}

// One recipient's message takes 35 s to be answered; with three
// connections the others keep going at the configured rate meanwhile:
// every other message is taken by the relay before the slow one.
func TestAiosmtpdSlowRecipientDoesNotHoldTheRest(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 35 s for a slow relay")
	}
	r := mailtest.StartRelay(t)
	r.Set(mailtest.RelayControl{DelayFor: map[string]float64{"o0@force.example": 35}})
	st := newBolt(t)
	seedMany(t, st, 40)
	c := newClock(at(asOf))
	m := &windowMailer{next: relaySender(t, r), clock: c}
	s := limitedScheduler(t, st, m, c, jobs.SendLimits{PerMinute: 30, Connections: 3})
	mustRun(t, s, jobs.JobReminders, false, asOf)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 40 {
		t.Fatalf("run: %v", run.Counts)
	}
	ds := r.Deliveries()
	if len(ds) != 40 {
		t.Fatalf("%d deliveries", len(ds))
	}
	last := ds[len(ds)-1]
	if len(last.To) != 1 || last.To[0] != "o0@force.example" {
		t.Errorf("the last message the relay took was to %v, want the slow one", last.To)
	}
	if most := m.most(time.Minute); most > 30 {
		t.Errorf("%d messages in one minute, limit 30", most)
	}
	checkOnce(t, r.Counts(), 40)
}

// A daily allowance smaller than the run: the run ends when it is spent,
// most overdue first; the relay's state says when the queue will be
// empty; the next day's runs take the rest, none twice.
func TestDailyLimitSpreadsTheRunOverDays(t *testing.T) {
	st := newBolt(t)
	var officers []training.Officer
	for i := range 25 {
		// Later officers started earlier: more overdue.
		start := at(asOf).AddDate(0, 0, -100-i).Format("2006-01-02")
		officers = append(officers, officer(fmt.Sprintf("%d", 7000+i), "Officer", fmt.Sprintf("p%d@force.example", i), "Frontline / East", start))
	}
	seed(t, st, testCourses()[:1], officers, nil, nil)
	c := newClock(at(asOf))
	m := &windowMailer{next: nullSender{}, clock: c}
	s := limitedScheduler(t, st, m, c, jobs.SendLimits{PerMinute: 5, PerDay: 10, Connections: 2})
	mustRun(t, s, jobs.JobReminders, false, asOf)
	run := mustRun(t, s, jobs.JobSender, false, asOf)
	if run.Counts["sent"] != 10 || run.Counts["held_for_daily_limit"] != 1 {
		t.Fatalf("first day: %v", run.Counts)
	}
	// Most overdue first: the ten who started earliest.
	for _, to := range m.to {
		var i int
		if _, err := fmt.Sscanf(to, "p%d@", &i); err != nil || i < 15 {
			t.Errorf("first day sent to %s; want the ten most overdue (p15..p24)", to)
		}
	}
	relay, err := jobs.RelayStatus(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if relay.HeldUntil.IsZero() || relay.EmptyBy.Before(relay.HeldUntil.Add(24*time.Hour)) {
		t.Errorf("relay state %+v: want held until tomorrow, empty the day after", relay)
	}
	c.Add(time.Hour)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 0 {
		t.Fatalf("an hour later: %v", run.Counts)
	}
	// The window rolls: the first day's minutes free one by one.
	c.Set(relay.HeldUntil)
	a := mustRun(t, s, jobs.JobSender, false, asOf).Counts["sent"]
	c.Add(2 * time.Minute)
	if b := mustRun(t, s, jobs.JobSender, false, asOf).Counts["sent"]; a == 0 || a+b != 10 {
		t.Fatalf("the next day: %d then %d sent, want 10", a, b)
	}
	c.Add(24 * time.Hour)
	if run := mustRun(t, s, jobs.JobSender, false, asOf); run.Counts["sent"] != 5 {
		t.Fatalf("the day after: %v", run.Counts)
	}
	if most := m.most(24 * time.Hour); most > 10 {
		t.Errorf("%d messages in one day, limit 10", most)
	}
	if most := m.most(time.Minute); most > 5 {
		t.Errorf("%d messages in one minute, limit 5", most)
	}
	if relay, _ := jobs.RelayStatus(context.Background(), st); !relay.EmptyBy.IsZero() || !relay.HeldUntil.IsZero() {
		t.Errorf("queue empty, relay state %+v", relay)
	}
}

// nullSender takes every message.
type nullSender struct{}

func (nullSender) Send(context.Context, training.Message) error { return nil }

// Messages a killed process had in hand (claimed, not recorded) go first
// when the next process starts, before the rest of the queue.
func TestInHandMessagesGoFirstAfterRestart(t *testing.T) {
	st := newBolt(t)
	seedMany(t, st, 12)
	c := newClock(at(asOf))
	ctx := context.Background()
	s := limitedScheduler(t, st, nullSender{}, c, jobs.SendLimits{Connections: 1})
	mustRun(t, s, jobs.JobReminders, false, asOf)
	due, err := st.DueMessages(ctx, c.Now(), 0)
	if err != nil || len(due) != 12 {
		t.Fatalf("%d due, %v", len(due), err)
	}
	// The dead process claimed the last two in the queue's order.
	inHand := map[string]bool{due[10].To: true, due[11].To: true}
	for _, m := range due[10:] {
		if err := st.UpdateMessage(ctx, m.ID, func(m *training.Message) error {
			m.NextAttempt = c.Now().Add(15 * time.Minute)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	c.Add(time.Minute)
	m := &windowMailer{next: nullSender{}, clock: c}
	s2 := limitedScheduler(t, st, m, c, jobs.SendLimits{Connections: 1})
	if run := mustRun(t, s2, jobs.JobSender, false, asOf); run.Counts["sent"] != 12 || run.Counts["released_after_restart"] != 2 {
		t.Fatalf("run: %v", run.Counts)
	}
	if !inHand[m.to[0]] || !inHand[m.to[1]] {
		t.Errorf("sent first: %v; want the two in hand %v", m.to[:2], inHand)
	}
}

// A reminder run larger than one planning batch (5,000 officers) queues
// exactly what one plan of the whole roster would, and the queue is in due
// date order across the batches (most overdue first).
func TestReminderRunInBatches(t *testing.T) {
	st := newBolt(t)
	ctx := context.Background()
	asOfDemo := training.DateOf(demo.Now())
	cs := demo.Force(1, 12000, 200, asOfDemo)
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	whole := jobs.PlanReminders(ds, ds.Courses, asOfDemo, jobs.DefaultPolicy(), nil)
	c := newClock(demo.Now())
	s := limitedScheduler(t, st, nullSender{}, c, jobs.SendLimits{})
	run := mustRun(t, s, jobs.JobReminders, false, asOfDemo)
	if run.Counts["enqueued"] != whole.Counts.ToRemind || run.Counts["officers"] != whole.Counts.Officers || whole.Counts.ToRemind < 5000 {
		t.Fatalf("run %v; one plan of the roster: %+v", run.Counts, whole.Counts)
	}
	due, err := st.DueMessages(ctx, c.Now(), 0)
	if err != nil || len(due) != whole.Counts.ToRemind {
		t.Fatalf("%d due, %v", len(due), err)
	}
	earliest := func(m training.Message) string {
		d := "~"
		for _, k := range m.LedgerKeys {
			d = min(d, k[strings.LastIndexByte(k, '|')+1:])
		}
		return d
	}
	for i := 1; i < len(due); i++ {
		if a, b := earliest(due[i-1]), earliest(due[i]); a > b && b < asOfDemo.String() {
			t.Fatalf("queue position %d: due %s before %s (overdue) ", i, a, b)
		}
	}
}
