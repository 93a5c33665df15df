package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

// pageJobsFake is a scheduler stand-in that records what the page asked.
type pageJobsFake struct {
	runs      []string
	templates map[string]string
}

func (f *pageJobsFake) Names() []string { return []string{"reminders", "snapshot"} }
func (f *pageJobsFake) RunNow(_ context.Context, job string, dry bool, asOf training.Date) (training.JobRun, error) {
	f.runs = append(f.runs, fmt.Sprintf("%s dry=%v %s", job, dry, asOf))
	return training.JobRun{Job: job, DryRun: dry, Counts: map[string]int{"to_remind": 3, "items": 4}}, nil
}
func (f *pageJobsFake) PlanReminders(_ context.Context, asOf training.Date) (*jobs.Plan, error) {
	return &jobs.Plan{AsOf: asOf}, nil
}
func (f *pageJobsFake) Templates(context.Context) (map[string]string, error) { return f.templates, nil }
func (f *pageJobsFake) SetTemplate(_ context.Context, name, text string) error {
	if strings.Contains(text, "{{") && !strings.Contains(text, "}}") {
		return training.Invalidf("the template does not parse: unclosed action")
	}
	f.templates[name] = text
	return nil
}
func (f *pageJobsFake) PreviewTemplate(_ context.Context, name, text string) (string, string, string, error) {
	return "Subject for " + name, "Hello <Officer>\n" + text, "<p>Hello</p>", nil
}

func TestPagesJobs(t *testing.T) {
	f := newWebFixture(t, false)
	jobs := &pageJobsFake{templates: map[string]string{"reminder": "Dear {{.Name}}"}}
	f.srv.Core.Cfg.Jobs = jobs
	ctx := context.Background()
	if err := f.store.PutJobRun(ctx, training.JobRun{ID: "r1", Job: "sender", Started: webNow, Finished: webNow.Add(time.Second),
		Counts: map[string]int{"sent": 1843, "deferred": 211, "due": 2054}, Errors: []string{"one <bad> address"}}); err != nil {
		t.Fatal(err)
	}
	msgs, err := f.store.Enqueue(ctx, []training.Message{{ID: "m1", MessageID: "<m1@muster>", LedgerKeys: []string{"k1"}, Kind: "reminder",
		To: "a@example.org", Subject: "Training <due>", Text: "Please complete", State: training.MessageQueued, Created: webNow, NextAttempt: webNow}})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("enqueue: %v %d", err, len(msgs))
	}
	c := f.login("admin")
	status, body := c.get("/jobs")
	for _, want := range []string{"Run a job now", "reminders", "1,843 emails sent, 211 waiting for the relay to accept them.", "one &lt;bad&gt; address", "Training &lt;due&gt;", "a@example.org", "Dear {{.Name}}"} {
		if status != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/jobs (%d) lacks %q", status, want)
		}
	}
	for _, jargon := range []string{"deferred", "due: ", "sent: "} {
		if strings.Contains(body, jargon) {
			t.Errorf("/jobs shows the counter %q", jargon)
		}
	}
	// With the file drop there is no relay to speak of.
	f.srv.Core.Cfg.MailDrop = "/data/mail"
	if _, body := c.get("/jobs"); strings.Contains(body, "Mail relay") || strings.Contains(body, "for the relay") || !strings.Contains(body, "written as .eml files to <code>/data/mail</code>") ||
		!strings.Contains(body, "1,843 emails written to files") {
		t.Errorf("/jobs with the file drop speaks of a relay or not of the folder")
	}
	f.srv.Core.Cfg.MailDrop = ""
	if _, body := c.get("/jobs?state=failed"); strings.Contains(body, "a@example.org") {
		t.Error("the failed filter shows a queued message")
	}
	if _, body := c.get("/jobs/messages/m1"); !strings.Contains(body, "Please complete") {
		t.Error("the message page lacks the text")
	}
	if _, loc, _ := c.post("/jobs/run", url.Values{"job": {"reminders"}, "dry_run": {"1"}, "as_of": {"2026-12-01"}}); loc != "/jobs#runs" {
		t.Errorf("run: %s", loc)
	}
	if len(jobs.runs) != 1 || jobs.runs[0] != "reminders dry=true 2026-12-01" {
		t.Errorf("runs: %v", jobs.runs)
	}
	if _, body := c.get("/jobs"); !strings.Contains(body, "Dry run of reminders: 3 officers would be reminded about 4 courses.") {
		t.Error("no notice after the dry run")
	}
	// A real run asks first, on a page saying how many would be emailed.
	if _, loc, _ := c.post("/jobs/run", url.Values{"job": {"reminders"}, "dry_run": {"0"}, "as_of": {"2026-12-01"}}); loc != "/jobs/run?job=reminders&as_of=2026-12-01" || len(jobs.runs) != 1 {
		t.Errorf("an unconfirmed run went to %q and ran %v", loc, jobs.runs)
	}
	if status, body := c.get("/jobs/run?job=reminders&as_of=2026-12-01"); status != http.StatusOK || !strings.Contains(body, `id="to-email"`) || !strings.Contains(body, `name="confirmed" value="1"`) {
		t.Errorf("the confirmation page (%d) does not say how many", status)
	}
	if _, loc, _ := c.post("/jobs/run", url.Values{"job": {"reminders"}, "dry_run": {"0"}, "confirmed": {"1"}, "as_of": {"2026-12-01"}}); loc != "/jobs#runs" || len(jobs.runs) != 2 {
		t.Errorf("a confirmed run went to %q and ran %v", loc, jobs.runs)
	}
	_, _, body = c.post("/jobs/templates/reminder", url.Values{"text": {"Hi {{.Name}}"}, "action": {"preview"}})
	if !strings.Contains(body, "Subject for reminder") || !strings.Contains(body, "Hello &lt;Officer&gt;") {
		t.Error("preview not shown")
	}
	if jobs.templates["reminder"] != "Dear {{.Name}}" {
		t.Error("preview saved the template")
	}
	_, _, body = c.post("/jobs/templates/reminder", url.Values{"text": {"Hi {{.Name"}, "action": {"save"}})
	if !strings.Contains(body, "does not parse") || !strings.Contains(body, "Hi {{.Name") {
		t.Error("a bad template is not reported with the edited text kept")
	}
	if _, loc, _ := c.post("/jobs/templates/reminder", url.Values{"text": {"Hi {{.Name}}"}, "action": {"save"}}); loc != "/jobs#templates" || jobs.templates["reminder"] != "Hi {{.Name}}" {
		t.Errorf("save: %s %q", loc, jobs.templates["reminder"])
	}
}

