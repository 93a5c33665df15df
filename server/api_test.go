package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// TestComplianceIsBuildReport: the API returns training.BuildReport's
// output exactly, for staff and (with Include) for managers.
func TestComplianceIsBuildReport(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mgrA, _ := e.st.User(ctx, "mgr-a")
	mgrLine, _ := e.st.User(ctx, "mgr-line")
	asOf := training.DateFrom(2026, 11, 24)
	tests := []struct {
		as, query string
		opts      training.ReportOptions
		date      training.Date
	}{
		{"hr", "", training.ReportOptions{}, asOf},
		{"token", "?as_of=2026-04-01", training.ReportOptions{}, training.DateFrom(2026, 4, 1)},
		{"admin", "?unit=Alpha%20%2F%20Team%201&course=cse-recognition", training.ReportOptions{Unit: "Alpha / Team 1", Courses: []string{"cse-recognition"}}, asOf},
		{"hr", "?unit=Alpha/Team%202", training.ReportOptions{Unit: "Alpha / Team 2"}, asOf},
		{"mgr-a", "", training.ReportOptions{Scope: ptrTo(training.ScopeFor(mgrA, ds))}, asOf},
		{"mgr-a", "?unit=Alpha", training.ReportOptions{Unit: "Alpha", Scope: ptrTo(training.ScopeFor(mgrA, ds))}, asOf},
		{"mgr-line", "", training.ReportOptions{Scope: ptrTo(training.ScopeFor(mgrLine, ds))}, asOf},
	}
	for _, tt := range tests {
		t.Run(tt.as+tt.query, func(t *testing.T) {
			want, err := training.BuildReport(ds, tt.date, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, _ := json.Marshal(want)
			for i := 0; i < 2; i++ { // the second answer comes from the cache
				rec := e.do(req{method: "GET", path: "/api/v1/compliance" + tt.query, as: tt.as})
				if rec.Code != 200 {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				if got := bytes.TrimSpace(rec.Body.Bytes()); !bytes.Equal(got, wantJSON) {
					t.Fatalf("got  %s\nwant %s", got, wantJSON)
				}
			}
		})
	}
	for _, bad := range []string{"?as_of=24/11/2026", "?course=nope", "?as_of=2026-02-30"} {
		rec := e.do(req{method: "GET", path: "/api/v1/compliance" + bad, as: "hr"})
		if rec.Code != 400 {
			t.Errorf("%s: status %d", bad, rec.Code)
		}
		checkErrorShape(t, rec)
	}
}

// TestComplianceFollowsChanges: the cached report moves with the store's revision.
func TestComplianceFollowsChanges(t *testing.T) {
	e := newTestEnv(t)
	figures := func() training.CourseFigures {
		rec := e.do(req{method: "GET", path: "/api/v1/compliance?course=cse-recognition", as: "hr"})
		return decode[training.Report](t, rec).Courses[0]
	}
	before := figures()
	rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json",
		body: jsonBody([]api.CompletionInput{{OfficerID: "a2", Course: "CSE awareness", Date: "2026-11-20"}, {OfficerID: " l1 ", Course: "cse-recognition", Date: "2026-11-01"}})})
	if rec.Code != 201 {
		t.Fatalf("completions: %d %s", rec.Code, rec.Body)
	}
	if got := decode[api.CompletionsResponse](t, rec); got.Recorded != 2 || got.ImportID == "" {
		t.Fatalf("response %+v", got)
	}
	after := figures()
	rec = e.do(req{method: "GET", path: "/api/v1/officers/A2", as: "hr"})
	detail := decode[api.OfficerResponse](t, rec)
	if detail.Courses[0].Status != training.StatusCompliant || detail.Courses[0].Completion.Source.By != "lms (token of hr)" {
		t.Fatalf("A2 after completion: %+v", detail.Courses[0])
	}
	if after.Compliant != before.Compliant+2 {
		t.Fatalf("compliant %d -> %d: cached report not refreshed", before.Compliant, after.Compliant)
	}
	recs, err := e.st.Imports(context.Background(), 0)
	logged := false
	for _, r := range recs {
		logged = logged || r.Kind == training.ImportAPI && r.Summary.Completions == 2 && r.By == "lms (token of hr)"
	}
	if err != nil || !logged {
		t.Fatalf("import log %+v %v", recs, err)
	}
}

