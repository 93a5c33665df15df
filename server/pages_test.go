package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/accounts"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// webNow is the fixed clock of the page tests: the samples' report date.
var webNow = time.Date(2026, 11, 24, 9, 0, 0, 0, training.London)

const webPassword = "correct horse battery staple"

// webFixture is a server on a fresh bolt store with one user per role.
type webFixture struct {
	t     testing.TB
	srv   *Server
	store training.Store
	http  *httptest.Server
}

func newWebFixture(t testing.TB, demoAllowed bool) *webFixture {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Config{Store: st, Clock: func() time.Time { return webNow }, Addr: ":0",
		BaseURL: "http://muster.test", Secret: []byte("0123456789abcdef0123456789abcdef"), DemoAllowed: demoAllowed})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := accounts.HashPassword(webPassword)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, u := range []training.User{
		{Username: "admin", Role: training.RoleAdmin},
		{Username: "hr", Role: training.RoleHR},
		{Username: "manager-a", Role: training.RoleManager, Units: []string{"Unit A"}},
	} {
		u.PasswordHash, u.Created = hash, webNow
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &webFixture{t: t, srv: srv, store: st, http: hs}
}

// seed writes a small force: unit A holds names that need escaping, unit
// B names that a manager of A must never see.
func (f *webFixture) seed() {
	f.t.Helper()
	src := training.Source{ImportID: "seed", File: "seed.xlsx", Row: 2, At: webNow}
	off := func(id, name, unit string) training.Officer {
		return training.Officer{ID: id, DisplayID: id, Name: name, Unit: unit, FirstSeen: training.DateFrom(2026, 1, 5), Source: src}
	}
	cs := training.ChangeSet{
		Import: training.ImportRecord{ID: "seed", Kind: training.ImportFull, FileName: "seed.xlsx", By: "test", At: webNow, Outcome: training.OutcomeApplied},
		Officers: []training.Officer{
			off("101", "<script>alert(1)</script>", "Unit A / Team 1"),
			off("102", "Siobhán O'Brien", "Unit A / Team 1"),
			off("103", "Alice Able", "Unit A / Team 2"),
			off("ZB201", "Zebedee Bravo", "Unit B / Team 9"),
			off("ZB202", "Yolanda Bravo", "Unit B / Team 9"),
		},
		Completions: []training.Completion{
			{OfficerID: "102", CourseID: "cse-recognition", Date: training.DateFrom(2025, 6, 1), Source: src},
			{OfficerID: "ZB201", CourseID: "cse-recognition", Date: training.DateFrom(2025, 6, 1), Source: src},
		},
	}
	if _, err := f.store.ApplyChanges(context.Background(), cs); err != nil {
		f.t.Fatal(err)
	}
}

// client is a browser-like client signed in as username.
type webClient struct {
	f    *webFixture
	http *http.Client
	csrf string
}

