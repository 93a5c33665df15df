package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestPagesAudienceEditor: on the Courses page, an audience picked in an
// Include row is previewed by "Check what this changes" (nothing saved),
// a change of more than 20% is refused by the confirmation box's field
// until ticked, and then saved; the live count answers for the posted rows.
func TestPagesAudienceEditor(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("admin")
	ds, err := f.store.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var unit string
	total, inUnit := 0, 0
	for _, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		total++
		if unit == "" {
			unit = training.SplitUnit(o.Unit)[0]
		}
		if training.InUnit(o.Unit, unit) {
			inUnit++
		}
	}
	if inUnit == total {
		t.Fatalf("the fixture needs people outside %q", unit)
	}
	_, page := c.get("/courses")
	if !strings.Contains(page, `name="inc-0-unit"`) || !strings.Contains(page, "It covers") {
		t.Fatal("the Courses page has no audience editor")
	}
	// The editors start folded, each course summed up by who must do it.
	if n := strings.Count(page, `<details class="course-edit" open>`); n != 0 || !strings.Contains(page, "Who must do it: everyone") {
		t.Fatalf("the Courses page opens %d editors, or has no summary line", n)
	}
	form := url.Values{"title": {"CSE recognition"}, "deadline": {"2026-03-31"}, "due_within_days": {"90"}, "valid_for_months": {"36"},
		"due_soon_days": {"30"}, "aliases": {"CSE awareness"}, "inc-0-row": {"1"}, "inc-0-unit": {unit}, "exc-0-row": {"1"}}

	preview := url.Values{}
	for k, v := range form {
		preview[k] = v
	}
	preview.Set("action", "preview")
	status, _, body := c.post("/courses/cse-recognition", preview)
	if status != http.StatusOK || !strings.Contains(body, "What this change does") || !strings.Contains(body, "would stop being required") || !strings.Contains(body, `name="confirm"`) {
		t.Fatalf("preview: %d\n%.2000s", status, body)
	}
	// The course previewed is the one editor open, so that its preview
	// and confirmation box show.
	if n := strings.Count(body, `<details class="course-edit" open>`); n != 1 || strings.Index(body, `<details class="course-edit" open>`) < strings.Index(body, `id="h-cse-recognition"`) {
		t.Fatalf("the preview opens %d editors, or not CSE recognition's", n)
	}
	if cs, _ := f.store.Courses(context.Background()); !cs[0].Audience.IsZero() {
		t.Fatal("the preview saved the audience")
	}

	status, _, body = c.post("/courses/cse-recognition", form)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#confirm-cse-recognition"`) || strings.Count(body, `<details class="course-edit" open>`) != 1 {
		t.Fatalf("unconfirmed change: %d\n%.2000s", status, body)
	}
	form.Set("confirm", "true")
	if status, loc, _ := c.post("/courses/cse-recognition", form); status != http.StatusSeeOther || loc != "/courses" {
		t.Fatalf("confirmed change: %d %s", status, loc)
	}
	cs, _ := f.store.Courses(context.Background())
	if got := cs[0].Audience; len(got.Include) != 1 || len(got.Include[0].Unit) != 1 || got.Include[0].Unit[0] != unit || len(got.Exclude) != 0 {
		t.Fatalf("saved audience %+v", got)
	}

	status, _, body = c.post("/courses/audience-count", url.Values{"inc-0-row": {"1"}, "inc-0-unit": {unit}})
	var got struct{ Covers int }
	if status != http.StatusOK || json.Unmarshal([]byte(body), &got) != nil || got.Covers != inUnit {
		t.Fatalf("live count: %d %s, want covers %d", status, body, inUnit)
	}
}