func TestCompletionsValidation(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name string
		body string
		want string
	}{
		{"empty list", `[]`, "1 to"},
		{"not a list", `{"officer_id":"A1"}`, "not valid JSON"},
		{"unknown field", `[{"officer":"A1","course":"cse-recognition","date":"2026-01-01"}]`, "not valid JSON"},
		{"unknown officer", `[{"officer_id":"Z9","course":"cse-recognition","date":"2026-01-01"}]`, `no officer with ID \"Z9\"`},
		{"unknown course", `[{"officer_id":"A1","course":"knitting","date":"2026-01-01"}]`, `no course \"knitting\"`},
		{"bad date", `[{"officer_id":"A1","course":"cse-recognition","date":"01/01/2026"}]`, "YYYY-MM-DD"},
		{"future date", `[{"officer_id":"A1","course":"cse-recognition","date":"2026-12-01"}]`, "in the future"},
		{"year one", `[{"officer_id":"A1","course":"cse-recognition","date":"0001-01-01"}]`, "before 1970-01-01"},
		{"before the floor", `[{"officer_id":"A1","course":"cse-recognition","date":"1969-12-31"}]`, "before 1970-01-01"},
		{"one bad of two", `[{"officer_id":"A2","course":"cse-recognition","date":"2026-01-01"},{"officer_id":"","course":"cse-recognition","date":"2026-01-01"}]`, "item 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "hr", body: strings.NewReader(tt.body), ctype: "application/json"})
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), tt.want) {
				t.Fatalf("status %d body %s, want 400 with %q", rec.Code, rec.Body, tt.want)
			}
		})
	}
	rec, _ := e.st.Officer(context.Background(), "A2")
	if len(rec.Completions) != 0 {
		t.Fatalf("a refused call recorded %+v", rec.Completions)
	}
}

func TestOfficersList(t *testing.T) {
	e := newTestEnv(t)
	list := func(query string) api.OfficersResponse {
		t.Helper()
		rec := e.do(req{method: "GET", path: "/api/v1/officers" + query, as: "hr"})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", query, rec.Code, rec.Body)
		}
		return decode[api.OfficersResponse](t, rec)
	}
	tests := []struct {
		query string
		ids   []string
		total int
	}{
		{"", []string{"A1", "L1", "F1", "A2", "B3", "B1", "B2"}, 7},
		{"?unit=Alpha%20/%20Team%201", []string{"A1", "L1"}, 2},
		{"?q=bravoname%20bella", []string{"B1"}, 1},
		{"?q=a1", []string{"A1"}, 1},
		{"?status=compliant&course=cse-recognition", []string{"A1", "B1", "B2"}, 3},
		{"?limit=2&offset=1", []string{"L1", "F1"}, 7},
		{"?offset=50", []string{}, 7},
	}
	for _, tt := range tests {
		got := list(tt.query)
		var ids []string
		for _, o := range got.Officers {
			ids = append(ids, o.Officer.ID)
		}
		if strings.Join(ids, ",") != strings.Join(tt.ids, ",") || got.Total != tt.total {
			t.Errorf("%s: ids %v total %d, want %v %d", tt.query, ids, got.Total, tt.ids, tt.total)
		}
	}
	for _, bad := range []string{"?status=late", "?course=nope", "?limit=0", "?offset=-1", "?format=pdf", "?as_of=x"} {
		if rec := e.do(req{method: "GET", path: "/api/v1/officers" + bad, as: "hr"}); rec.Code != 400 {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/officers/nobody", as: "hr"}); rec.Code != 404 {
		t.Errorf("unknown officer: %d", rec.Code)
	}
}