func (f *webFixture) login(username string) *webClient {
	f.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &webClient{f: f, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, err := c.http.PostForm(f.http.URL+"/login", url.Values{"username": {username}, "password": {webPassword}, "next": {"/"}})
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		f.t.Fatalf("login %s: %d %s", username, resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get("/")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		f.t.Fatalf("no CSRF token on the dashboard for %s", username)
	}
	c.csrf = m[1]
	return c
}

func (c *webClient) get(path string) (int, string) {
	c.f.t.Helper()
	resp, err := c.http.Get(c.f.http.URL + path)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form with the CSRF token and returns status, Location, body.
func (c *webClient) post(path string, form url.Values) (int, string, string) {
	c.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", c.csrf)
	resp, err := c.http.PostForm(c.f.http.URL+path, form)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func (c *webClient) upload(path, file string, fields map[string]string) (int, string, string) {
	c.f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", filepath.Base(file))
	b, err := os.ReadFile(file)
	if err != nil {
		c.f.t.Fatal(err)
	}
	fw.Write(b)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.f.http.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		c.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(out)
}

func TestPagesByRole(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	clients := map[string]*webClient{"admin": f.login("admin"), "hr": f.login("hr"), "manager-a": f.login("manager-a")}
	tests := []struct {
		path   string
		status map[string]int // by user; missing = 200
		want   string
	}{
		{"/", nil, "Compliance by course"},
		{"/?unit=Unit+A", nil, "Team 1"},
		{"/?unit=Unit+A+%2F+Team+1", nil, "O&#39;Brien"},
		{"/officers", nil, "Alice Able"},
		{"/officers?status=overdue&course=cse-recognition", nil, "Alice Able"},
		{"/officers/103", nil, "Alice Able"},
		{"/account/password", nil, "Change your password"},
		{"/upload", map[string]int{"manager-a": 403}, "Check the file"},
		{"/imports", map[string]int{"manager-a": 403}, "seed.xlsx"},
		{"/courses", map[string]int{"manager-a": 403}, "CSE recognition"},
		{"/accounts", map[string]int{"manager-a": 403, "hr": 403}, "manager-a"},
		{"/jobs", map[string]int{"manager-a": 403, "hr": 403}, "Scheduled jobs are off"},
		{"/static/app.css", nil, "font"},
		{"/static/", map[string]int{"admin": 404, "hr": 404, "manager-a": 404}, ""},
		{"/?as_of=not-a-date", map[string]int{"admin": 400, "hr": 400, "manager-a": 400}, ""},
		{"/?unit=No+Such+Unit", map[string]int{"admin": 404, "hr": 404, "manager-a": 403}, ""},
	}
	for _, tc := range tests {
		for user, c := range clients {
			want := http.StatusOK
			if s, ok := tc.status[user]; ok {
				want = s
			}
			status, body := c.get(tc.path)
			if status != want {
				t.Errorf("%s GET %s: status %d, want %d", user, tc.path, status, want)
				continue
			}
			if want == http.StatusOK && !strings.Contains(body, tc.want) {
				t.Errorf("%s GET %s: body lacks %q", user, tc.path, tc.want)
			}
			if want != http.StatusOK && !strings.Contains(body, "<main") {
				t.Errorf("%s GET %s: error %d is not an HTML page", user, tc.path, status)
			}
		}
	}
	// Anonymous visitors are sent to the login page.
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Get(f.http.URL + "/officers")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("anonymous /officers: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestPagesManagerSeesOnlyTheirUnits: a manager of unit A never sees a
// unit B name, on any page or export, by any parameter.
func TestPagesManagerSeesOnlyTheirUnits(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("manager-a")
	paths := []string{
		"/", "/?unit=Unit+A", "/?unit=Unit+A+%2F+Team+1", "/?unit=Unit+B", "/?unit=Unit+B+%2F+Team+9",
		"/officers", "/officers?q=Bravo", "/officers?q=ZB201", "/officers?unit=Unit+B", "/officers?status=overdue",
		"/officers/ZB201", "/officers/ZB202",
		"/export/officers.csv", "/export/officers.csv?unit=Unit+B", "/export/officers.xlsx",
		"/api/v1/compliance/export?format=csv", "/api/v1/compliance/export?format=csv&unit=Unit+B",
	}
	for _, p := range paths {
		status, body := c.get(p)
		asked, _ := url.QueryUnescape(p)
		for _, secret := range []string{"Unit B", "Team 9", "Bravo", "Zebedee", "Yolanda", "ZB201", "ZB202"} {
			// The search box repeats what was asked; that is not a leak.
			if strings.Contains(body, secret) && !strings.Contains(asked, secret) {
				t.Errorf("GET %s (%d) shows %q to a manager of unit A", p, status, secret)
			}
		}
		if status >= 500 {
			t.Errorf("GET %s: %d", p, status)
		}
	}
	if status, _ := c.get("/?unit=Unit+B"); status != http.StatusForbidden {
		t.Errorf("manager-a GET /?unit=Unit B: %d, want 403", status)
	}
	if status, _ := c.get("/officers/ZB201"); status != http.StatusNotFound {
		t.Errorf("manager-a GET /officers/ZB201: %d, want 404", status)
	}
	if _, body := c.get("/"); strings.Contains(body, "Whole force") || !strings.Contains(body, "<h1>Unit A</h1>") || strings.Contains(body, "Nobody on the roster") {
		t.Error("a manager's dashboard claims to show the whole force")
	}
	// They do see their own people.
	if _, body := c.get("/officers"); !strings.Contains(body, "Alice Able") {
		t.Error("manager-a does not see Alice Able of unit A")
	}
	// A change of scope takes effect at once, cached pages or not (made
	// through the server, as an admin's change is: one made through
	// another replica applies within DefaultAuthCacheTTL).
	if err := f.srv.Store().UpdateUser(context.Background(), "manager-a", func(u *training.User) error { u.Units = []string{"Unit B"}; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Store().UpdateUser(context.Background(), "manager-a", func(u *training.User) error { u.Units = []string{"Unit Z"}; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, body := c.get("/"); !strings.Contains(body, "Nobody on the roster is in your units") {
		t.Error("a manager of an empty unit is not told why the dashboard is empty")
	}
	if err := f.srv.Store().UpdateUser(context.Background(), "manager-a", func(u *training.User) error { u.Units = []string{"Unit B"}; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/officers"} {
		if _, body := c.get(p); strings.Contains(body, "Alice Able") || strings.Contains(body, "Team 1") || !strings.Contains(body, "Bravo") && p == "/officers" {
			t.Errorf("after moving manager-a to unit B, GET %s still shows unit A", p)
		}
	}
}

func TestPagesEscapeNames(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("admin")
	for _, p := range []string{"/?unit=Unit+A+%2F+Team+1", "/officers", "/officers/101", "/officers/102", "/?unit=Unit+A"} {
		_, body := c.get(p)
		if strings.Contains(body, "<script>alert(1)</script>") {
			t.Errorf("GET %s: the name <script> is not escaped", p)
		}
		if strings.Contains(body, "O'Brien") {
			t.Errorf("GET %s: O'Brien is not escaped", p)
		}
	}
	if _, body := c.get("/officers/101"); !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("/officers/101 does not show the escaped name")
	}
	if _, body := c.get("/officers/102"); !strings.Contains(body, "Siobhán O&#39;Brien") {
		t.Error("/officers/102 does not show Siobhán O'Brien escaped")
	}
}

func TestPagesOfficerLink(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	tok := training.SignOfficerLink(f.srv.cfg.Secret, "102", webNow.Add(24*time.Hour))
	resp, err := http.Get(f.http.URL + "/me/" + tok)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Siobhán O&#39;Brien") || !strings.Contains(body, "Compliant") {
		t.Errorf("/me/<token>: %d, body lacks the officer or status", resp.StatusCode)
	}
	if strings.Contains(body, "Alice Able") || strings.Contains(body, "Log out") {
		t.Error("/me/<token> shows more than the officer's own record")
	}
	for _, bad := range []string{tok + "x", training.SignOfficerLink(f.srv.cfg.Secret, "102", webNow.Add(-time.Hour))} {
		resp, err := http.Get(f.http.URL + "/me/" + bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("/me/<bad token>: %d, want 403", resp.StatusCode)
		}
	}
}

func TestPagesEmptyStoreOffersDemoOnlyWhenAllowed(t *testing.T) {
	for _, allowed := range []bool{false, true} {
		f := newWebFixture(t, allowed)
		admin, hr := f.login("admin"), f.login("hr")
		_, body := admin.get("/")
		if got := strings.Contains(body, "Load demo data"); got != allowed {
			t.Errorf("DemoAllowed=%v: admin sees the demo button: %v", allowed, got)
		}
		if !strings.Contains(body, "Upload a roster") {
			t.Error("empty dashboard lacks the upload link")
		}
		if _, body := hr.get("/"); strings.Contains(body, "Load demo data") {
			t.Error("hr sees the demo button")
		}
		if status, _, _ := hr.post("/demo", nil); status != http.StatusForbidden {
			t.Errorf("hr POST /demo: %d, want 403", status)
		}
		status, loc, _ := admin.post("/demo", nil)
		if !allowed {
			if status != http.StatusForbidden {
				t.Errorf("POST /demo when not allowed: %d, want 403", status)
			}
			continue
		}
		if status != http.StatusSeeOther || loc != "/" {
			t.Fatalf("POST /demo: %d %s", status, loc)
		}
		_, body = admin.get("/")
		if !strings.Contains(body, "Loaded demo data") || !strings.Contains(body, "Compliance by course") || !strings.Contains(body, "<svg") {
			t.Error("after loading demo data the dashboard lacks the notice, the figures or the trend chart")
		}
		// Never twice: the store is no longer empty.
		if _, loc, _ := admin.post("/demo", nil); loc != "/" {
			t.Errorf("second POST /demo: %s", loc)
		}
		if _, body := admin.get("/"); !strings.Contains(body, "only be loaded into an empty store") {
			t.Error("second POST /demo did not say why it was refused")
		}
	}
}

func TestPagesCSRF(t *testing.T) {
	f := newWebFixture(t, false)
	c := f.login("admin")
	c.csrf = "wrong"
	if status, _, _ := c.post("/courses/cse-recognition", url.Values{"title": {"X"}}); status != http.StatusForbidden {
		t.Errorf("POST without the CSRF token: %d, want 403", status)
	}
}

func TestPagesUploadPreviewConfirm(t *testing.T) {
	f := newWebFixture(t, false)
	c := f.login("hr")
	status, loc, _ := c.upload("/upload", "../testdata/samples/1_roster_full.xlsx", map[string]string{"full": "1"})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/upload/imp-") {
		t.Fatalf("POST /upload: %d %s", status, loc)
	}
	_, body := c.get(loc)
	for _, want := range []string{"Check what this file would change", "Roster", "A roster with a column per course", "Confirm and import", "Download the list of problems", "Frontline Policing"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// Evidence first, in HR's words; Confirm at the bottom.
	changes, problems, confirm := strings.Index(body, `id="h-changes"`), strings.Index(body, `id="h-problems"`), strings.Index(body, `id="confirm"`)
	if changes < 0 || problems < changes || confirm < problems {
		t.Errorf("preview order: changes %d, problems %d, confirm %d", changes, problems, confirm)
	}
	for _, jargon := range []string{"SHA-256", "Dry run", "Orphan", ">wide<", ">long<"} {
		if strings.Contains(body, jargon) {
			t.Errorf("the preview says %q", jargon)
		}
	}
	if n, _ := f.store.Imports(context.Background(), 0); len(n) != 0 {
		t.Errorf("the dry run logged %d imports", len(n))
	}
	id := strings.TrimPrefix(loc, "/upload/")
	if status, body := c.get("/api/v1/imports/" + id + "/errors.xlsx"); status != http.StatusOK || !strings.HasPrefix(body, "PK") {
		t.Errorf("errors.xlsx: %d", status)
	}
	status, loc, _ = c.post("/upload/"+id+"/confirm", nil)
	if status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("confirm: %d %s", status, loc)
	}
	_, body = c.get("/")
	if !strings.Contains(body, "Imported") {
		t.Error("dashboard lacks the import notice")
	}
	ds, _ := f.store.Dataset(context.Background())
	if len(ds.Officers) < 250 {
		t.Errorf("after confirming, the store has %d officers", len(ds.Officers))
	}
	if _, body := c.get("/imports"); !strings.Contains(body, "1_roster_full.xlsx") || !strings.Contains(body, "applied") {
		t.Error("upload history lacks the applied import")
	}
	// The preview is gone once used.
	if status, _, _ := c.post("/upload/"+id+"/confirm", nil); status != http.StatusSeeOther {
		t.Errorf("second confirm: %d", status)
	}
	// A few officers uploaded as the full roster trip the 20% leaver guard:
	// the preview asks for the box, and confirming without it is refused.
	var b strings.Builder
	b.WriteString("Employee ID,Last Name,First Name,Directorate,Borough,Section\n")
	n := 0
	for id, o := range ds.Officers {
		if o.Active() && n < 3 {
			parts := training.SplitUnit(o.Unit)
			fmt.Fprintf(&b, "%s,\"<script>x%d</script>\",O'Brien,%s,%s,%s\n", id, n, parts[0], parts[1], parts[2])
			n++
		}
	}
	small := filepath.Join(t.TempDir(), "three.csv")
	if err := os.WriteFile(small, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	status, loc, _ = c.upload("/upload", small, map[string]string{"full": "1"})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/upload/") {
		t.Fatalf("small upload: %d %s", status, loc)
	}
	_, body = c.get(loc)
	if !strings.Contains(body, `name="confirm"`) || !strings.Contains(body, "into leavers") {
		t.Fatal("the preview of a 3-officer full roster does not ask to confirm the leavers")
	}
	if strings.Contains(body, "<script>x") || strings.Contains(body, "O'Brien") {
		t.Error("the preview does not escape names from the file")
	}
	id = strings.TrimPrefix(loc, "/upload/")
	if _, loc2, _ := c.post("/upload/"+id+"/confirm", nil); loc2 != "/upload/"+id {
		t.Errorf("confirm without the leaver box went to %s", loc2)
	}
	if ds, _ := f.store.Dataset(context.Background()); countActive(ds) < 250 {
		t.Error("confirming without the box made leavers")
	}
	if _, loc3, _ := c.post("/upload/"+id+"/confirm", url.Values{"confirm_leavers": {"1"}}); loc3 != "/" {
		t.Errorf("confirm with the leaver box went to %s", loc3)
	}
	if ds, _ := f.store.Dataset(context.Background()); countActive(ds) != 3 {
		t.Errorf("after confirming the leavers %d officers are active, want 3", countActive(ds))
	}
	// Cancel forgets a preview.
	status, loc, _ = c.upload("/upload", "../testdata/samples/2_lms_export.csv", map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("third upload: %d", status)
	}
	id = strings.TrimPrefix(loc, "/upload/")
	if _, loc, _ := c.post("/upload/"+id+"/cancel", nil); loc != "/upload" {
		t.Errorf("cancel went to %s", loc)
	}
	if status, _, _ := c.post("/upload/"+id+"/confirm", nil); status != http.StatusSeeOther {
		t.Errorf("confirm after cancel: %d", status)
	}
	if _, body := c.get("/upload"); !strings.Contains(body, "expired or was already used") {
		t.Error("confirming a cancelled preview does not say why it failed")
	}
}

func countActive(ds *training.Dataset) int {
	n := 0
	for _, o := range ds.Officers {
		if o.Active() {
			n++
		}
	}
	return n
}

func TestPagesCoursesAndAccounts(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("admin")
	form := url.Values{"title": {"CSE recognition <b>new</b>"}, "aliases": {"CSE\r\nCSE awareness"}, "deadline": {"2026-04-30"},
		"due_within_days": {"60"}, "valid_for_months": {"36"}, "due_soon_days": {"14"}, "url": {"https://learn.example/cse"}}
	if status, loc, _ := c.post("/courses/cse-recognition", form); status != http.StatusSeeOther || loc != "/courses" {
		t.Fatalf("save course: %d %s", status, loc)
	}
	cs, _ := f.store.Courses(context.Background())
	if cs[0].ID != "cse-recognition" || cs[0].DueSoonDays != 14 || cs[0].Deadline.String() != "2026-04-30" || len(cs[0].Aliases) != 2 {
		t.Errorf("course after save: %+v", cs[0])
	}
	if _, body := c.get("/courses"); !strings.Contains(body, "CSE recognition &lt;b&gt;new&lt;/b&gt;") {
		t.Error("course title not shown escaped")
	}
	form.Set("due_soon_days", "-1")
	if status, _, body := c.post("/courses/cse-recognition", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "whole number") ||
		!strings.Contains(body, `<a href="#soon-cse-recognition">`) || !strings.Contains(body, `id="soon-cse-recognition" name="due_soon_days" value="-1"`) {
		t.Error("a bad number is not reported by its field, with what was typed")
	}
	// An alias another course uses is refused, as the CLI and the API refuse it.
	newCourse := url.Values{"id": {"first-aid"}, "title": {"First aid"}, "aliases": {"FA\r\ncse awareness"}, "due_within_days": {"90"}}
	if status, _, body := c.post("/courses", newCourse); status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#new-aliases">`) ||
		!strings.Contains(body, "already used by course &#34;cse-recognition&#34;") || !strings.Contains(body, `value="first-aid"`) || !strings.Contains(body, "<title>Error: Courses") {
		t.Errorf("a clashing alias: %d, without the error by the field or the typed values", status)
	}
	if cs, _ := f.store.Courses(context.Background()); len(cs) != 2 {
		t.Errorf("the clashing course was saved: %d courses", len(cs))
	}

	// Units come from the roster's tree: a made-up one is refused, with
	// the form kept.
	status, _, body := c.post("/accounts", url.Values{"username": {"newmgr"}, "role": {"manager"}, "units": {"Unit A"}, "add_unit": {"Unit Z"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#new-add_unit">`) || !strings.Contains(body, `value="newmgr"`) || !strings.Contains(body, `value="Unit Z"`) {
		t.Fatalf("a unit not on the roster: %d, or no error summary or kept values: %s", status, between(body, `<div class="error-summary"`, "</ul>")+between(body, `id="new-username"`, ">")+between(body, `id="new-add_unit"`, ">"))
	}
	status, _, body = c.post("/accounts", url.Values{"username": {"newmgr"}, "role": {"manager"}, "units": {"Unit A"}, "add_unit": {"unit b"}})
	if status != http.StatusOK || !strings.Contains(body, "One-time password for newmgr") {
		t.Fatalf("create user: %d", status)
	}
	u, err := f.store.User(context.Background(), "newmgr")
	if err != nil || len(u.Units) != 2 || !u.MustChangePassword {
		t.Errorf("created user: %+v %v", u, err)
	}
	_, _, body = c.post("/accounts/newmgr/tokens", url.Values{"name": {"lms"}})
	if !strings.Contains(body, tokenPrefix) {
		t.Error("the new token's secret is not shown")
	}
	toks, _ := f.store.Tokens(context.Background(), "newmgr")
	if len(toks) != 1 {
		t.Fatalf("tokens: %d", len(toks))
	}
	c.post("/accounts/tokens/"+toks[0].ID+"/revoke", nil)
	if toks, _ := f.store.Tokens(context.Background(), "newmgr"); len(toks) != 0 {
		t.Error("token not revoked")
	}
	if _, _, body := c.post("/accounts/newmgr/reset", nil); !strings.Contains(body, "New one-time password for newmgr") {
		t.Error("reset does not show the password")
	}
	if status, _, body := c.post("/accounts/admin", url.Values{"role": {"hr"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#role-admin">`) {
		t.Error("demoting yourself is not refused with the error by the role")
	}
	if u, _ := f.store.User(context.Background(), "admin"); u.Role != training.RoleAdmin {
		t.Error("an admin could demote themselves")
	}
	// A notice shown with the page that answered the POST is not shown again.
	if _, body := c.get("/accounts"); strings.Contains(body, "User newmgr added") {
		t.Error("the notice of the POST is shown again on the next page")
	}
	// A manager needs a unit or an officer link (training.User.CheckScope,
	// as in the CLI and the API), on creating and on saving.
	if status, _, body := c.post("/accounts", url.Values{"username": {"lonely"}, "role": {"manager"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#new-add_unit">`) {
		t.Errorf("a manager who would see nothing: %d, or no error by the unit field", status)
	}
	if status, _, body := c.post("/accounts/newmgr", url.Values{"role": {"manager"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#add_unit-newmgr">`) {
		t.Errorf("saving a manager without units: %d, or no error by the unit field: %s", status, between(body, `<div class="error-summary"`, "</ul>"))
	}
	if u, _ := f.store.User(context.Background(), "newmgr"); len(u.Units) != 2 {
		t.Errorf("a refused save changed the units: %v", u.Units)
	}
	c.post("/accounts/newmgr/delete", nil)
	if _, err := f.store.User(context.Background(), "newmgr"); err == nil {
		t.Error("user not deleted")
	}
}

func TestPagesOneTimePasswordMustBeChanged(t *testing.T) {
	f := newWebFixture(t, false)
	ctx := context.Background()
	if err := f.store.UpdateUser(ctx, "hr", func(u *training.User) error { u.MustChangePassword = true; return nil }); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &webClient{f: f, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	resp, err := c.http.PostForm(f.http.URL+"/login", url.Values{"username": {"hr"}, "password": {webPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.http.Get(f.http.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account/password" {
		t.Fatalf("GET / with a one-time password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.get("/account/password")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Choose a new password") {
		t.Fatal("the password page lacks its form or notice")
	}
	c.csrf = m[1]
	if status, _, body := c.post("/account/password", url.Values{"old_password": {webPassword}, "new_password": {"a new long password 1"}, "confirm_password": {"a different one 12345"}}); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `<a href="#confirm_password">`) || !strings.Contains(body, "<title>Error: ") {
		t.Errorf("mismatched passwords: %d, without the error summary linking to the field", status)
	}
	if _, loc, _ := c.post("/account/password", url.Values{"old_password": {webPassword}, "new_password": {"a new long password 1"}, "confirm_password": {"a new long password 1"}}); loc != "/" {
		t.Errorf("changing the password went to %s", loc)
	}
	if status, body := c.get("/"); status != http.StatusOK || !strings.Contains(body, "Your password has been changed") {
		t.Errorf("after the change GET / = %d", status)
	}
}

func TestPagesLoginFailureNotice(t *testing.T) {
	f := newWebFixture(t, false)
	jar, _ := cookiejar.New(nil)
	c := &webClient{f: f, http: &http.Client{Jar: jar}}
	resp, err := c.http.PostForm(f.http.URL+"/login", url.Values{"username": {"admin"}, "password": {"wrong"}, "next": {"/courses"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if !strings.Contains(body, "The username or password is wrong") || !strings.Contains(body, `name="next" value="/courses"`) {
		t.Errorf("failed login page: %d", resp.StatusCode)
	}
	if _, body := c.get("/login"); strings.Contains(body, "The username or password is wrong") {
		t.Error("the failure notice is shown again")
	}
}

// TestPagesReportingLine: a manager linked to an officer sees the people
// who report to them, wherever they are, and nobody else there.
func TestPagesReportingLine(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	ctx := context.Background()
	rec, err := f.store.Officer(ctx, "ZB202")
	if err != nil {
		t.Fatal(err)
	}
	rec.Officer.LineManager = "103"
	ds, _ := f.store.Dataset(ctx)
	cs := training.ChangeSet{BaseRevision: ds.Revision, Officers: []training.Officer{rec.Officer},
		Import: training.ImportRecord{ID: "line", Kind: training.ImportPartial, By: "test", At: webNow, Outcome: training.OutcomeApplied}}
	if _, err := f.store.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	hash, _ := accounts.HashPassword(webPassword)
	if err := f.store.CreateUser(ctx, training.User{Username: "line", Role: training.RoleManager, OfficerID: "103", PasswordHash: hash, Created: webNow}); err != nil {
		t.Fatal(err)
	}
	c := f.login("line")
	if _, body := c.get("/officers"); !strings.Contains(body, "Yolanda Bravo") || strings.Contains(body, "Zebedee") || strings.Contains(body, "Alice Able") {
		t.Error("the reporting line's officer list is wrong")
	}
	if status, _ := c.get("/officers/ZB202"); status != http.StatusOK {
		t.Errorf("GET /officers/ZB202 (reports to them): %d", status)
	}
	if status, _ := c.get("/officers/ZB201"); status != http.StatusNotFound {
		t.Errorf("GET /officers/ZB201 (does not): %d", status)
	}
	_, body := c.get("/")
	if strings.Contains(body, "Zebedee") || !strings.Contains(body, "<h1>Your reporting line</h1>") {
		t.Error("the dashboard of a line manager shows more than their people")
	}
	if m := regexp.MustCompile(`data-k="required">(\d+)<`).FindStringSubmatch(body); m == nil || m[1] != "1" {
		t.Errorf("a line manager with one report sees required = %v", m)
	}
}
