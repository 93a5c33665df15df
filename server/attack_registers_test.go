package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

// Attack tests on registers (issue 20 part 1): each states a promise of
// README/docs/COMPLIANCE.md "Registers" and tries to break it through the
// real routes.

func attackSaveRegister(t *testing.T, e *testEnv, as string, body map[string]any) api.RegisterJSON {
	t.Helper()
	rec := e.do(req{method: "POST", path: "/api/v1/registers?confirm=true", as: as, body: jsonBody(body), ctype: "application/json"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("%s saves %v: %d %s", as, body, rec.Code, rec.Body)
	}
	return decode[api.RegisterJSON](t, rec)
}

func attackHasCompletion(t *testing.T, e *testEnv, officer, course string, d training.Date) bool {
	t.Helper()
	off := decode[training.OfficerRecord](t, e.do(req{method: "GET", path: "/api/v1/officers/" + officer, as: "hr"}))
	for _, c := range off.Completions {
		if c.CourseID == course && c.Date == d {
			return true
		}
	}
	return false
}

// attackToken gives username an API token, sent as caller username+"-token".
func attackToken(t *testing.T, e *testEnv, username string) {
	t.Helper()
	secret := tokenPrefix + web.RandomToken()
	if err := e.st.CreateToken(context.Background(), training.Token{ID: "tok-" + username, Hash: web.SHA256Hex(secret), Name: "attack", Username: username, Created: testNow}); err != nil {
		t.Fatal(err)
	}
	e.bearer[username+"-token"] = secret
}

// TestAttackWithdrawOneOfTwoRegistersKeepsTheOther: two trainers who ran
// the same session both record it (or one records it twice). The docs
// promise that withdrawing one keeps a completion "another register"
// recorded, "as they would be had the register never been saved".
func TestAttackWithdrawOneOfTwoRegistersKeepsTheOther(t *testing.T) {
	for name, open := range auditStores() {
		if name == "miniredis" {
			continue
		}
		t.Run(name, func(t *testing.T) { testAttackWithdrawOneOfTwo(t, open(t)) })
	}
}

func testAttackWithdrawOneOfTwo(t *testing.T, st training.Store) {
	e := newTestEnvOn(t, st)
	body := map[string]any{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "B1"}
	first := attackSaveRegister(t, e, "trainer", body)
	second := attackSaveRegister(t, e, "hr", body)
	if first.Added != 1 || second.Added != 0 {
		t.Fatalf("added %d then %d", first.Added, second.Added)
	}
	d := training.DateFrom(2026, 11, 20)
	if rec := e.do(req{method: "POST", path: "/api/v1/registers/" + first.ID + "/withdraw", as: "trainer"}); rec.Code != 200 {
		t.Fatalf("withdraw: %d %s", rec.Code, rec.Body)
	}
	if !attackHasCompletion(t, e, "B1", "trauma-informed-communication", d) {
		t.Errorf("withdrawing register %s took away B1's completion that register %s (still standing) also records", first.ID, second.ID)
	}
	// Withdrawing the second too takes it back: it now holds it.
	if rec := e.do(req{method: "POST", path: "/api/v1/registers/" + second.ID + "/withdraw", as: "hr"}); rec.Code != 200 {
		t.Fatalf("withdraw the second: %d %s", rec.Code, rec.Body)
	}
	if attackHasCompletion(t, e, "B1", "trauma-informed-communication", d) {
		t.Errorf("withdrawing both registers left B1's completion")
	}
}

// TestAttackWithdrawIDOR: a trainer cannot withdraw another user's
// register, a file import, or an ID that does not exist; nor with hostile
// IDs; the answer never says which exists.
func TestAttackWithdrawIDOR(t *testing.T) {
	e := newTestEnv(t)
	hrs := attackSaveRegister(t, e, "hr", map[string]any{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "B1"})
	for _, id := range []string{hrs.ID, "seed", "reg-nope", "..%2F..%2Fseed", "reg-%00%0a", strings.Repeat("x", 4000)} {
		rec := e.do(req{method: "POST", path: "/api/v1/registers/" + id + "/withdraw", as: "trainer"})
		if rec.Code != http.StatusNotFound {
			t.Errorf("trainer withdraws %.40q: %d %s", id, rec.Code, rec.Body)
		}
	}
	// HR cannot withdraw a file import through the register route.
	if rec := e.do(req{method: "POST", path: "/api/v1/registers/seed/withdraw", as: "hr"}); rec.Code != http.StatusNotFound {
		t.Errorf("hr withdraws the seed import: %d %s", rec.Code, rec.Body)
	}
	if !attackHasCompletion(t, e, "B1", "trauma-informed-communication", training.DateFrom(2026, 11, 20)) {
		t.Error("a refused withdrawal took the completion back")
	}
	// A trainer's list, API and page, holds none of HR's registers.
	for _, r := range decode[[]api.RegisterJSON](t, e.do(req{method: "GET", path: "/api/v1/registers", as: "trainer"})) {
		if r.ID == hrs.ID {
			t.Errorf("the trainer's list holds HR's register %s", r.ID)
		}
	}
	if rec := e.do(req{method: "GET", path: "/registers", as: "trainer"}); strings.Contains(rec.Body.String(), hrs.ID) || rec.Code != 200 {
		t.Errorf("the trainer's Registers page: %d, names HR's register: %v", rec.Code, strings.Contains(rec.Body.String(), hrs.ID))
	}
	// The page's withdraw button without the form's CSRF token: refused.
	mine := attackSaveRegister(t, e, "trainer", map[string]any{"course": "TIC", "date": "2026-11-19", "place": "Room 4", "ids": "A1"})
	if rec := e.do(req{method: "POST", path: "/registers/" + mine.ID + "/withdraw", as: "trainer", noCSRF: true,
		body: strings.NewReader("x=1"), ctype: "application/x-www-form-urlencoded"}); rec.Code != http.StatusForbidden {
		t.Errorf("withdraw without CSRF: %d", rec.Code)
	}
	if rec := e.do(req{method: "POST", path: "/registers?confirm=true", as: "trainer", noCSRF: true, ctype: "application/x-www-form-urlencoded",
		body: strings.NewReader("course=TIC&date=2026-11-19&place=R&ids=B2&confirm=true&action=save")}); rec.Code != http.StatusForbidden {
		t.Errorf("save without CSRF: %d", rec.Code)
	}
	// Managers and officer links: refused.
	if rec := e.do(req{method: "POST", path: "/api/v1/registers/" + hrs.ID + "/withdraw", as: "mgr-a"}); rec.Code != http.StatusForbidden {
		t.Errorf("manager: %d", rec.Code)
	}
}

// TestAttackWithdrawConcurrentAndLate: of two withdrawals at once exactly
// one wins; after the 14th day nobody (not even HR) withdraws.
func TestAttackWithdrawConcurrentAndLate(t *testing.T) {
	for name, open := range auditStores() {
		if name == "miniredis" {
			continue
		}
		t.Run(name, func(t *testing.T) { testAttackWithdrawConcurrentAndLate(t, open(t)) })
	}
}

func testAttackWithdrawConcurrentAndLate(t *testing.T, st training.Store) {
	var mu sync.Mutex
	now := testNow
	e := newTestEnvOn(t, st, func(c *Config) {
		c.Clock = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	r := attackSaveRegister(t, e, "trainer", map[string]any{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "B1 A1"})
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			as := "trainer"
			if i%2 == 1 {
				as = "hr"
			}
			codes[i] = e.do(req{method: "POST", path: "/api/v1/registers/" + r.ID + "/withdraw", as: as}).Code
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("concurrent withdrawal answered %d", c)
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent withdrawals succeeded: %v", ok, codes)
	}
	audit := decode[training.AuditPage](t, e.do(req{method: "GET", path: "/api/v1/audit?action=register_withdrawn", as: "admin"}))
	if len(audit.Events) != 1 {
		t.Errorf("%d withdrawal events", len(audit.Events))
	}

	late := attackSaveRegister(t, e, "trainer", map[string]any{"course": "TIC", "date": "2026-11-21", "place": "Room 4", "ids": "B1"})
	mu.Lock()
	now = late.At.Add(15 * 24 * time.Hour)
	mu.Unlock()
	for _, as := range []string{"trainer", "hr", "admin"} {
		attackToken(t, e, as)
		if rec := e.do(req{method: "POST", path: "/api/v1/registers/" + late.ID + "/withdraw", as: as + "-token"}); rec.Code != http.StatusConflict {
			t.Errorf("%s withdraws after 15 days: %d %s", as, rec.Code, rec.Body)
		}
	}
}

// TestAttackRegisterHostileInput: bounded input and dates; nothing saved.
func TestAttackRegisterHostileInput(t *testing.T) {
	e := newTestEnv(t)
	many := make([]string, 100_000)
	for i := range many {
		many[i] = "X" + strings.Repeat("9", 1) + string(rune('A'+i%26)) + strings.Repeat("1", i%7)
	}
	cases := []map[string]any{
		{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": strings.Repeat(",", 1<<20-200)},
		{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": strings.Join(many, "\n")},
		{"course": "TIC", "date": "2099-01-01", "place": "Room 4", "ids": "B1"},
		{"course": "TIC", "date": "1900-01-01", "place": "Room 4", "ids": "B1"},
		{"course": "TIC", "date": "2026-11-20", "place": strings.Repeat("p", 201), "ids": "B1"},
		{"course": "TIC", "date": "2026-11-20", "place": "Room\u202e4", "ids": "B1"},
		{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "B1\x00\x1b[31m"},
		{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "", "ticked": many[:600]},
	}
	for i, body := range cases {
		rec := e.do(req{method: "POST", path: "/api/v1/registers?confirm=true", as: "trainer", body: jsonBody(body), ctype: "application/json"})
		if rec.Code >= 500 || rec.Code == http.StatusCreated && i != 6 {
			t.Errorf("case %d: %d %.200s", i, rec.Code, rec.Body)
		}
	}
	list := decode[[]api.RegisterJSON](t, e.do(req{method: "GET", path: "/api/v1/registers", as: "hr"}))
	for _, r := range list {
		for _, a := range r.Attendees {
			if strings.ContainsAny(a, "\x00\x1b") {
				t.Errorf("a control character saved in an attendee: %q", a)
			}
		}
	}
}

// TestAttackTrainerTokenSeesNoFigures: a trainer's API token opens the
// register API and nothing that shows figures, lists or accounts.
func TestAttackTrainerTokenSeesNoFigures(t *testing.T) {
	e := newTestEnv(t)
	attackToken(t, e, "trainer")
	if rec := e.do(req{method: "GET", path: "/api/v1/registers", as: "trainer-token"}); rec.Code != 200 {
		t.Fatalf("trainer token on registers: %d", rec.Code)
	}
	for _, p := range []string{"/api/v1/compliance", "/api/v1/compliance/export", "/api/v1/officers", "/api/v1/officers/A1",
		"/api/v1/trend", "/api/v1/matrix?unit=Alpha", "/api/v1/imports", "/api/v1/imports/seed", "/api/v1/audit", "/api/v1/users",
		"/api/v1/jobs", "/api/v1/jobs/runs", "/api/v1/outbox", "/api/v1/remind", "/api/v1/officers/A1/subject-access",
		"/api/v1/xapi/waiting", "/api/v1/mappings", "/api/v1/outbox/status"} {
		for _, as := range []string{"trainer-token", "trainer"} {
			if rec := e.do(req{method: "GET", path: p, as: as}); rec.Code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", as, p, rec.Code)
			}
		}
	}
	for _, p := range []string{"/audit", "/accounts", "/jobs", "/jobs/remind", "/jobs/remind.csv", "/courses", "/matrix.xlsx?unit=Alpha",
		"/export/officers.xlsx", "/officers/A1/subject-access", "/imports/seed", "/upload/x"} {
		if rec := e.do(req{method: "GET", path: p, as: "trainer"}); rec.Code != http.StatusForbidden {
			t.Errorf("trainer GET %s: %d", p, rec.Code)
		}
	}
	// The course list is open to anyone signed in: it must carry no figures.
	rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "trainer-token"})
	for _, leak := range []string{"compliant", "overdue", "required", "Aardvark", "A1"} {
		if strings.Contains(strings.ToLower(rec.Body.String()), strings.ToLower(`"`+leak)) {
			t.Errorf("courses for a trainer carry %q: %.300s", leak, rec.Body)
		}
	}
}

// TestAttackSheetHostile: the sign-in sheet's place and unit never reach
// the Content-Disposition header; a hostile unit is refused.
func TestAttackSheetHostile(t *testing.T) {
	e := newTestEnv(t)
	q := url.Values{"course": {"TIC"}, "unit": {"Alpha"}, "place": {"=cmd|' /C calc'!A0\r\nX-Evil: 1\"x"}}
	rec := e.do(req{method: "GET", path: "/registers/sheet.xlsx?" + q.Encode(), as: "trainer"})
	if rec.Code != 200 {
		t.Fatalf("sheet: %d %s", rec.Code, rec.Body)
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="sign-in-sheet.xlsx"` || rec.Header().Get("X-Evil") != "" {
		t.Errorf("Content-Disposition %q", cd)
	}
	// F1's name is a formula; the place starts with "=": both are text.
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sign-in sheet")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, row := range rows {
		for j, v := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fo, _ := f.GetCellFormula("Sign-in sheet", ref); fo != "" {
				t.Errorf("cell %s holds a formula %q", ref, fo)
			}
			if strings.Contains(v, "HYPERLINK") {
				found = true
				if !strings.HasPrefix(v, "'=") {
					t.Errorf("cell %s: %q not guarded", ref, v)
				}
			}
		}
	}
	if !found {
		t.Error("F1 (a name that is a formula, Alpha / Team 2) is not on the sheet: the check saw nothing")
	}
	q.Set("place", "<script>alert(1)</script>")
	if rec := e.do(req{method: "GET", path: "/registers/sheet?" + q.Encode(), as: "trainer"}); rec.Code != 200 || strings.Contains(rec.Body.String(), "<script>alert") {
		t.Errorf("the printable sheet reflects the place unescaped (%d)", rec.Code)
	}
	for _, p := range []string{"/registers/new?unit=%3Cscript%3Ex", "/registers/new?unit=Bravo&course=%22%3E%3Cscript%3Ex"} {
		if rec := e.do(req{method: "GET", path: p, as: "trainer"}); rec.Code >= 500 || strings.Contains(rec.Body.String(), "<script>x") {
			t.Errorf("GET %s: %d, reflected: %v", p, rec.Code, strings.Contains(rec.Body.String(), "<script>x"))
		}
	}
	for _, unit := range []string{"Alpha\r\nX: y", "../Bravo", "Nowhere", strings.Repeat("A / ", 5000)} {
		q.Set("unit", unit)
		rec := e.do(req{method: "GET", path: "/registers/sheet.xlsx?" + q.Encode(), as: "trainer"})
		if rec.Code == 200 || rec.Code >= 500 {
			t.Errorf("unit %.30q: %d", unit, rec.Code)
		}
	}
}

// TestAttackRegistersAfterRetention: the retention job drops the report of
// every import older than MUSTER_RETAIN_IMPORT_REPORTS_MONTHS (default 24)
// by setting ImportRecord.Report to nil (jobs/retention.go). A register's
// report is the register: once one is dropped, the Registers page and API
// must still answer, for HR and for the trainer who saved it.
func TestAttackRegistersAfterRetention(t *testing.T) {
	e := newTestEnv(t)
	old := attackSaveRegister(t, e, "trainer", map[string]any{"course": "TIC", "date": "2026-11-20", "place": "Room 4", "ids": "B1"})
	kept := attackSaveRegister(t, e, "trainer", map[string]any{"course": "TIC", "date": "2026-11-21", "place": "Room 5", "ids": "A1"})
	ctx := context.Background()
	rec, err := e.st.Import(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Report = nil // what the retention job does (jobs/retention.go)
	if err := e.st.PutImport(ctx, rec); err != nil {
		t.Fatal(err)
	}
	for _, as := range []string{"hr", "trainer"} {
		r := e.do(req{method: "GET", path: "/api/v1/registers", as: as})
		if r.Code != 200 || !strings.Contains(r.Body.String(), kept.ID) {
			t.Errorf("%s's register list after retention: %d %.200s", as, r.Code, r.Body)
		}
		if r := e.do(req{method: "GET", path: "/registers", as: as}); r.Code != 200 {
			t.Errorf("%s's Registers page after retention: %d", as, r.Code)
		}
	}
	if r := e.do(req{method: "POST", path: "/api/v1/registers/" + old.ID + "/withdraw", as: "hr"}); r.Code >= 500 {
		t.Errorf("withdrawing a register whose details were dropped: %d %s", r.Code, r.Body)
	}
}