// The Jobs page says when the relay is down and how much waits; failed
// messages can be re-queued one by one or all at once, from the web and
// the API.
func TestPagesJobsRelayAndRequeue(t *testing.T) {
	f := newWebFixture(t, false)
	ctx := context.Background()
	var msgs []training.Message
	for _, id := range []string{"f1", "f2", "q1"} {
		msgs = append(msgs, training.Message{ID: id, MessageID: "<" + id + "@muster>", LedgerKeys: []string{"k-" + id}, Kind: "reminder",
			To: id + "@example.org", Subject: "Training due", State: training.MessageQueued, Created: webNow, NextAttempt: webNow})
	}
	if _, err := f.store.Enqueue(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"f1", "f2"} {
		if err := f.store.UpdateMessage(ctx, id, func(m *training.Message) error {
			m.State, m.Attempts, m.LastError = training.MessageFailed, 1, "permanent: 550 no such user"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.PutSetting(ctx, training.SettingRelay, `{"down":true,"since":"2026-11-24T08:00:00Z","checked":"2026-11-24T08:05:00Z","problem":"mail relay refused at sender with reply 550"}`); err != nil {
		t.Fatal(err)
	}
	c := f.login("admin")
	_, body := c.get("/jobs")
	for _, want := range []string{"refusing mail since", "reply 550", "1 waiting for the relay to accept them", "2 failed", "Re-queue all 2 failed", `action="/jobs/messages/f1/requeue"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/jobs lacks %q", want)
		}
	}
	if _, loc, _ := c.post("/jobs/messages/f1/requeue", url.Values{}); !strings.HasPrefix(loc, "/jobs?state=queued") {
		t.Errorf("requeue: %s", loc)
	}
	if m, _ := f.store.Message(ctx, "f1"); m.State != training.MessageQueued || m.Attempts != 0 || m.LastError != "" {
		t.Errorf("f1 after re-queue: %+v", m)
	}
	if _, loc, _ := c.post("/jobs/messages/q1/requeue", url.Values{}); !strings.HasPrefix(loc, "/jobs#outbox") {
		t.Errorf("re-queue of a queued message: %s", loc)
	}
	if _, body := c.get("/jobs"); !strings.Contains(body, "only failed messages") {
		t.Error("no notice after re-queuing a queued message")
	}
	if _, loc, _ := c.post("/jobs/requeue-failed", url.Values{}); !strings.HasPrefix(loc, "/jobs?state=queued") {
		t.Errorf("requeue all: %s", loc)
	}
	if _, body := c.get("/jobs"); !strings.Contains(body, "Re-queued 1 failed") || !strings.Contains(body, "3 waiting for the relay") {
		t.Error("requeue all did not re-queue the last failed message")
	}
}

// TestQueueEmptyBy: with sending limits the sender's estimate of when the
// queue will be empty shows on the Jobs page and in /metrics.
func TestQueueEmptyBy(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.st.Enqueue(ctx, []training.Message{{ID: "m1", MessageID: "<m1@muster>", LedgerKeys: []string{"k1"}, Kind: "reminder",
		To: "a@force.example", State: training.MessageQueued, Created: testNow, NextAttempt: testNow}}); err != nil {
		t.Fatal(err)
	}
	empty, held := testNow.Add(30*time.Hour), testNow.Add(20*time.Hour)
	b, _ := json.Marshal(training.RelayStatus{Checked: testNow, Since: testNow, EmptyBy: empty, HeldUntil: held})
	if err := e.st.PutSetting(ctx, training.SettingRelay, string(b)); err != nil {
		t.Fatal(err)
	}
	page := e.do(req{method: "GET", path: "/jobs", as: "admin"})
	if page.Code != 200 || !strings.Contains(page.Body.String(), "the queue will be empty by") || !strings.Contains(page.Body.String(), "sending goes on at") {
		t.Errorf("jobs page %d: no estimate\n%s", page.Code, page.Body.String())
	}
	m := e.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testMetricsToken}})
	if want := fmt.Sprintf("muster_outbox_empty_by_timestamp_seconds %g", float64(empty.Unix())); !strings.Contains(m.Body.String(), want) {
		t.Errorf("metrics lack %q", want)
	}
}
