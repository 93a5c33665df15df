package server

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/server/ui"
	"github.com/muster-police/muster/training"
)

// remindFixture is the web fixture with the real scheduler and a force of
// officers who need reminders: some reachable (one named like a script),
// one without an email and one with an address known to be invalid.
func remindFixture(t *testing.T, reachable int) (*webFixture, *jobs.Scheduler) {
	t.Helper()
	f := newWebFixture(t, false)
	s, err := jobs.New(jobs.Config{Store: f.store, Clock: f.srv.cfg.Clock, BaseURL: "http://muster.test",
		Secret: []byte("0123456789abcdef0123456789abcdef"), Mailer: mail.NewDrop(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Core.Cfg.Jobs = s
	src := training.Source{ImportID: "seed", File: "seed.xlsx", Row: 2, At: webNow}
	joined := training.DateFrom(2026, 1, 5)
	officers := []training.Officer{
		{ID: "101", DisplayID: "101", Name: "<script>alert(1)</script>", Unit: "Unit A / Team 1", Email: "script@police.test"},
		{ID: "102", DisplayID: "102", Name: "Siobhán O'Brien", Unit: "Unit A / Team 1"},
		{ID: "103", DisplayID: "103", Name: "Ivan Invalid", Unit: "Unit A / Team 2", Email: "ivan@police.test", EmailInvalid: true},
	}
	for i := range reachable {
		officers = append(officers, training.Officer{ID: fmt.Sprintf("P%04d", i), DisplayID: fmt.Sprintf("P%04d", i),
			Name: fmt.Sprintf("Officer %04d", i), Unit: "Unit B / Team 9", Email: fmt.Sprintf("p%04d@police.test", i)})
	}
	for i := range officers {
		officers[i].FirstSeen, officers[i].Source = joined, src
	}
	cs := training.ChangeSet{Officers: officers,
		Import: training.ImportRecord{ID: "seed", Kind: training.ImportFull, FileName: "seed.xlsx", By: "test", At: webNow, Outcome: training.OutcomeApplied}}
	if _, err := f.store.ApplyChanges(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	return f, s
}

func TestPagesRemind(t *testing.T) {
	f, s := remindFixture(t, 2)
	plan, err := s.PlanReminders(context.Background(), training.DateOf(webNow))
	if err != nil {
		t.Fatal(err)
	}
	if plan.Counts.ToRemind != 3 || plan.Counts.NoEmail != 1 || plan.Counts.InvalidEmail != 1 || len(plan.Reminders[0].Items) == 0 {
		t.Fatalf("the seeded force does not plan as the test expects: %+v", plan.Counts)
	}
	admin := f.login("admin")
	status, body := admin.get("/jobs/remind?as_of=" + training.DateOf(webNow).String())
	if status != http.StatusOK {
		t.Fatalf("admin: status %d", status)
	}
	it := plan.Reminders[0].Items[0]
	for _, want := range []string{
		fmt.Sprintf(`<dd id="count-to-remind">%d</dd>`, plan.Counts.ToRemind),
		fmt.Sprintf(`<dd id="count-cannot">%d</dd>`, plan.Counts.CannotRemind),
		`<dd id="count-no-email">1</dd>`, `<dd id="count-invalid-email">1</dd>`,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "script@police.test", "Officer 0001", "p0001@police.test",
		"Siobhán O&#39;Brien", "no email", "Ivan Invalid", "invalid email",
		it.Stage, strings.ReplaceAll(it.Why, "'", "&#39;"),
		`href="/jobs/remind.csv?as_of=2026-11-24"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/jobs/remind lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a name is not escaped")
	}
	if strings.Contains(body, "ivan@police.test") {
		t.Error("an address known to be invalid is shown as one to email")
	}
	if _, body := admin.get("/jobs"); !strings.Contains(body, `href="/jobs/remind?as_of=2026-11-24"`) {
		t.Error("the jobs page does not link to the dry run")
	}

	status, body = admin.get("/jobs/remind.csv?as_of=2026-11-24")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if status != http.StatusOK || err != nil {
		t.Fatalf("csv: %d %v", status, err)
	}
	want := 1 + plan.Counts.Items
	for _, u := range plan.CannotRemind {
		want += len(u.Items)
	}
	if len(rows) != want || rows[1][0] != "remind" || rows[len(rows)-1][0] != "cannot remind" {
		t.Errorf("csv: %d rows, want %d: %q", len(rows), want, rows)
	}

	for _, who := range []string{"hr", "manager-a"} {
		c := f.login(who)
		for _, path := range []string{"/jobs/remind", "/jobs/remind.csv"} {
			if status, body := c.get(path); status != http.StatusForbidden || strings.Contains(body, "script@police.test") {
				t.Errorf("%s GET %s: %d", who, path, status)
			}
		}
	}
	for _, path := range []string{"/jobs/remind?as_of=soon", "/jobs/remind?page=0", "/jobs/remind?page=x"} {
		if status, _ := admin.get(path); status != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", path, status)
		}
	}
}

// TestPagesRemindPages: a large run is shown a page at a time, with a total.
func TestPagesRemindPages(t *testing.T) {
	f, _ := remindFixture(t, ui.RemindPageSize+9)
	admin := f.login("admin")
	total := ui.RemindPageSize + 10
	_, body := admin.get("/jobs/remind?as_of=2026-11-24")
	if !strings.Contains(body, fmt.Sprintf("Showing 1–%d of %d", ui.RemindPageSize, total)) || !strings.Contains(body, `href="/jobs/remind?as_of=2026-11-24&amp;page=2"`) {
		t.Error("the first page has no pager")
	}
	if strings.Count(body, `scope="rowgroup"`) != ui.RemindPageSize {
		t.Errorf("the first page lists %d officers, want %d", strings.Count(body, `scope="rowgroup"`), ui.RemindPageSize)
	}
	_, body = admin.get("/jobs/remind?as_of=2026-11-24&page=2")
	if !strings.Contains(body, fmt.Sprintf("Showing %d–%d of %d", ui.RemindPageSize+1, total, total)) || strings.Count(body, `scope="rowgroup"`) != 10 {
		t.Error("the second page is wrong")
	}
	if status, _ := admin.get("/jobs/remind?as_of=2026-11-24&page=3"); status != http.StatusNotFound {
		t.Errorf("a page past the end: %d, want 404", status)
	}
}

// TestPagesRemindJobsOff: without a scheduler the page says so.
func TestPagesRemindJobsOff(t *testing.T) {
	f := newWebFixture(t, false)
	if status, body := f.login("admin").get("/jobs/remind"); status != http.StatusServiceUnavailable || !strings.Contains(body, "off") {
		t.Errorf("jobs off: %d", status)
	}
}
