package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// auditStores are the backends the audit tests run on: the product's two,
// Redis both in-process and as a real server.
func auditStores() map[string]func(t *testing.T) training.Store {
	return map[string]func(t *testing.T) training.Store{
		"bolt": func(t *testing.T) training.Store {
			st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
		"miniredis": func(t *testing.T) training.Store { return openRedis(t, "redis://"+miniredis.RunT(t).Addr()) },
		"redis": func(t *testing.T) training.Store {
			return openRedis(t, "redis://"+redistest.Start(t, "--save", "", "--appendonly", "no").Addr())
		},
	}
}

func auditEvents(t *testing.T, e *testEnv, q training.AuditQuery) []training.AuditEvent {
	t.Helper()
	page, err := e.st.Audit(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return page.Events
}

// TestAuditTrail drives the real handlers and reads the trail back
// through the API, on every store.
func TestAuditTrail(t *testing.T) {
	for name, open := range auditStores() {
		t.Run(name, func(t *testing.T) { testAuditTrail(t, newTestEnvOn(t, open(t))) })
	}
}

func testAuditTrail(t *testing.T, e *testEnv) {
	ctx := context.Background()
	// Sign-ins: a success, a wrong password, an unknown name.
	for _, c := range []struct {
		user, password string
		want           int
	}{{"hr", testPassword, 200}, {"hr", "wrong-password", 401}, {"secret-typed-in-the-wrong-box", "x", 401}} {
		rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(map[string]string{"username": c.user, "password": c.password}), ctype: "application/json"})
		if rec.Code != c.want {
			t.Fatalf("login %s: %d %s", c.user, rec.Code, rec.Body)
		}
	}
	ok := auditEvents(t, e, training.AuditQuery{Action: training.AuditSignIn})
	if len(ok) != 1 || ok[0].Actor != "hr" || ok[0].Outcome != training.AuditOK {
		t.Errorf("sign-in events: %+v", ok)
	}
	failed := auditEvents(t, e, training.AuditQuery{Action: training.AuditSignInFailed})
	// Same clock instant in the test: order among them is by ID, so compare as a set.
	actors := map[string]bool{}
	for _, ev := range failed {
		actors[ev.Actor+"/"+ev.Outcome] = true
	}
	if len(failed) != 2 || !actors["anonymous/failed"] || !actors["hr/failed"] {
		t.Errorf("failed sign-in events: %+v", failed)
	}
	for _, ev := range failed {
		if strings.Contains(ev.Actor+ev.TargetID+ev.Detail, "secret-typed") {
			t.Errorf("an unknown username was recorded: %+v", ev)
		}
	}

	// A view of one officer: by ID, with the request's ID, no name.
	rec := e.do(req{method: "GET", path: "/api/v1/officers/a1", as: "hr"})
	if rec.Code != 200 {
		t.Fatalf("officer: %d", rec.Code)
	}
	views := auditEvents(t, e, training.AuditQuery{Action: training.AuditOfficerViewed})
	if len(views) != 1 || views[0].TargetID != "A1" || views[0].Actor != "hr" || views[0].RequestID != rec.Header().Get("X-Request-ID") {
		t.Errorf("view events: %+v (request %s)", views, rec.Header().Get("X-Request-ID"))
	}

	// An upload previewed and confirmed, an export, a course change, an account change, a job run.
	body, ctype := multipartBody(t, "file", map[string]string{"dry_run": "true"},
		map[string]string{"Jane Doe roster.csv": "Officer ID,Name,Unit,Email\nA9,Jane Doe,Alpha / Team 1,jane@police.test\n"})
	rec = e.do(req{method: "POST", path: "/api/v1/imports", as: "hr", body: body, ctype: ctype})
	preview := decode[struct {
		ImportID string `json:"import_id"`
	}](t, rec)
	if rec = e.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "hr"}); rec.Code >= 300 {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	e.do(req{method: "GET", path: "/api/v1/compliance/export?format=csv", as: "hr"})
	courses, _ := e.st.Courses(ctx)
	c0 := courses[0]
	c0.DueSoonDays = 21 // a real change: putting a course unchanged records nothing
	if rec = e.do(req{method: "PUT", path: "/api/v1/courses/" + c0.ID, as: "admin", body: jsonBody(c0), ctype: "application/json"}); rec.Code != 200 {
		t.Fatalf("course put: %d %s", rec.Code, rec.Body)
	}
	e.do(req{method: "POST", path: "/api/v1/users/mgr-none/reset", as: "admin"})
	e.do(req{method: "POST", path: "/api/v1/jobs/reminders/run?dry_run=true", as: "admin"})
	if rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token",
		body: jsonBody([]map[string]string{{"officer_id": "A2", "course": c0.ID, "date": "2026-11-01"}}), ctype: "application/json"}); rec.Code != 201 {
		t.Fatalf("completions: %d %s", rec.Code, rec.Body)
	}
	for _, want := range []struct {
		action       training.AuditAction
		actor, tkind string
	}{
		{training.AuditUpload, "hr", training.TargetImport},
		{training.AuditImportConfirmed, "hr", training.TargetImport},
		{training.AuditExport, "hr", ""},
		{training.AuditCourseChanged, "admin", training.TargetCourse},
		{training.AuditAccountChanged, "admin", training.TargetUser},
		{training.AuditJobRun, "admin", training.TargetJob},
		{training.AuditCompletions, "hr", training.TargetImport},
	} {
		got := auditEvents(t, e, training.AuditQuery{Action: want.action})
		if len(got) != 1 || got[0].Actor != want.actor || got[0].TargetKind != want.tkind {
			t.Errorf("%s events: %+v", want.action, got)
		}
	}
	// No personal data in the trail: not the uploaded file's name, not a name or email.
	all := auditEvents(t, e, training.AuditQuery{})
	for _, ev := range all {
		s := ev.Actor + ev.TargetID + ev.Detail
		for _, pd := range []string{"Jane", "Doe", "Alice", "@police.test"} {
			if strings.Contains(s, pd) {
				t.Errorf("personal data %q in audit event %+v", pd, ev)
			}
		}
	}

	// The API: admins only, filters, paging, csv safe to open.
	if err := e.st.AppendAudit(ctx, training.AuditEvent{ID: "evil", At: testNow, Actor: "=cmd|' /C calc'!A0",
		Action: training.AuditSignInFailed, Outcome: training.AuditFailed}); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Events []training.AuditEvent `json:"events"`
		Next   string                `json:"next"`
	}
	p := decode[page](t, e.do(req{method: "GET", path: "/api/v1/audit?officer=A1", as: "admin"}))
	if len(p.Events) != 1 || p.Events[0].Action != training.AuditOfficerViewed {
		t.Errorf("officer search: %+v", p)
	}
	var paged []string
	next := ""
	for i := 0; i < 50; i++ {
		p = decode[page](t, e.do(req{method: "GET", path: "/api/v1/audit?limit=3&cursor=" + next, as: "admin"}))
		for _, ev := range p.Events {
			paged = append(paged, ev.ID)
		}
		if next = p.Next; next == "" {
			break
		}
	}
	if len(paged) != len(all)+1 {
		t.Errorf("paging through the API gave %d events, the store has %d", len(paged), len(all)+1)
	}
	for _, bad := range []string{"action=delete_all", "from=yesterday", "from=2026-12-01&to=2026-11-01", "limit=0", "format=pdf"} {
		if rec := e.do(req{method: "GET", path: "/api/v1/audit?" + bad, as: "admin"}); rec.Code != http.StatusBadRequest {
			t.Errorf("audit?%s: %d, want 400", bad, rec.Code)
		}
	}
	rec = e.do(req{method: "GET", path: "/api/v1/audit?format=csv&action=sign_in_failed", as: "admin"})
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 {
		t.Fatalf("csv: %d %v", rec.Code, err)
	}
	safe := false
	for _, r := range rows[1:] {
		safe = safe || r[1] == "'=cmd|' /C calc'!A0"
		if strings.HasPrefix(r[1], "=") {
			t.Errorf("a formula in the csv: %q", r)
		}
	}
	if len(rows) != 4 || rows[0][1] != "actor" || !safe {
		t.Errorf("csv rows: %q", rows)
	}
	if got := auditEvents(t, e, training.AuditQuery{Action: training.AuditAuditSearched}); len(got) != 1 || got[0].Actor != "admin" {
		t.Errorf("the csv export was not audited: %+v", got)
	}
}

