package server

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// The callers of the authorization matrix, in column order.
var matrixCallers = []string{"anon", "admin", "hr", "mgr-a", "mgr-line", "mgr-none", "trainer", "token"}

// access classes: who may call a route, and what the others get.
type access int

const (
	public    access = iota // everyone gets ok
	anyone                  // signed in: ok; anonymous: 401
	staff                   // hr, admin (and the hr token): ok; managers 403; anonymous 401
	admins                  // admin: ok; everyone else signed in 403; anonymous 401
	localOK                 // only Config.LocalToken: everyone here 401
	readers                 // who sees figures: as anyone, but a trainer 403
	recorders               // registers: trainer, hr, admin (and the hr token): ok; managers 403; anonymous 401
)

// matrixRow is one route: a concrete request, who may call it, and the
// status for those who may (override per caller in special).
type matrixRow struct {
	method, route, path string
	access              access
	ok                  int
	body                func(e *testEnv, who string) (io.Reader, string)
	special             map[string]int
	fresh               bool // give session callers a new session (the route ends it)
	ownIP               bool // each caller from an address of its own (the route counts sign-in attempts per address)
	header              map[string]string
}

func jsonOf(v any) func(*testEnv, string) (io.Reader, string) {
	return func(*testEnv, string) (io.Reader, string) { return jsonBody(v), "application/json" }
}

// formOf is a page form's body, with the caller's CSRF token in the
// csrf_token field as the pages' forms send it (page rows send no header).
func formOf(fields url.Values) func(*testEnv, string) (io.Reader, string) {
	return func(e *testEnv, who string) (io.Reader, string) {
		v := url.Values{}
		for k, vs := range fields {
			v[k] = vs
		}
		if t := e.csrf[who]; t != "" {
			v.Set("csrf_token", t)
		}
		return strings.NewReader(v.Encode()), "application/x-www-form-urlencoded"
	}
}

func rosterCSV(e *testEnv, who string) (io.Reader, string) {
	return multipartBody(e.t, "file", map[string]string{"dry_run": "true"},
		map[string]string{"roster-" + who + ".csv": "Officer ID,Name,Unit,Email\nA9,New Person " + who + ",Alpha / Team 1,new@police.test\n"})
}

