package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// failuresJobs is the fake scheduler with failure counters, as
// *jobs.Scheduler has.
type failuresJobs struct{ *fakeJobs }

func (failuresJobs) DeliveryFailures() map[string]int64 {
	return map[string]int64{"relay": 3, "recipient": 1, "deferred": 0, "message": 0}
}

// The API shows the relay's state and counts, re-queues failed messages
// (admins only; 409 for one that is not failed), and /metrics reports
// the outbox and the failures by class.
func TestAPIOutboxStatusAndRequeue(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Jobs = failuresJobs{&fakeJobs{}} })
	ctx := context.Background()
	var msgs []training.Message
	for _, id := range []string{"f1", "f2", "q1"} {
		msgs = append(msgs, training.Message{ID: id, MessageID: "<" + id + "@muster>", LedgerKeys: []string{"k-" + id}, Kind: "reminder",
			To: id + "@example.org", Subject: "Training due", State: training.MessageQueued, Created: testNow, NextAttempt: testNow})
	}
	if _, err := e.st.Enqueue(ctx, msgs); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"f1", "f2"} {
		if err := e.st.UpdateMessage(ctx, id, func(m *training.Message) error { m.State = training.MessageFailed; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.PutSetting(ctx, training.SettingRelay, `{"down":true,"since":"2026-11-24T08:00:00Z","checked":"2026-11-24T08:05:00Z","problem":"mail relay refused at sender with reply 550"}`); err != nil {
		t.Fatal(err)
	}
	rec := e.do(req{method: "GET", path: "/api/v1/outbox/status", as: "hr"})
	var st struct {
		Relay  training.RelayStatus `json:"relay"`
		Counts map[string]int       `json:"counts"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &st) != nil || !st.Relay.Down || st.Counts["failed"] != 2 || st.Counts["queued"] != 1 {
		t.Fatalf("status: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/outbox/f1/requeue", as: "hr"}); rec.Code != http.StatusForbidden {
		t.Errorf("hr re-queue: %d, want 403", rec.Code)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/outbox/f1/requeue", as: "admin"}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"state":"queued"`) {
		t.Errorf("admin re-queue: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/outbox/q1/requeue", as: "admin"}); rec.Code != http.StatusConflict {
		t.Errorf("re-queue of a queued message: %d %s, want 409", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/outbox/nope/requeue", as: "admin"}); rec.Code != http.StatusNotFound {
		t.Errorf("re-queue of a missing message: %d, want 404", rec.Code)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/outbox/requeue-failed", as: "admin"}); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"requeued":1`) {
		t.Errorf("re-queue all: %d %s", rec.Code, rec.Body)
	}
	m := e.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testMetricsToken}}).Body.String()
	for _, want := range []string{
		`muster_outbox_messages{state="queued"} 3`,
		`muster_outbox_messages{state="failed"} 0`,
		`muster_mail_relay_up 0`,
		`muster_mail_failures_total{class="relay"} 3`,
		`muster_outbox_oldest_queued_age_seconds 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
