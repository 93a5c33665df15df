package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

// TestRetentionJob runs the daily retention job on both stores: leavers
// past the period are anonymised, figures for past dates do not change,
// old audit events go, and the trail records what was removed.
func TestRetentionJob(t *testing.T) {
	for name, open := range map[string]func(testing.TB) training.Store{"bolt": newBolt, "redis": newRedis} {
		t.Run(name, func(t *testing.T) { testRetentionJob(t, open(t)) })
	}
}

func testRetentionJob(t *testing.T, st training.Store) {
	ctx := context.Background()
	courses := testCourses()
	old := officer("1001", "Olga Oldleaver", "olga@police.example", "North / Team 1", "2019-01-07")
	old.Leaver, old.LeftOn, old.LineManager, old.Rank = true, date("2023-06-30"), "2002", "PC"
	recent := officer("1002", "Rita Recentleaver", "rita@police.example", "North / Team 1", "2019-01-07")
	recent.Leaver, recent.LeftOn = true, date("2025-06-30")
	active := officer("2002", "Sam Serving", "sam@police.example", "North / Team 1", "2019-01-07")
	seed(t, st, courses, []training.Officer{old, recent, active},
		[]training.Completion{
			{OfficerID: "1001", CourseID: courses[0].ID, Date: date("2021-03-01")},
			{OfficerID: "1002", CourseID: courses[0].ID, Date: date("2021-03-02")},
			{OfficerID: "2002", CourseID: courses[0].ID, Date: date("2024-03-03")},
		},
		[]training.Exemption{{OfficerID: "1001", CourseID: courses[1].ID, From: date("2022-01-01"), Reason: "maternity leave"}})
	figures := func(asOf string) string {
		ds, err := st.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r, err := training.BuildReport(ds, date(asOf), training.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		return string(b)
	}
	before := map[string]string{}
	for _, d := range []string{"2022-06-01", "2023-01-01", "2026-11-01"} {
		before[d] = figures(d)
	}
	// An audit event from three years ago, and one about the old leaver.
	now := at(date("2026-11-24"))
	for _, e := range []training.AuditEvent{
		training.NewAuditEvent(now.AddDate(-3, 0, 0), "hr", training.AuditSignIn, "", "", "", ""),
		training.NewAuditEvent(now.AddDate(0, -1, 0), "hr", training.AuditOfficerViewed, training.TargetOfficer, "1001", "", ""),
	} {
		if err := st.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	// Import reports (they list rows by name): one old, one recent.
	for _, imp := range []training.ImportRecord{
		{ID: "old-import", Kind: training.ImportFull, By: "hr", At: now.AddDate(-3, 0, 0), Outcome: training.OutcomeApplied, Report: []byte(`{"rows":"Olga Oldleaver"}`)},
		{ID: "new-import", Kind: training.ImportFull, By: "hr", At: now.AddDate(0, -1, 0), Outcome: training.OutcomeApplied, Report: []byte(`{"rows":"Sam Serving"}`)},
	} {
		if err := st.PutImport(ctx, imp); err != nil {
			t.Fatal(err)
		}
	}
	// Requests: the old leaver's (a reason about sickness) go with them,
	// the serving officer's stay.
	for _, r := range []training.Request{
		{ID: "req-olga", Kind: training.RequestExtension, OfficerID: "1001", CourseID: courses[0].ID, Until: date("2023-08-01"),
			Reason: "Long-term sick", Due: date("2023-06-01"), Created: now.AddDate(-3, 0, 0), State: training.RequestDeclined},
		{ID: "req-sam", Kind: training.RequestExtension, OfficerID: "2002", CourseID: courses[0].ID, Until: date("2027-01-01"),
			Reason: "Court", Due: date("2026-12-01"), Created: now.AddDate(0, 0, -1), State: training.RequestOpen},
	} {
		if err := st.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	s, err := jobs.New(jobs.Config{Store: st, Logger: testLogger(t), Clock: newClock(now).Now, BaseURL: "https://muster.example",
		Secret: secret, Mailer: mail.NewDrop(filepath.Join(t.TempDir(), "mail")), Schedules: jobs.Schedules{Sender: "off"},
		DataRetention: &training.RetentionPolicy{LeaversMonths: 24, AuditMonths: 24, ImportReportsMonths: 24}})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := s.RunNow(ctx, jobs.JobRetention, true, training.Date{})
	if err != nil || dry.Counts["leavers_due"] != 1 || dry.Counts["officers_anonymised"] != 0 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if _, err := st.Officer(ctx, "1001"); err != nil {
		t.Fatalf("a dry run changed the roster: %v", err)
	}
	run, err := s.RunNow(ctx, jobs.JobRetention, false, training.Date{})
	if err != nil || run.Error != "" {
		t.Fatalf("run: %+v %v", run, err)
	}
	want := map[string]int{"leavers_due": 1, "officers_anonymised": 1, "completions_anonymised": 1, "exemptions_anonymised": 1,
		"audit_events_deleted": 1, "import_reports_deleted": 1, "requests_deleted": 1}
	for k, v := range want {
		if run.Counts[k] != v {
			t.Errorf("count %s = %d, want %d (%v)", k, run.Counts[k], v, run.Counts)
		}
	}
	if _, err := st.Request(ctx, "req-olga"); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("the anonymised leaver's request: %v", err)
	}
	if _, err := st.Request(ctx, "req-sam"); err != nil {
		t.Errorf("the serving officer's request: %v", err)
	}
	for d, b := range before {
		if got := figures(d); got != b {
			t.Errorf("figures at %s changed:\n before %s\n after  %s", d, b, got)
		}
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dump, _ := json.Marshal(ds)
	for _, gone := range []string{"Olga", "olga@police.example", `"1001"`, "maternity"} {
		if strings.Contains(string(dump), gone) {
			t.Errorf("%q is still in the roster", gone)
		}
	}
	for _, kept := range []string{"Rita", "Sam Serving"} {
		if !strings.Contains(string(dump), kept) {
			t.Errorf("%q was removed but is within the period or active", kept)
		}
	}
	page, err := st.Audit(ctx, training.AuditQuery{Action: training.AuditRetention})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Events) != 1 || page.Events[0].Actor != training.ActorSystem ||
		page.Events[0].Detail != "leavers_months=24 audit_months=24 import_reports_months=24 officers=1 completions=1 exemptions=1 audit_events=1 import_reports=1" {
		t.Errorf("retention audit event: %+v", page.Events)
	}
	for id, want := range map[string]bool{"old-import": false, "new-import": true} {
		imp, err := st.Import(ctx, id)
		if err != nil || (len(imp.Report) > 0) != want || imp.Outcome != training.OutcomeApplied {
			t.Errorf("import %s after retention: report kept %t, want %t (%v)", id, len(imp.Report) > 0, want, err)
		}
	}
	// Run again: nothing more to do.
	again, err := s.RunNow(ctx, jobs.JobRetention, false, training.Date{})
	if err != nil || again.Counts["officers_anonymised"] != 0 || again.Counts["leavers_due"] != 0 || again.Counts["import_reports_deleted"] != 0 {
		t.Errorf("second run: %+v %v", again, err)
	}
}
