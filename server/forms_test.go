package server

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// TestAPISharedValidations: the API refuses what the CLI and the pages
// refuse, with the same rule (training.CheckCourseNames, training.CheckUnits).
func TestAPISharedValidations(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		method, path, body string
		want               int
		msg                string
	}{
		{"PUT", "/api/v1/courses/first-aid", `{"title": "First aid", "aliases": ["cse"]}`, 400, `already used by course \"cse-recognition\"`},
		{"PUT", "/api/v1/courses", `[{"id": "a-course", "title": "A"}, {"id": "b-course", "title": "B", "aliases": ["a"]}]`, 400, `already used by course \"a-course\"`},
		{"PUT", "/api/v1/courses/first-aid", `{"title": "First aid", "aliases": ["FA"]}`, 200, `"first-aid"`},
		{"POST", "/api/v1/users", `{"username": "m2", "role": "manager", "units": ["Charlie"]}`, 400, `There is no unit \"Charlie\" on the roster`},
		{"POST", "/api/v1/users", `{"username": "m2", "role": "manager", "units": ["Team 9"]}`, 400, `did you mean \"Bravo / Team 9\"`},
		{"POST", "/api/v1/users", `{"username": "m3", "role": "manager", "units": ["alpha/team 1"]}`, 201, `"units":["Alpha / Team 1"]`},
		{"PATCH", "/api/v1/users/mgr-a", `{"units": ["Nowhere"]}`, 400, "Nowhere"},
	}
	for _, tt := range tests {
		rec := e.do(req{method: tt.method, path: tt.path, as: "admin", body: strings.NewReader(tt.body), ctype: "application/json"})
		if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.msg) {
			t.Errorf("%s %s %s: %d %s, want %d with %s", tt.method, tt.path, tt.body, rec.Code, clip(rec.Body.String()), tt.want, tt.msg)
		}
	}
}

// TestPagesFormErrorPattern: a failed sign-in and a failed upload come back
// in the GOV.UK error pattern: "Error:" in the title, a summary linking to
// the field, the message by the field, what was typed kept.
func TestPagesFormErrorPattern(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.PostForm(f.http.URL+"/login", url.Values{"username": {"admin"}, "password": {"wrong"}, "next": {"/courses"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	checkErrorPattern(t, "sign-in", page, "username")
	if !strings.Contains(page, `id="username" name="username" autocomplete="username" spellcheck="false" value="admin"`) {
		t.Error("the username typed is not kept")
	}
	if strings.Contains(page, `value="wrong"`) {
		t.Error("the password typed is sent back")
	}

	c := f.login("admin")
	status, _, page := c.post("/upload", nil)
	if status != http.StatusUnprocessableEntity {
		t.Errorf("an upload without a file: %d", status)
	}
	checkErrorPattern(t, "upload", page, "file")
}

func checkErrorPattern(t *testing.T, form, page, field string) {
	t.Helper()
	for _, want := range []string{"<title>Error: ", `<div class="error-summary"`, "There is a problem", `<a href="#` + field + `">`,
		`id="` + field + `-error"`, `<span class="sr-only">Error:</span>`, `aria-describedby="` + field} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page lacks %q", form, want)
		}
	}
}

// TestPagesRetireCourse: a course retired from the web leaves every
// figure, stays listed for bringing back, and comes back.
func TestPagesRetireCourse(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("hr")
	if _, loc, _ := c.post("/courses/trauma-informed-communication/retire", nil); loc != "/courses" {
		t.Fatalf("retire went to %q", loc)
	}
	_, dash := c.get("/")
	if strings.Contains(dash, `data-course="trauma-informed-communication"`) || !strings.Contains(dash, `data-course="cse-recognition"`) {
		t.Error("the dashboard still counts the retired course")
	}
	_, page := c.get("/courses")
	if !strings.Contains(page, "Retired courses") || !strings.Contains(page, `action="/courses/trauma-informed-communication/restore"`) {
		t.Error("the retired course is not listed to bring back")
	}
	c.post("/courses/trauma-informed-communication/restore", nil)
	if _, dash := c.get("/"); !strings.Contains(dash, `data-course="trauma-informed-communication"`) {
		t.Error("the course did not come back")
	}
}
