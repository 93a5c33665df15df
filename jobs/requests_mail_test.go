package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

// An approved extension moves what reminders say: the person is
// reminded of the new due date, in the words every page uses, and not as
// overdue.
func TestRemindersFollowAnExtension(t *testing.T) {
	c := training.Course{ID: "c", Title: "C", Deadline: training.NewDate(2026, 3, 31), DueWithinDays: 90, DueSoonDays: 30}
	o := training.Officer{ID: "1", Name: "Alex", Email: "alex@police.test", Unit: "A", StartDate: training.NewDate(2020, 1, 1)}
	asOf := training.NewDate(2026, 11, 24)
	plan := func(o training.Officer) jobs.Item {
		ds := &training.Dataset{Courses: []training.Course{c}, Officers: map[string]training.Officer{"1": o}}
		p := jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
		if len(p.Reminders) != 1 || len(p.Reminders[0].Items) != 1 {
			t.Fatalf("plan: %+v", p.Reminders)
		}
		return p.Reminders[0].Items[0]
	}
	if it := plan(o); it.Status != training.StatusOverdue {
		t.Fatalf("without an extension: %s", it.Status)
	}
	o.Extensions = map[string]training.Extension{"c": {Until: training.NewDate(2026, 12, 10), By: "Sam Sergeant", RequestID: "r", At: time.Now()}}
	it := plan(o)
	if it.Status != training.StatusDueSoon || it.Due != training.NewDate(2026, 12, 10) || !strings.Contains(it.Words, "extended to 10/12/2026 by Sam Sergeant") {
		t.Errorf("with an extension: %+v", it)
	}
}

// The request emails render: subject on one line, values escaped in HTML.
func TestRequestMessages(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	m, err := jobs.RequestMessage(jobs.TemplateRequestNew, "sam@police.test", "request|1|r1|new|sam", "https://muster.example",
		jobs.RequestMailData{Name: "sam", Officer: "Alex <b>Example</b>", OfficerID: "1", Unit: "A", Course: "CSE", What: "More time",
			Reason: "Court\nall week", Lapses: "24/12/2026", URL: "https://muster.example/requests"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Subject, "\n") || !strings.Contains(m.Subject, "Training request from Alex") || strings.Contains(m.HTML, "<b>Example</b>") ||
		m.State != training.MessageQueued || m.Kind != "request" || !strings.HasSuffix(m.MessageID, "@muster.example>") || len(m.LedgerKeys) != 1 {
		t.Errorf("new request email: %+v", m)
	}
	d, err := jobs.RequestMessage(jobs.TemplateRequestDecided, "alex@police.test", "request|1|r1|decided", "https://muster.example",
		jobs.RequestMailData{Name: "Alex", Course: "CSE", What: "More time", Outcome: "declined", DecidedBy: "Sam", DeclineReason: "No cover", Words: "Overdue"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "Your request about CSE was declined" || !strings.Contains(d.Text, "Why: No cover") || d.MessageID == m.MessageID || d.ID == m.ID {
		t.Errorf("decision email: %q %q", d.Subject, d.Text)
	}
}