// TestSubjectAccess exports everything about one officer, as JSON and
// xlsx, from the API and the officer page, on every store.
func TestSubjectAccess(t *testing.T) {
	for name, open := range auditStores() {
		t.Run(name, func(t *testing.T) { testSubjectAccess(t, newTestEnvOn(t, open(t))) })
	}
}

func testSubjectAccess(t *testing.T, e *testEnv) {
	ctx := context.Background()
	if _, err := e.st.Enqueue(ctx, []training.Message{
		{ID: "m1", Kind: "reminder", To: "alice@police.test", LedgerKeys: []string{"remind|A1|cse|due|2026-12-01"}, Subject: "Training due", Created: testNow, NextAttempt: testNow},
		{ID: "m2", Kind: "reminder", To: "adam@police.test", LedgerKeys: []string{"remind|A2|cse|due|2026-12-01"}, Subject: "Training due", Created: testNow, NextAttempt: testNow},
	}); err != nil {
		t.Fatal(err)
	}
	e.do(req{method: "GET", path: "/officers/A1", as: "hr"}) // a view by HR, which the export must show
	rec := e.do(req{method: "GET", path: "/api/v1/officers/A1/subject-access", as: "admin"})
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("subject access: %d %s", rec.Code, rec.Body)
	}
	sa := decode[training.SubjectAccess](t, rec)
	if sa.Officer.Name != "Alice Aardvark" || len(sa.Completions) != 1 || sa.Completions[0].Source.ImportID != "seed" {
		t.Errorf("record: %+v", sa)
	}
	if len(sa.Imports) != 1 || sa.Imports[0].ID != "seed" {
		t.Errorf("provenance imports: %+v", sa.Imports)
	}
	if len(sa.Emails) != 1 || sa.Emails[0].ID != "m1" {
		t.Errorf("emails: %+v", sa.Emails)
	}
	if len(sa.Audit) != 1 || sa.Audit[0].Actor != "hr" || sa.Audit[0].Action != training.AuditOfficerViewed {
		t.Errorf("who viewed: %+v", sa.Audit)
	}
	got := auditEvents(t, e, training.AuditQuery{Action: training.AuditSubjectAccess})
	if len(got) != 1 || got[0].Actor != "admin" || got[0].TargetID != "A1" {
		t.Errorf("the export was not audited: %+v", got)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/officers/NOPE/subject-access", as: "admin"}); rec.Code != 404 {
		t.Errorf("unknown officer: %d", rec.Code)
	}

	// The page: a link for admins only, and the workbook it downloads.
	if body := e.do(req{method: "GET", path: "/officers/A1", as: "admin"}).Body.String(); !strings.Contains(body, "/officers/A1/subject-access?format=xlsx") {
		t.Error("no subject access link on the officer page for an admin")
	}
	if body := e.do(req{method: "GET", path: "/officers/A1", as: "hr"}).Body.String(); strings.Contains(body, "subject-access") {
		t.Error("a subject access link shown to HR")
	}
	rec = e.do(req{method: "GET", path: "/officers/A1/subject-access?format=xlsx", as: "admin"})
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("xlsx: %d %v", rec.Code, err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Officer,Completions,Exemptions,Imports,Emails,Audit,Requests" {
		t.Errorf("sheets: %v", got)
	}
	if v, _ := f.GetCellValue("Officer", "B4"); v != "Alice Aardvark" {
		t.Errorf("Officer!B4 = %q", v)
	}
	if v, _ := f.GetCellValue("Emails", "A2"); v != "m1" {
		t.Errorf("Emails!A2 = %q", v)
	}
}

// TestAuditPage searches the trail in the browser's page.
func TestAuditPage(t *testing.T) {
	e := newTestEnv(t)
	e.do(req{method: "GET", path: "/officers/B1", as: "admin"})
	e.do(req{method: "GET", path: "/officers/A1", as: "hr"})
	body := e.do(req{method: "GET", path: "/audit?actor=hr", as: "admin"}).Body.String()
	if !strings.Contains(body, `<a href="/officers/A1">A1</a>`) || strings.Contains(body, `/officers/B1"`) {
		t.Errorf("audit page for actor hr:\n%s", body)
	}
	if !strings.Contains(body, `href="/api/v1/audit?actor=hr&amp;format=csv"`) {
		t.Error("no csv link for the search")
	}
	if rec := e.do(req{method: "GET", path: "/audit?from=soon", as: "admin"}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "must be a date") {
		t.Errorf("bad date: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/audit", as: "hr"}); rec.Code != 403 {
		t.Errorf("hr opened the audit page: %d", rec.Code)
	}
}
