package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestCourseEscalateAfterDaysAPI: the courses API takes and returns
// escalate_after_days, and refuses a value out of range naming it.
func TestCourseEscalateAfterDaysAPI(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "PUT", path: "/api/v1/courses/first-aid", as: "hr", ctype: "application/json",
		body: strings.NewReader(`{"title":"First aid","escalate_after_days":90}`)})
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT: %d %s", rec.Code, rec.Body)
	}
	found := false
	for _, c := range decode[[]training.Course](t, e.do(req{method: "GET", path: "/api/v1/courses", as: "hr"})) {
		if c.ID == "first-aid" {
			found = c.EscalateAfterDays == 90
		}
	}
	if !found {
		t.Error("GET /api/v1/courses does not return escalate_after_days 90")
	}
	for _, body := range []string{`{"title":"First aid","escalate_after_days":-1}`, `{"title":"First aid","escalate_after_days":3651}`} {
		rec := e.do(req{method: "PUT", path: "/api/v1/courses/first-aid", as: "hr", ctype: "application/json", body: strings.NewReader(body)})
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "escalate_after_days") {
			t.Errorf("%s: %d %s, want 400 naming escalate_after_days", body, rec.Code, rec.Body)
		}
	}
}

// TestCourseEscalateAfterDaysPage: the Courses page edits the field, shows
// the saved value, and reports a bad one by its field with what was typed.
func TestCourseEscalateAfterDaysPage(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("admin")
	form := url.Values{"title": {"CSE recognition"}, "deadline": {"2026-03-31"}, "due_within_days": {"90"}, "valid_for_months": {"36"},
		"due_soon_days": {"30"}, "escalate_after_days": {"45"}}
	if status, loc, _ := c.post("/courses/cse-recognition", form); status != http.StatusSeeOther || loc != "/courses" {
		t.Fatalf("save course: %d %s", status, loc)
	}
	cs, _ := f.store.Courses(context.Background())
	if cs[0].ID != "cse-recognition" || cs[0].EscalateAfterDays != 45 {
		t.Fatalf("course after save: %+v", cs[0])
	}
	_, body := c.get("/courses")
	if !strings.Contains(body, `id="escalate-cse-recognition" name="escalate_after_days" value="45"`) {
		t.Errorf("the saved value is not in the editor: %s", between(body, `id="escalate-cse-recognition"`, ">"))
	}
	if strings.Count(body, "Escalated after") != 1 || !strings.Contains(body, "Escalated after 45 days overdue") {
		t.Errorf("the course's summary does not say it escalates (once, for CSE only)")
	}
	for _, bad := range []string{"-3", "4000", "soon"} {
		form.Set("escalate_after_days", bad)
		status, _, body := c.post("/courses/cse-recognition", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#escalate-cse-recognition">`) {
			t.Errorf("%q: %d, without the error by the field: %s", bad, status, between(body, `<div class="error-summary"`, "</ul>"))
		}
	}
	if cs, _ := f.store.Courses(context.Background()); cs[0].EscalateAfterDays != 45 {
		t.Errorf("a refused save changed the course: %d", cs[0].EscalateAfterDays)
	}
}
