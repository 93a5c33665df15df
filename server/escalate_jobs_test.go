package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// TestPagesJobsShowEscalations: the Jobs page's run list says how many
// escalations a digests run planned, in words.
func TestPagesJobsShowEscalations(t *testing.T) {
	f := newWebFixture(t, false)
	f.srv.Core.Cfg.Jobs = &pageJobsFake{templates: map[string]string{}}
	if err := f.store.PutJobRun(context.Background(), training.JobRun{ID: "d1", Job: "digests", Started: webNow, Finished: webNow.Add(time.Second),
		Counts: map[string]int{"line_managers": 3, "unit_users": 2, "enqueued": 5, "escalations": 4}}); err != nil {
		t.Fatal(err)
	}
	status, body := f.login("admin").get("/jobs")
	if want := "4 escalations (someone overdue longer than their course allows, told to a manager above) planned in the digests."; status != http.StatusOK || !strings.Contains(body, want) {
		t.Errorf("/jobs (%d) lacks %q", status, want)
	}
	if strings.Contains(strings.ToLower(body), "escalations: 4") {
		t.Error("/jobs shows the counter's name")
	}
}