// TestExportsNeutraliseFormulas: a roster name that is a formula is text
// in every export.
func TestExportsNeutraliseFormulas(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "GET", path: "/api/v1/officers?format=csv", as: "hr"})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range rows {
		for _, cell := range row {
			if strings.Contains(cell, "HYPERLINK") {
				found = true
				if !strings.HasPrefix(cell, "'") {
					t.Errorf("cell %q is a live formula", cell)
				}
			}
		}
	}
	if !found {
		t.Fatal("the formula officer is missing from the export")
	}
	rec = e.do(req{method: "GET", path: "/api/v1/officers?format=xlsx", as: "hr"})
	text := bodyText(t, rec.Body.Bytes())
	if rec.Code != 200 || !strings.Contains(text, "HYPERLINK") || strings.Contains(text, "<f>") {
		t.Fatalf("xlsx: %d, formula element present: %v", rec.Code, strings.Contains(text, "<f>"))
	}
	if !strings.Contains(text, "&#39;=HYPERLINK") && !strings.Contains(text, "'=HYPERLINK") {
		t.Fatalf("xlsx cell not neutralised: %s", clip(text[strings.Index(text, "HYPERLINK")-40:]))
	}
}

func TestCoursesAPI(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"one", "PUT", "/api/v1/courses/first-aid", `{"title":"First aid","valid_for_months":36,"aliases":["FA"," "]}`, 200},
		{"bad id", "PUT", "/api/v1/courses/First_Aid", `{"title":"First aid"}`, 400},
		{"id mismatch", "PUT", "/api/v1/courses/first-aid", `{"id":"other","title":"x"}`, 400},
		{"no title", "PUT", "/api/v1/courses/first-aid", `{"title":" "}`, 400},
		{"negative", "PUT", "/api/v1/courses/first-aid", `{"title":"x","valid_for_months":-1}`, 400},
		{"list", "PUT", "/api/v1/courses", `[{"id":"a-course","title":"A"},{"id":"b-course","title":"B"}]`, 200},
		{"list with duplicate", "PUT", "/api/v1/courses", `[{"id":"a-course","title":"A"},{"id":"a-course","title":"B"}]`, 400},
		{"empty list", "PUT", "/api/v1/courses", `[]`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: tt.method, path: tt.path, as: "hr", body: strings.NewReader(tt.body), ctype: "application/json"})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
		})
	}
	rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "mgr-a"})
	courses := decode[[]training.Course](t, rec)
	ids := []string{}
	for _, c := range courses {
		ids = append(ids, c.ID)
		if c.ID == "first-aid" && (c.DueWithinDays != training.DefaultDueWithinDays || len(c.Aliases) != 1) {
			t.Errorf("first-aid not normalised: %+v", c)
		}
	}
	if strings.Join(ids, ",") != "a-course,b-course,cse-recognition,first-aid,trauma-informed-communication" {
		t.Fatalf("courses %v", ids)
	}
}

