package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/training"
)

// TestRegisterAPI drives a register through the API as a script would:
// the preview saves nothing, an unconfirmed save is refused on the field
// confirm, the confirmed save moves the figures, and the withdrawal
// restores them byte for byte; both are audited.
func TestRegisterAPI(t *testing.T) {
	e := newTestEnv(t)
	const compliance = "/api/v1/compliance?course=trauma-informed-communication"
	figures := func() []byte {
		rec := e.do(req{method: "GET", path: compliance, as: "hr"})
		if rec.Code != 200 {
			t.Fatalf("compliance: %d %s", rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	before := figures()
	body := map[string]any{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "A1\r\nb1, Z9\tA1 "}

	rec := e.do(req{method: "POST", path: "/api/v1/registers/preview", as: "trainer", body: jsonBody(body), ctype: "application/json"})
	if rec.Code != 200 {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	p := decode[api.RegisterPreviewJSON](t, rec)
	if len(p.Lines) != 3 || p.Recorded != 2 || p.Unknown != 1 || p.Lines[1].Name != "Bella Bravoname" || !p.Lines[2].Unknown {
		t.Errorf("preview %+v", p)
	}
	// The trainer sees names and units only: no status, no dates.
	for _, absent := range []string{"status", "due", "email", "completions"} {
		if strings.Contains(rec.Body.String(), `"`+absent) {
			t.Errorf("the preview tells a trainer %q: %s", absent, rec.Body)
		}
	}
	if !bytes.Equal(figures(), before) {
		t.Fatal("the preview changed the figures")
	}
	rec = e.do(req{method: "POST", path: "/api/v1/registers", as: "trainer", body: jsonBody(body), ctype: "application/json"})
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "confirm") {
		t.Fatalf("unconfirmed save: %d %s", rec.Code, rec.Body)
	}
	rec = e.do(req{method: "POST", path: "/api/v1/registers?confirm=true", as: "trainer", body: jsonBody(body), ctype: "application/json"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("save: %d %s", rec.Code, rec.Body)
	}
	saved := decode[api.RegisterJSON](t, rec)
	if strings.Join(saved.Attendees, ",") != "A1,B1" || saved.Added != 2 || !saved.CanWithdraw || saved.WithdrawUntil != training.DateOf(testNow).AddDays(14) {
		t.Errorf("saved %+v", saved)
	}
	during := figures()
	if bytes.Equal(during, before) {
		t.Fatal("the register did not change the figures")
	}
	off := decode[training.OfficerRecord](t, e.do(req{method: "GET", path: "/api/v1/officers/B1", as: "hr"}))
	var src training.Source
	for _, c := range off.Completions {
		if c.CourseID == "trauma-informed-communication" {
			src = c.Source
		}
	}
	if src.ImportID != saved.ID || src.By != "trainer" || src.File != "Room 4" {
		t.Errorf("B1's completion source %+v", src)
	}

	list := decode[[]api.RegisterJSON](t, e.do(req{method: "GET", path: "/api/v1/registers", as: "hr"}))
	if len(list) != 1 || list[0].ID != saved.ID {
		t.Errorf("hr's list %+v", list)
	}
	withdraw := "/api/v1/registers/" + saved.ID + "/withdraw"
	if rec := e.do(req{method: "POST", path: withdraw, as: "mgr-a"}); rec.Code != http.StatusForbidden {
		t.Errorf("a manager's withdrawal: %d", rec.Code)
	}
	if rec := e.do(req{method: "POST", path: withdraw, as: "trainer"}); rec.Code != 200 {
		t.Fatalf("withdraw: %d %s", rec.Code, rec.Body)
	}
	if after := figures(); !bytes.Equal(after, before) {
		t.Errorf("the figures after the withdrawal differ from before:\n%s\n%s", before, after)
	}
	if rec := e.do(req{method: "POST", path: withdraw, as: "trainer"}); rec.Code != http.StatusConflict {
		t.Errorf("a second withdrawal: %d %s", rec.Code, rec.Body)
	}
	for _, action := range []string{"register_saved", "register_withdrawn"} {
		page := decode[training.AuditPage](t, e.do(req{method: "GET", path: "/api/v1/audit?action=" + action, as: "admin"}))
		if len(page.Events) != 1 || page.Events[0].Actor != "trainer" || page.Events[0].TargetID != saved.ID {
			t.Errorf("%s events %+v", action, page.Events)
		}
	}
}

// TestTrainerSeesOnlyRecording: a trainer's pages name only the people
// entered or picked; every figure, list and export is refused; an
// officer's signed link opens none of the register routes.
func TestTrainerSeesOnlyRecording(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/officers", "/officers/A1", "/matrix?unit=Alpha", "/export/officers.csv", "/api/v1/compliance",
		"/api/v1/officers", "/api/v1/trend", "/api/v1/matrix?unit=Alpha", "/imports", "/upload"} {
		if rec := e.do(req{method: "GET", path: path, as: "trainer"}); rec.Code != http.StatusForbidden {
			t.Errorf("trainer GET %s: %d", path, rec.Code)
		}
	}
	if rec := e.do(req{method: "GET", path: "/", as: "trainer"}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/registers" {
		t.Errorf("trainer's home: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec := e.do(req{method: "GET", path: "/registers/new?unit=Alpha", as: "trainer"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Alice Aardvark") || strings.Contains(rec.Body.String(), "Bravoname") {
		t.Errorf("the unit's people: %d", rec.Code)
	}
	for _, leak := range []string{"Dashboard", "Officers", "Matrix", "%", "Overdue", "Compliant"} {
		if strings.Contains(rec.Body.String(), ">"+leak) {
			t.Errorf("the trainer's page shows %q", leak)
		}
	}
	link := training.SignOfficerLink(testSecret, "A1", testNow.Add(24*time.Hour))
	for _, r := range []req{
		{method: "GET", path: "/api/v1/registers", header: map[string]string{"Authorization": "Bearer " + link}},
		{method: "GET", path: "/registers?token=" + link},
		{method: "POST", path: "/api/v1/registers/preview", body: jsonBody(map[string]string{"course": "CSE"}), ctype: "application/json",
			header: map[string]string{"Authorization": "Bearer " + link}},
	} {
		if rec := e.do(r); rec.Code != http.StatusUnauthorized && rec.Code != http.StatusSeeOther {
			t.Errorf("officer link on %s %s: %d", r.method, r.path, rec.Code)
		}
	}
}

// TestRegisterPages: a form with a problem comes back with the error by its
// field and everything typed kept; Show names lists the unit's people to
// tick, keeping the IDs typed; ticked names join the typed IDs in the
// preview; the preview's confirm form carries them to the save.
func TestRegisterPages(t *testing.T) {
	e := newTestEnv(t)
	post := func(v url.Values) *httptest.ResponseRecorder {
		t.Helper()
		body, ctype := formOf(v)(e, "trainer")
		return e.do(req{method: "POST", path: "/registers", as: "trainer", body: body, ctype: ctype, noCSRF: true})
	}
	rec := post(url.Values{"course": {"CSE"}, "date": {"2026-11-20"}, "ids": {"A1\nZ9"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `href="#place"`) || !strings.Contains(rec.Body.String(), "A1\nZ9") {
		t.Errorf("missing place: %d", rec.Code)
	}
	rec = post(url.Values{"course": {"CSE"}, "date": {"2026-11-20"}, "place": {"Room 4"}, "ids": {"B1"}, "unit": {"Alpha / Team 1"}, "action": {"names"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="ticked" value="A1"`) || !strings.Contains(rec.Body.String(), ">B1</textarea>") ||
		strings.Contains(rec.Body.String(), "Adam Apple") {
		t.Errorf("show names: %d %s", rec.Code, clip(rec.Body.String()))
	}
	rec = post(url.Values{"course": {"CSE"}, "date": {"2026-11-20"}, "place": {"Room 4"}, "ids": {"B1"}, "unit": {"Alpha / Team 1"}, "ticked": {"A1", "L1"}, "action": {"preview"}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="count-recorded">3<`) || !strings.Contains(body, `name="ticked" value="L1"`) || !strings.Contains(body, `id="register-save"`) {
		t.Fatalf("preview: %d %s", rec.Code, clip(body))
	}
	rec = post(url.Values{"course": {"CSE"}, "date": {"2026-11-20"}, "place": {"Room 4"}, "ids": {"B1"}, "ticked": {"A1", "L1"}, "confirm": {"true"}, "action": {"save"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/registers" {
		t.Fatalf("save: %d %s", rec.Code, clip(rec.Body.String()))
	}
	list := decode[[]api.RegisterJSON](t, e.do(req{method: "GET", path: "/api/v1/registers", as: "trainer"}))
	if len(list) != 1 || strings.Join(list[0].Attendees, ",") != "B1,A1,L1" {
		t.Errorf("saved %+v", list)
	}
}