func matrixRows(e *testEnv) []matrixRow {
	link := training.SignOfficerLink(testSecret, "A1", testNow.Add(24*time.Hour))
	courses := training.DefaultCourses()
	noLine := map[string]int{"mgr-line": 404, "mgr-none": 404}
	scopeless := map[string]int{"mgr-none": 403}
	return append(requestRows(e), []matrixRow{
		{method: "GET", route: "/healthz", access: public, ok: 200},
		{method: "GET", route: "/readyz", access: public, ok: 200},
		// Only with Config.MetricsToken (TestMetricsToken), which no caller here sends.
		{method: "GET", route: "/metrics", access: public, ok: 401},
		{method: "GET", route: "/api/v1/openapi.json", access: public, ok: 200},
		{method: "POST", route: "/login", access: public, ok: 303, body: func(_ *testEnv, who string) (io.Reader, string) {
			return strings.NewReader("username=nobody-" + who + "&password=wrong"), "application/x-www-form-urlencoded"
		}},
		{method: "POST", route: "/api/v1/login", access: public, ok: 401, body: func(_ *testEnv, who string) (io.Reader, string) {
			return jsonBody(map[string]string{"username": "nobody-" + who, "password": "wrong"}), "application/json"
		}},
		{method: "GET", route: "/api/v1/me/:token", path: "/api/v1/me/" + link, access: public, ok: 200},
		{method: "POST", route: "/api/v1/cli", access: localOK, body: func(e *testEnv, _ string) (io.Reader, string) {
			return multipartBody(e.t, "file", map[string]string{"arg": "report"}, nil)
		}},

		{method: "GET", route: "/api/v1/session", access: anyone, ok: 200},
		{method: "GET", route: "/api/v1/compliance", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/api/v1/compliance/export", path: "/api/v1/compliance/export?format=csv", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/api/v1/officers", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/api/v1/officers/:id", path: "/api/v1/officers/A1", access: readers, ok: 200, special: noLine},
		{method: "GET", route: "/api/v1/courses", access: anyone, ok: 200},
		{method: "GET", route: "/api/v1/matrix", path: "/api/v1/matrix?unit=Alpha", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/api/v1/trend", access: readers, ok: 200, special: map[string]int{"mgr-line": 403, "mgr-none": 403}},

		{method: "GET", route: "/api/v1/registers", access: recorders, ok: 200},
		{method: "POST", route: "/api/v1/registers/preview", access: recorders, ok: 200, body: jsonOf(matrixRegister(false))},
		{method: "POST", route: "/api/v1/registers", access: recorders, ok: 201, body: jsonOf(matrixRegister(true))},
		{method: "POST", route: "/api/v1/registers/:id/withdraw", path: "/api/v1/registers/reg-none/withdraw", access: recorders, ok: 404},

		{method: "POST", route: "/api/v1/imports", access: staff, ok: 200, body: rosterCSV},
		{method: "GET", route: "/api/v1/imports", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/imports/:id", path: "/api/v1/imports/seed", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/imports/:id/errors.xlsx", path: "/api/v1/imports/seed/errors.xlsx", access: staff, ok: 200},
		{method: "POST", route: "/api/v1/imports/:id/confirm", path: "/api/v1/imports/imp-unknown/confirm", access: staff, ok: 404},
		{method: "GET", route: "/api/v1/mappings", access: staff, ok: 200},
		{method: "DELETE", route: "/api/v1/mappings/:name", path: "/api/v1/mappings/nothing-saved", access: staff, ok: 404},
		{method: "POST", route: "/api/v1/completions", access: staff, ok: 201,
			body: jsonOf([]map[string]string{{"officer_id": "A2", "course": "CSE", "date": "2026-11-01"}})},
		{method: "GET", route: "/api/v1/xapi/waiting", access: staff, ok: 200},
		{method: "POST", route: "/api/v1/xapi/rematch", access: staff, ok: 200},
		{method: "GET", route: "/xapi/about", access: public, ok: 200},
		{method: "POST", route: "/xapi/statements", access: staff, ok: 200, header: xapiVersion,
			body: func(*testEnv, string) (io.Reader, string) {
				return strings.NewReader(matrixStatement), "application/json"
			}},
		{method: "PUT", route: "/xapi/statements", path: "/xapi/statements?statementId=" + matrixStatementID, access: staff, ok: 204, header: xapiVersion,
			body: func(*testEnv, string) (io.Reader, string) {
				return strings.NewReader(matrixStatement), "application/json"
			}},
		{method: "GET", route: "/xapi/statements", path: "/xapi/statements?statementId=" + matrixStatementID, access: staff, ok: 200, header: xapiVersion},
		{method: "PUT", route: "/api/v1/courses", access: staff, ok: 200, body: jsonOf(courses)},
		{method: "POST", route: "/api/v1/courses/preview", access: staff, ok: 200, body: jsonOf(courses)},
		{method: "PUT", route: "/api/v1/courses/:id", path: "/api/v1/courses/extra-course", access: staff, ok: 200,
			body: jsonOf(map[string]any{"title": "Extra course", "valid_for_months": 12})},
		{method: "POST", route: "/api/v1/officers/:id/links/revoke", path: "/api/v1/officers/B3/links/revoke", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/jobs", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/jobs/runs", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/outbox", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/outbox/status", access: staff, ok: 200},
		{method: "GET", route: "/api/v1/remind", access: staff, ok: 200},

		{method: "GET", route: "/api/v1/users", access: admins, ok: 200},
		{method: "POST", route: "/api/v1/users", access: admins, ok: 201,
			body: jsonOf(map[string]any{"username": "new-user", "role": "hr", "password": "a long enough password"})},
		{method: "PATCH", route: "/api/v1/users/:username", path: "/api/v1/users/victim", access: admins, ok: 200,
			body: jsonOf(map[string]any{"email": "victim@police.test"})},
		{method: "POST", route: "/api/v1/users/:username/reset", path: "/api/v1/users/victim/reset", access: admins, ok: 200},
		{method: "GET", route: "/api/v1/users/:username/tokens", path: "/api/v1/users/hr/tokens", access: admins, ok: 200},
		{method: "POST", route: "/api/v1/users/:username/tokens", path: "/api/v1/users/hr/tokens", access: admins, ok: 201,
			body: jsonOf(map[string]any{"name": "script"})},
		{method: "DELETE", route: "/api/v1/users/:username/tokens/:id", path: "/api/v1/users/hr/tokens/nope", access: admins, ok: 404},
		{method: "DELETE", route: "/api/v1/users/:username", path: "/api/v1/users/victim", access: admins, ok: 204},
		{method: "POST", route: "/api/v1/jobs/:name/run", path: "/api/v1/jobs/reminders/run?dry_run=true", access: admins, ok: 200},
		{method: "POST", route: "/api/v1/outbox/:id/requeue", path: "/api/v1/outbox/nope/requeue", access: admins, ok: 404},
		{method: "POST", route: "/api/v1/outbox/requeue-failed", access: admins, ok: 200},
		{method: "GET", route: "/api/v1/audit", path: "/api/v1/audit?action=sign_in", access: admins, ok: 200},
		{method: "GET", route: "/api/v1/officers/:id/subject-access", path: "/api/v1/officers/A1/subject-access", access: admins, ok: 200},
		{method: "GET", route: "/audit", path: "/audit?action=export", access: admins, ok: 200, special: map[string]int{"anon": 303}},
		{method: "GET", route: "/officers/:id/subject-access", path: "/officers/A1/subject-access?format=xlsx", access: admins, ok: 200, special: map[string]int{"anon": 303}},

		{method: "GET", route: "/static/*", path: "/static/app.css", access: public, ok: 200},
		// Signed in, the form sends the caller on to where they were going.
		{method: "GET", route: "/login", access: public, ok: 200, special: signedIn(303)},
		{method: "GET", route: "/me/:token", path: "/me/" + link, access: public, ok: 200},
		{method: "GET", route: "/help", access: public, ok: 200},
		{method: "GET", route: "/accessibility", access: public, ok: 200},

		// A trainer's home is the Registers page.
		{method: "GET", route: "/", access: anyone, ok: 200, special: map[string]int{"mgr-none": 403, "trainer": 303}},
		// The pages show a manager without a scope an empty list (the API: 403).
		{method: "GET", route: "/officers", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/officers/:id", path: "/officers/A1", access: readers, ok: 200, special: noLine},
		{method: "GET", route: "/export/officers.:format", path: "/export/officers.csv", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/matrix", path: "/matrix?unit=Alpha", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/matrix.xlsx", path: "/matrix.xlsx?unit=Alpha", access: readers, ok: 200, special: scopeless},
		{method: "GET", route: "/account/password", access: anyone, ok: 200},
		{method: "POST", route: "/account/password", access: anyone, ok: 422,
			body: formOf(url.Values{"old_password": {"wrong"}, "new_password": {"a long enough password"}, "confirm_password": {"a long enough password"}})},

		{method: "GET", route: "/registers", access: recorders, ok: 200},
		{method: "GET", route: "/registers/new", path: "/registers/new?unit=Alpha", access: recorders, ok: 200},
		{method: "POST", route: "/registers", access: recorders, ok: 200, body: formOf(url.Values{"course": {"CSE"}, "date": {"2026-11-20"}, "place": {"Room 4"}, "ids": {"A1\nB1"}})},
		{method: "POST", route: "/registers/:id/withdraw", path: "/registers/reg-none/withdraw", access: recorders, ok: 303, body: formOf(nil)},
		{method: "GET", route: "/registers/sheet", path: "/registers/sheet?course=CSE&unit=Alpha", access: recorders, ok: 200},
		{method: "GET", route: "/registers/sheet.xlsx", path: "/registers/sheet.xlsx?course=CSE&unit=Alpha", access: recorders, ok: 200},

		{method: "GET", route: "/upload", access: staff, ok: 200},
		{method: "POST", route: "/upload", access: staff, ok: 303, body: func(e *testEnv, who string) (io.Reader, string) {
			return multipartBody(e.t, "file", map[string]string{"csrf_token": e.csrf[who]},
				map[string]string{"roster-" + who + ".csv": "Officer ID,Name,Unit,Email\nA9,New Person,Alpha / Team 1,new@police.test\n"})
		}},
		{method: "GET", route: "/upload/:id", path: "/upload/nope", access: staff, ok: 303}, // on to /imports/nope
		{method: "POST", route: "/upload/:id/confirm", path: "/upload/nope/confirm", access: staff, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/upload/:id/cancel", path: "/upload/nope/cancel", access: staff, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/upload/:id/remap", path: "/upload/nope/remap", access: staff, ok: 303, body: formOf(nil)},
		{method: "GET", route: "/imports", access: staff, ok: 200},
		{method: "GET", route: "/imports/:id", path: "/imports/seed", access: staff, ok: 200},
		{method: "GET", route: "/courses", access: staff, ok: 200},
		{method: "POST", route: "/courses", access: staff, ok: 303, body: func(e *testEnv, who string) (io.Reader, string) {
			return formOf(url.Values{"id": {"page-course-" + who}, "title": {"Page course " + who}, "valid_for_months": {"12"}})(e, who)
		}},
		{method: "POST", route: "/courses/:id", path: "/courses/" + courses[0].ID, access: staff, ok: 303,
			body: formOf(url.Values{"title": {courses[0].Title}, "valid_for_months": {"12"}})},
		{method: "POST", route: "/courses/audience-count", access: staff, ok: 200,
			body: formOf(url.Values{"inc-0-row": {"1"}, "inc-0-staff_type": {"officer"}})},
		{method: "POST", route: "/courses/:id/retire", path: "/courses/" + courses[1].ID + "/retire", access: staff, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/courses/:id/restore", path: "/courses/" + courses[1].ID + "/restore", access: staff, ok: 303, body: formOf(nil)},

		// DemoAllowed, on a store that holds a roster: refused with a notice.
		{method: "POST", route: "/demo", access: admins, ok: 303, body: formOf(nil)},
		{method: "GET", route: "/accounts", access: admins, ok: 200},
		// Created: the one-time password is shown in the answer.
		{method: "POST", route: "/accounts", access: admins, ok: 200,
			body: formOf(url.Values{"username": {"page-user"}, "role": {"hr"}})},
		{method: "POST", route: "/accounts/:username", path: "/accounts/page-victim", access: admins, ok: 303,
			body: formOf(url.Values{"role": {"manager"}, "email": {"victim@police.test"}, "units": {"Alpha"}})},
		{method: "POST", route: "/accounts/:username/reset", path: "/accounts/page-victim/reset", access: admins, ok: 200, body: formOf(nil)},
		{method: "POST", route: "/accounts/:username/tokens", path: "/accounts/page-victim/tokens", access: admins, ok: 200,
			body: formOf(url.Values{"name": {"script"}})},
		{method: "POST", route: "/accounts/:username/delete", path: "/accounts/page-victim/delete", access: admins, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/accounts/tokens/:id/revoke", path: "/accounts/tokens/nope/revoke", access: admins, ok: 303, body: formOf(nil)},
		{method: "GET", route: "/jobs", access: admins, ok: 200},
		{method: "GET", route: "/jobs/remind", access: admins, ok: 200},
		{method: "GET", route: "/jobs/remind.csv", access: admins, ok: 200},
		{method: "GET", route: "/jobs/run", path: "/jobs/run?job=reminders", access: admins, ok: 200},
		{method: "POST", route: "/jobs/run", access: admins, ok: 303, body: formOf(url.Values{"job": {"reminders"}, "dry_run": {"1"}})},
		{method: "GET", route: "/jobs/messages/:id", path: "/jobs/messages/nope", access: admins, ok: 404},
		{method: "POST", route: "/jobs/messages/:id/requeue", path: "/jobs/messages/nope/requeue", access: admins, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/jobs/requeue-failed", access: admins, ok: 303, body: formOf(nil)},
		{method: "POST", route: "/jobs/templates/:name", path: "/jobs/templates/reminder", access: admins, ok: 200,
			body: formOf(url.Values{"text": {"Hello"}, "action": {"preview"}})},

		// Single sign-on (withSSO): the start sends everyone to the
		// provider; a callback without the flow this browser started is
		// refused, signed in or not.
		{method: "GET", route: "/login/oidc", path: "/login/oidc?next=/officers", access: public, ok: 302},
		{method: "GET", route: OIDCCallbackPath, path: OIDCCallbackPath + "?code=stolen&state=guessed", access: public, ok: 401, ownIP: true},

		{method: "POST", route: "/api/v1/logout", access: anyone, ok: 204, fresh: true},
		{method: "POST", route: "/logout", access: anyone, ok: 303, fresh: true},
	}...)
}

// matrixRegister is a register of one person, saved when confirm is set.
func matrixRegister(confirm bool) map[string]any {
	return map[string]any{"course": "CSE", "date": "2026-11-20", "place": "Room 4", "ids": "A1, B1", "confirm": confirm}
}

var xapiVersion = map[string]string{"X-Experience-API-Version": "1.0.3"}

const matrixStatementID = "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"

// matrixStatement completes a course for A2 (an account name is an officer ID).
const matrixStatement = `{"id":"` + matrixStatementID + `","actor":{"account":{"homePage":"https://lms.test","name":"A2"}},
 "verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://lms.test/course/9","definition":{"name":{"en":"CSE"}}},
 "timestamp":"2026-11-01T10:00:00Z"}`

// signedIn gives every signed-in caller status.
func signedIn(status int) map[string]int {
	m := map[string]int{}
	for _, who := range matrixCallers[1:] {
		m[who] = status
	}
	return m
}

func expectedStatus(row matrixRow, who string) int {
	if s, ok := row.special[who]; ok {
		return s
	}
	switch row.access {
	case public:
		return row.ok
	case localOK:
		return 401
	}
	if who == "anon" {
		if isPage(row) && row.method == "GET" {
			return 303 // to /login?next=…
		}
		return 401
	}
	mgr := strings.HasPrefix(who, "mgr-")
	trainer := who == "trainer"
	switch {
	case row.access == staff && (mgr || trainer), row.access == admins && who != "admin",
		row.access == readers && trainer, row.access == recorders && mgr:
		return 403
	}
	return row.ok
}

// withSSO turns single sign-on on, against a provider that answers only
// discovery (OpenID Connect Discovery 1.0 §3; go-oidc's NewProvider reads
// the document and checks its issuer, oidc/oidc.go): enough for the
// routes to exist and to start a flow.
func withSSO(t *testing.T) func(*Config) {
	op := httptest.NewServer(nil)
	t.Cleanup(op.Close)
	op.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"issuer":"`+op.URL+`","authorization_endpoint":"`+op.URL+`/auth","token_endpoint":"`+op.URL+`/token",`+
			`"jwks_uri":"`+op.URL+`/keys","response_types_supported":["code"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}`)
	})
	return func(c *Config) {
		c.OIDC = &OIDCConfig{Issuer: op.URL, ClientID: "muster", ClientSecret: "secret", Name: "Test OP"}
	}
}

// TestAuthorizationMatrix calls every route as every kind of caller.
func TestAuthorizationMatrix(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.DemoAllowed = true }, withSSO(t))
	ctx := context.Background()
	for _, name := range []string{"victim", "page-victim"} {
		if err := e.st.CreateUser(ctx, training.User{Username: name, Role: training.RoleManager, Units: []string{"Alpha"}, PasswordHash: testHash(), Created: testNow}); err != nil {
			t.Fatal(err)
		}
	}
	rows := matrixRows(e)
	var table strings.Builder
	table.WriteString("\nroute")
	for _, who := range matrixCallers {
		table.WriteString("\t" + who)
	}
	for _, row := range rows {
		path := row.path
		if path == "" {
			path = row.route
		}
		table.WriteString("\n" + row.method + " " + row.route)
		for _, who := range matrixCallers {
			as := who
			if who == "anon" {
				as = ""
			}
			if row.fresh && as != "" && as != "token" {
				e.freshSession(as)
			}
			// A page's form carries its CSRF token in a field, not a header.
			r := req{method: row.method, path: path, as: as, noCSRF: isPage(row), header: row.header}
			if row.body != nil {
				r.body, r.ctype = row.body(e, who)
			}
			ip := e.ip
			if row.ownIP {
				e.ip = "198.51.100." + web.Itoa(10+slices.Index(matrixCallers, who))
			}
			rec := e.do(r)
			e.ip = ip
			want := expectedStatus(row, who)
			table.WriteString("\t" + web.Itoa(rec.Code))
			if rec.Code != want {
				t.Errorf("%s %s as %s: status %d, want %d: %s", row.method, path, who, rec.Code, want, clip(rec.Body.String()))
			}
			if strings.HasPrefix(path, "/api/") && rec.Code >= 400 {
				checkErrorShape(t, rec)
			}
			if want == 303 && who == "anon" && isPage(row) && !strings.HasPrefix(rec.Header().Get("Location"), "/login?next=") {
				t.Errorf("%s %s as anon: redirected to %q, want the login page", row.method, path, rec.Header().Get("Location"))
			}
		}
	}
	t.Log(table.String())
}

// isPage tells a web page's row (HTML, forms) from the API's and the
// operations' routes.
func isPage(row matrixRow) bool {
	return !web.IsAPI(row.route) && row.route != "/healthz" && row.route != "/readyz" && row.route != "/metrics" &&
		row.route != "/login" && row.route != "/logout"
}

// TestMatrixCoversEveryRoute: a route added without a matrix row fails here,
// API and pages alike.
func TestMatrixCoversEveryRoute(t *testing.T) {
	e := newTestEnv(t, withSSO(t)) // the single sign-on routes too
	have := map[string]bool{}
	for _, row := range matrixRows(e) {
		have[row.method+" "+row.route] = true
	}
	for _, r := range e.s.echo.Routes() {
		if r.Method == "echo_route_not_found" {
			continue
		}
		if !have[r.Method+" "+r.Path] {
			t.Errorf("route %s %s has no row in the authorization matrix", r.Method, r.Path)
		}
	}
}

func (e *testEnv) freshSession(user string) {
	id, csrf := web.RandomToken(), web.RandomToken()
	if err := e.st.CreateSession(context.Background(), training.Session{IDHash: web.SHA256Hex(id), Username: user, CSRFToken: csrf,
		Created: testNow, Expires: testNow.Add(sessionIdle)}); err != nil {
		e.t.Fatal(err)
	}
	e.cookies[user], e.csrf[user] = id, csrf
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func checkErrorShape(t *testing.T, rec interface{ Result() *http.Response }) {
	t.Helper()
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("error content type %q", res.Header.Get("Content-Type"))
		return
	}
	var body web.ErrorBody
	if err := web.JSONUnmarshal(b, &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Errorf("error body %s is not {\"error\":{\"code\",\"message\"}}", b)
	}
}

// TestManagerSeesNothingOfOtherUnits: a manager of Alpha asks for Bravo's
// data by every route and gets none of it; a manager linked to L1 sees
// only L1's reporting line in Bravo.
func TestManagerSeesNothingOfOtherUnits(t *testing.T) {
	e := newTestEnv(t)
	bravo := url.QueryEscape("Bravo")
	team9 := url.QueryEscape("Bravo / Team 9")
	tests := []struct {
		as, path string
		want     int
		// absent must not appear in the body (xlsx: in any part of the zip).
		absent []string
		// present must appear (so the test can fail the other way too).
		present []string
	}{
		{"mgr-a", "/api/v1/compliance?unit=" + bravo, 403, []string{"Bravo /", "Team 9"}, nil},
		{"mgr-a", "/api/v1/compliance?unit=" + team9, 403, []string{"Team 9"}, nil},
		{"mgr-a", "/api/v1/compliance", 200, []string{"Bravo"}, []string{"Alpha / Team 2"}},
		{"mgr-a", "/api/v1/compliance/export?format=csv&unit=" + bravo, 403, []string{"Team 9"}, nil},
		{"mgr-a", "/api/v1/compliance/export?format=xlsx&unit=" + bravo, 403, []string{"Team 9"}, nil},
		{"mgr-a", "/api/v1/compliance/export?format=csv", 200, []string{"Bravo"}, []string{"Team 2"}},
		{"mgr-a", "/api/v1/compliance/export?format=xlsx", 200, []string{"Bravo"}, []string{"Team 2"}},
		{"mgr-a", "/api/v1/officers?unit=" + bravo, 403, []string{"Bravoname"}, nil},
		{"mgr-a", "/api/v1/officers", 200, []string{"Bravo"}, []string{"Alice Aardvark"}},
		{"mgr-a", "/api/v1/officers?q=Bella", 200, []string{"Bravo"}, []string{`"total":0`}},
		{"mgr-a", "/api/v1/officers?q=B1", 200, []string{"Bravo"}, []string{`"total":0`}},
		{"mgr-a", "/api/v1/officers?format=csv", 200, []string{"Bravo"}, []string{"Aardvark"}},
		{"mgr-a", "/api/v1/officers?format=xlsx", 200, []string{"Bravo"}, []string{"Aardvark"}},
		{"mgr-a", "/api/v1/officers?status=overdue&course=cse-recognition", 200, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/officers/B1", 404, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/officers/b2", 404, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/trend?unit=" + bravo, 403, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/trend", 200, []string{"Bravo"}, []string{`"unit":"Alpha"`}},
		{"mgr-a", "/api/v1/imports", 403, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/imports/seed", 403, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/imports/seed/errors.xlsx", 403, []string{"Bravo"}, nil},
		{"mgr-a", "/api/v1/outbox", 403, []string{"Bravo"}, nil},
		{"mgr-line", "/api/v1/compliance?unit=" + bravo, 403, []string{"Team 8", `"required"`}, nil},
		{"mgr-line", "/api/v1/compliance", 200, []string{"Team 8", `"unit":"Bravo"`}, []string{`"unit":null`, "Your reporting line"}},
		{"mgr-line", "/api/v1/officers?unit=" + bravo, 200, []string{"Bella", "Bruno"}, []string{"Boris Bravoname"}},
		{"mgr-line", "/api/v1/officers", 200, []string{"Bella", "Bruno", "Alice"}, []string{"Boris", "Adam"}},
		{"mgr-line", "/api/v1/officers/B1", 404, []string{"Bella"}, nil},
		{"mgr-line", "/api/v1/officers/B2", 200, nil, []string{"Boris"}},
		{"mgr-line", "/api/v1/trend?unit=" + bravo, 403, []string{"Bravo /"}, nil},
		{"mgr-line", "/api/v1/compliance/export?format=xlsx&unit=" + bravo, 403, []string{"Bella", "Bruno", "Team 8"}, nil},
		{"mgr-line", "/api/v1/compliance/export?format=xlsx", 200, []string{"Bella", "Bruno", "Team 8"}, []string{"Your reporting line"}},
	}
	for _, tt := range tests {
		t.Run(tt.as+" "+tt.path, func(t *testing.T) {
			rec := e.do(req{method: "GET", path: tt.path, as: tt.as})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, clip(rec.Body.String()))
			}
			text := bodyText(t, rec.Body.Bytes())
			for _, s := range tt.absent {
				if strings.Contains(text, s) {
					t.Errorf("body holds %q: %s", s, clip(text))
				}
			}
			for _, s := range tt.present {
				if !strings.Contains(text, s) {
					t.Errorf("body lacks %q: %s", s, clip(text))
				}
			}
		})
	}
}

// bodyText is the body, or for a zip (xlsx) every part's text joined.
func bodyText(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("PK")) {
		return string(b)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(rc)
		rc.Close()
		sb.Write(part)
	}
	return sb.String()
}