func TestUsersAPI(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "POST", path: "/api/v1/users", as: "admin", ctype: "application/json",
		body: jsonBody(map[string]any{"username": "New.Manager", "role": "manager", "units": []string{"Alpha/Team 1"}, "email": "NM@Police.test"})})
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	created := decode[api.UserCreated](t, rec)
	if created.Password == "" || !created.User.MustChangePassword || created.User.Username != "new.manager" ||
		created.User.Units[0] != "Alpha / Team 1" || created.User.Email != "nm@police.test" || strings.Contains(rec.Body.String(), "argon2") {
		t.Fatalf("created %s", rec.Body)
	}
	login := func(user, pass string) int {
		e.ip = "192.0.2." + web.Itoa(len(pass)%200)
		return e.do(req{method: "POST", path: "/api/v1/login", ctype: "application/json", body: jsonBody(loginRequest{user, pass})}).Code
	}
	if code := login("new.manager", created.Password); code != 200 {
		t.Fatalf("login with the one-time password: %d", code)
	}
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"duplicate", "POST", "/api/v1/users", `{"username":"hr","role":"hr","password":"long enough pw"}`, 409},
		{"bad role", "POST", "/api/v1/users", `{"username":"x1","role":"boss"}`, 400},
		{"no role", "POST", "/api/v1/users", `{"username":"x1"}`, 400},
		{"bad username", "POST", "/api/v1/users", `{"username":"a b","role":"hr"}`, 400},
		{"short password", "POST", "/api/v1/users", `{"username":"x1","role":"hr","password":"short"}`, 400},
		{"patch units", "PATCH", "/api/v1/users/mgr-a", `{"units":["Bravo"]}`, 200},
		{"patch unknown", "PATCH", "/api/v1/users/ghost", `{"units":["Bravo"]}`, 404},
		// A manager needs a unit or an officer link, as in the CLI and the pages.
		{"manager who would see nothing", "POST", "/api/v1/users", `{"username":"m1","role":"manager"}`, 400},
		{"manager by reporting line", "POST", "/api/v1/users", `{"username":"m2","role":"manager","officer_id":"L1"}`, 201},
		{"manager loses every unit", "PATCH", "/api/v1/users/mgr-a", `{"units":[]}`, 400},
		{"demote myself", "PATCH", "/api/v1/users/admin", `{"role":"hr"}`, 400},
		{"disable myself", "PATCH", "/api/v1/users/admin", `{"disabled":true}`, 400},
		{"delete myself", "DELETE", "/api/v1/users/admin", ``, 400},
		{"rename", "PATCH", "/api/v1/users/hr", `{"username":"hr2"}`, 400},
		{"delete unknown", "DELETE", "/api/v1/users/ghost", ``, 404},
		{"token without name", "POST", "/api/v1/users/hr/tokens", `{"name":""}`, 400},
		{"token for unknown", "POST", "/api/v1/users/ghost/tokens", `{"name":"x"}`, 404},
		{"token expiry", "POST", "/api/v1/users/hr/tokens", `{"name":"x","expires_in_days":-1}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: tt.method, path: tt.path, as: "admin", body: strings.NewReader(tt.body), ctype: "application/json"})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
		})
	}
	// The units change takes effect at once, without a roster change.
	if rec := e.do(req{method: "GET", path: "/api/v1/officers", as: "mgr-a"}); !strings.Contains(rec.Body.String(), "Bella") || strings.Contains(rec.Body.String(), "Alice") {
		t.Fatalf("mgr-a after moving to Bravo: %s", clip(rec.Body.String()))
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/compliance?unit=Alpha", as: "mgr-a"}); rec.Code != 403 {
		t.Fatalf("mgr-a's old unit: %d", rec.Code)
	}
	// Reset gives a new one-time password; the old one stops working.
	rec = e.do(req{method: "POST", path: "/api/v1/users/new.manager/reset", as: "admin"})
	reset := decode[api.UserCreated](t, rec)
	if rec.Code != 200 || reset.Password == "" || reset.Password == created.Password {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	if login("new.manager", created.Password) != 401 || login("new.manager", reset.Password) != 200 {
		t.Fatal("reset did not replace the password")
	}
	rec = e.do(req{method: "GET", path: "/api/v1/users", as: "admin"})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "argon2") || !strings.Contains(rec.Body.String(), "new.manager") {
		t.Fatalf("users: %s", clip(rec.Body.String()))
	}
	if rec := e.do(req{method: "DELETE", path: "/api/v1/users/new.manager", as: "admin"}); rec.Code != 204 {
		t.Fatalf("delete: %d", rec.Code)
	}
}

func TestJobsAPI(t *testing.T) {
	e := newTestEnv(t)
	if err := e.st.PutJobRun(context.Background(), training.JobRun{ID: "r1", Job: "reminders", Started: testNow, Finished: testNow}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path, as string
		want                   int
		contains               string
	}{
		{"names", "GET", "/api/v1/jobs", "hr", 200, `"enabled":true`},
		{"runs", "GET", "/api/v1/jobs/runs?job=reminders", "hr", 200, `"id":"r1"`},
		{"run", "POST", "/api/v1/jobs/snapshot/run?as_of=2026-11-20", "admin", 200, `"job":"snapshot"`},
		{"dry run", "POST", "/api/v1/jobs/reminders/run?dry_run=true", "admin", 200, `"dry_run":true`},
		{"unknown job", "POST", "/api/v1/jobs/nope/run", "admin", 404, "nope"},
		{"bad dry_run", "POST", "/api/v1/jobs/reminders/run?dry_run=maybe", "admin", 400, "dry_run"},
		{"remind", "GET", "/api/v1/remind?as_of=2026-11-30", "hr", 200, `"as_of":"2026-11-30"`},
		{"outbox", "GET", "/api/v1/outbox?state=queued", "hr", 200, `[]`},
		{"outbox bad state", "GET", "/api/v1/outbox?state=lost", "hr", 400, "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: tt.method, path: tt.path, as: tt.as})
			if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.contains) {
				t.Fatalf("status %d body %s, want %d with %q", rec.Code, rec.Body, tt.want, tt.contains)
			}
		})
	}
	if got := strings.Join(e.jobs.runs, ","); got != "snapshot,reminders" {
		t.Fatalf("jobs run: %s", got)
	}
	off := newTestEnv(t, func(c *Config) { c.Jobs = nil })
	for path, want := range map[string]int{"/api/v1/remind": 503, "/api/v1/jobs": 200} {
		rec := off.do(req{method: "GET", path: path, as: "admin"})
		if rec.Code != want {
			t.Errorf("jobs off: %s: %d", path, rec.Code)
		}
	}
	if rec := off.do(req{method: "POST", path: "/api/v1/jobs/reminders/run", as: "admin"}); rec.Code != 503 || !strings.Contains(rec.Body.String(), "off") {
		t.Errorf("jobs off: run: %d %s", rec.Code, rec.Body)
	}
}

func TestTrendAPI(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "GET", path: "/api/v1/trend?unit=Bravo&from=2026-11-23", as: "hr"})
	got := decode[api.TrendResponse](t, rec)
	if rec.Code != 200 || len(got.Points) != 2 || got.Points[0].Date.String() != "2026-11-23" || got.Points[0].Courses[0].Compliant != 2 ||
		got.Points[0].Courses[0].Percent.String() != "66.7" {
		t.Fatalf("trend: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/trend?from=2026-11-30&to=2026-11-01", as: "hr"}); rec.Code != 400 {
		t.Fatalf("from after to: %d", rec.Code)
	}
}

func TestOfficerLinkAPI(t *testing.T) {
	e := newTestEnv(t)
	good := training.SignOfficerLink(testSecret, "A1", testNow.Add(time.Hour))
	tests := []struct {
		name, token string
		want        int
	}{
		{"valid", good, 200},
		{"expired", training.SignOfficerLink(testSecret, "A1", testNow), 403},
		{"other secret", training.SignOfficerLink([]byte("another secret, 32 bytes long!!!"), "A1", testNow.Add(time.Hour)), 403},
		{"tampered", good[:len(good)-3] + "abc", 403},
		{"officer gone", training.SignOfficerLink(testSecret, "ZZ9", testNow.Add(time.Hour)), 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: "GET", path: "/api/v1/me/" + url.PathEscape(tt.token)})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
		})
	}
	rec := e.do(req{method: "GET", path: "/api/v1/me/" + good})
	me := decode[api.MeResponse](t, rec)
	if me.Name != "Alice Aardvark" || len(me.Courses) != 2 || me.Courses[0].Status != training.StatusCompliant || me.Courses[0].Completed.String() != "2026-01-10" {
		t.Fatalf("me: %s", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "alice@") || strings.Contains(rec.Body.String(), "seed") {
		t.Fatalf("me shows more than the officer's status: %s", rec.Body)
	}
}

func TestCLIForwarding(t *testing.T) {
	e := newTestEnv(t)
	body := func() req {
		b, ct := multipartBody(t, "file", map[string]string{"arg": "import"}, map[string]string{"roster.csv": "a,b"})
		return req{method: "POST", path: "/api/v1/cli", body: b, ctype: ct}
	}
	r := body()
	r.header = map[string]string{"Authorization": "Bearer local-secret-token"}
	rec := e.do(r)
	if rec.Code != 200 || rec.Header().Get("X-Muster-Exit") != "3" || rec.Body.String() != "ran import roster.csv=a,b" {
		t.Fatalf("cli: %d %v %q", rec.Code, rec.Header(), rec.Body)
	}
	for _, h := range []string{"Bearer local-secret-tokem", "Bearer " + e.bearer["token"], ""} {
		r := body()
		r.header = map[string]string{"Authorization": h}
		if rec := e.do(r); rec.Code != 401 {
			t.Errorf("cli with %q: %d", h, rec.Code)
		}
	}
	off := newTestEnv(t, func(c *Config) { c.LocalToken = "" })
	r = body()
	r.header = map[string]string{"Authorization": "Bearer "}
	if rec := off.do(r); rec.Code != 404 {
		t.Errorf("cli off: %d", rec.Code)
	}
}

// TestUnknownUnitIsNotFound: a unit no officer was ever in gets one answer
// everywhere, not found (the CLI's exit 1 is main_test's), never figures
// of zeros; a manager asking about it is refused as for any unit outside
// their scope, which does not tell them whether it exists.
func TestUnknownUnitIsNotFound(t *testing.T) {
	e := newTestEnv(t)
	for _, tt := range []struct {
		path, as string
		code     int
	}{
		{"/api/v1/compliance?unit=NoSuchUnit", "admin", http.StatusNotFound},
		{"/api/v1/compliance?unit=NoSuchUnit", "hr", http.StatusNotFound},
		{"/api/v1/compliance?unit=Alpha%20%2F%20NoSuchTeam", "mgr-a", http.StatusNotFound},
		{"/api/v1/compliance?unit=NoSuchUnit", "mgr-a", http.StatusForbidden},
		{"/api/v1/compliance/export?format=csv&unit=NoSuchUnit", "admin", http.StatusNotFound},
		{"/?unit=NoSuchUnit", "admin", http.StatusNotFound},
		{"/api/v1/compliance?unit=Alpha", "admin", http.StatusOK},
		{"/?unit=Alpha", "admin", http.StatusOK},
	} {
		rec := e.do(req{method: "GET", path: tt.path, as: tt.as})
		if rec.Code != tt.code {
			t.Errorf("GET %s as %s: %d, want %d\n%s", tt.path, tt.as, rec.Code, tt.code, rec.Body)
		}
		if tt.code == http.StatusNotFound && strings.HasPrefix(tt.path, "/api/") && !strings.Contains(rec.Body.String(), `"code":"not_found"`) {
			t.Errorf("GET %s: %s, want the not_found code", tt.path, rec.Body)
		}
	}
}

// TestOfficerLinkListsOnlyRequiredCourses: a course outside the officer's
// audience is not on their own page or in its API (nothing is asked of
// them), while staff still see it as Not required.
func TestOfficerLinkListsOnlyRequiredCourses(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	cs, err := e.st.Courses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := cs[1]
	other.Audience = training.Audience{Include: []training.AudienceRule{{Unit: training.Words{"No Such Unit"}}}}
	if err := e.st.PutCourses(ctx, []training.Course{other}); err != nil {
		t.Fatal(err)
	}
	link := training.SignOfficerLink(testSecret, "A1", testNow.Add(time.Hour))
	me := decode[api.MeResponse](t, e.do(req{method: "GET", path: "/api/v1/me/" + link}))
	if len(me.Courses) != 1 || me.Courses[0].Course == other.ID {
		t.Errorf("the API lists %+v, want only the required course", me.Courses)
	}
	page := e.do(req{method: "GET", path: "/me/" + link}).Body.String()
	if strings.Contains(page, html.EscapeString(other.Title)) || !strings.Contains(page, html.EscapeString(cs[0].Title)) {
		t.Errorf("the officer's page names %q (not required of them), or misses %q", other.Title, cs[0].Title)
	}
	staff := e.do(req{method: "GET", path: "/officers/A1", as: "hr"}).Body.String()
	if !strings.Contains(staff, html.EscapeString(other.Title)) || !strings.Contains(staff, "Not required") {
		t.Errorf("the staff page of A1 does not show %q as Not required", other.Title)
	}
}
