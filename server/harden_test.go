package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// Hardening tests (README "Security"). Limits are checked by counting (slots
// held, the next caller refused), never by timing.

func TestLocalPath(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/officers?unit=Alpha", "/officers?unit=Alpha"},
		{"/", "/"},
		{"", "/"},
		{"/\t/evil.example/", "/"}, // the next=%2F%09%2Fevil.example%2F
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"\t//evil.example", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/\x00/evil.example", "/"},
		{"officers", "/"},
		{"/off\ticers", "/officers"}, // what the browser would open anyway
	} {
		if got := web.LocalPath(tt.in); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	e := newTestEnv(t)
	v := url.Values{"username": {"hr"}, "password": {testPassword}, "next": {"/\t/evil.example/"}}
	rec := e.do(req{method: "POST", path: "/login", body: strings.NewReader(v.Encode()), ctype: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Fatalf("login with next=/TAB/evil.example: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
}

// TestCSRFNotFromQuery: the token counts only in the header or the body.
func TestCSRFNotFromQuery(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "POST", path: "/api/v1/logout?csrf_token=" + url.QueryEscape(e.csrf["hr"]), as: "hr", noCSRF: true})
	if rec.Code != http.StatusForbidden {
		t.Fatalf("CSRF token in the query string: %d, want 403", rec.Code)
	}
	v := url.Values{"csrf_token": {e.csrf["hr"]}}
	rec = e.do(req{method: "POST", path: "/api/v1/logout", as: "hr", noCSRF: true, body: strings.NewReader(v.Encode()), ctype: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusNoContent {
		t.Fatalf("CSRF token in the body: %d, want 204", rec.Code)
	}
}

// TestNoStore: answers with personal data are never cached.
func TestNoStore(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/api/v1/officers", "/api/v1/officers/A1", "/api/v1/session", "/api/v1/imports",
		"/api/v1/imports/seed", "/api/v1/outbox", "/api/v1/remind", "/api/v1/users", "/officers", "/export/officers.csv"} {
		as := "hr"
		if path == "/api/v1/users" {
			as = "admin"
		}
		rec := e.do(req{method: "GET", path: path, as: as})
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "no-store") {
			t.Errorf("GET %s: %d, Cache-Control %q", path, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/openapi.json"}); strings.Contains(rec.Header().Get("Cache-Control"), "no-store") {
		t.Errorf("the API description is marked no-store")
	}
}

func TestHSTSWithSecureCookies(t *testing.T) {
	for _, secure := range []bool{false, true} {
		e := newTestEnv(t, func(c *Config) { c.CookieSecure = secure })
		rec := e.do(req{method: "GET", path: "/healthz"})
		if got := rec.Header().Get("Strict-Transport-Security") != ""; got != secure {
			t.Errorf("CookieSecure %v: HSTS sent %v", secure, got)
		}
	}
}

func TestMetricsAccess(t *testing.T) {
	bearer := map[string]string{"Authorization": "Bearer " + testMetricsToken}
	e := newTestEnv(t)
	if rec := e.do(req{method: "GET", path: "/metrics"}); rec.Code != 401 {
		t.Errorf("metrics without the token: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer wrong"}}); rec.Code != 401 {
		t.Errorf("metrics with a wrong token: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/metrics", header: bearer}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Errorf("metrics with the token: %d", rec.Code)
	}
	off := newTestEnv(t, func(c *Config) { c.MetricsToken = "" })
	if rec := off.do(req{method: "GET", path: "/metrics", header: bearer}); rec.Code != 404 {
		t.Errorf("metrics with neither token nor address: %d", rec.Code)
	}
	sep := newTestEnv(t, func(c *Config) { c.MetricsAddr = "127.0.0.1:0" })
	if rec := sep.do(req{method: "GET", path: "/metrics", header: bearer}); rec.Code != 404 {
		t.Errorf("metrics on the main address with a metrics address set: %d", rec.Code)
	}
	r := httptestGet(sep.s.MetricsHandler(), "/metrics")
	if r.Code != 200 || !strings.Contains(r.Body.String(), "go_goroutines") {
		t.Errorf("the metrics address: %d", r.Code)
	}
}

// loginAs posts a JSON login from the env's client address.
func (e *testEnv) loginAs(username, password string, header map[string]string) int {
	return e.do(req{method: "POST", path: "/api/v1/login", ctype: "application/json",
		body: jsonBody(map[string]string{"username": username, "password": password}), header: header}).Code
}

// TestTrustedProxies: X-Forwarded-For counts only from configured proxies,
// so rotating it does not get around the login limit (ipBurst attempts).
func TestTrustedProxies(t *testing.T) {
	attempts := func(e *testEnv) (limited int) {
		for i := range ipBurst + 5 {
			xff := map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i)}
			if e.loginAs("nobody-"+strconv.Itoa(i), "wrong", xff) == http.StatusTooManyRequests {
				limited++
			}
		}
		return limited
	}
	e := newTestEnv(t)
	e.ip = "127.0.0.1" // a client on this host, rotating the header
	if n := attempts(e); n != 5 {
		t.Errorf("without trusted proxies, rotating X-Forwarded-For: %d attempts limited, want 5", n)
	}
	proxies, err := ParseTrustedProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	e = newTestEnv(t, func(c *Config) { c.TrustedProxies = proxies })
	e.ip = "127.0.0.1" // the proxy: each header names another client
	if n := attempts(e); n != 0 {
		t.Errorf("behind a trusted proxy, distinct clients: %d attempts limited, want 0", n)
	}
	e.ip = "192.0.2.7" // not a proxy: its header is ignored
	if n := attempts(e); n != 5 {
		t.Errorf("an untrusted peer rotating X-Forwarded-For: %d attempts limited, want 5", n)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Error("a bad range was accepted")
	}
}

// TestHashingGate: argon2id runs only with a free slot; with every slot
// and queue place held, a login is refused at once, and the rate limit is
// checked before any hashing.
func TestHashingGate(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Limits.Hashing, c.Limits.HashQueue = 1, 2 })
	if !e.s.hashing.admit.TryAcquire(3) {
		t.Fatal("the gate has fewer than 3 places")
	}
	if e.s.hashing.admit.TryAcquire(1) {
		t.Fatal("the gate has more than 3 places")
	}
	rec := e.do(req{method: "POST", path: "/api/v1/login", ctype: "application/json",
		body: jsonBody(map[string]string{"username": "hr", "password": testPassword})})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Too many sign-ins at once") {
		t.Fatalf("login with every hashing slot taken: %d %s", rec.Code, rec.Body)
	}
	// The limiter counts attempts before hashing: the refused ones used up
	// the address's burst, the next is 429 without waiting for a slot.
	for range ipBurst - 1 {
		e.loginAs("x", "y", nil)
	}
	if code := e.loginAs("x", "y", nil); code != http.StatusTooManyRequests {
		t.Fatalf("attempt past the burst with no hashing slot: %d, want 429", code)
	}
	e.s.hashing.admit.Release(3)
	e.ip = "192.0.2.99"
	if code := e.loginAs("hr", testPassword, nil); code != 200 {
		t.Fatalf("login with the slots free again: %d", code)
	}
}

// TestOneTimePasswordExpires: a generated password signs in for
// Config.OneTimePasswordTTL, no longer.
func TestOneTimePasswordExpires(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		age  time.Duration
		want int
	}{{71 * time.Hour, 200}, {72 * time.Hour, 401}, {30 * 24 * time.Hour, 401}} {
		// Through the server, as an admin's reset is (one made through
		// another replica applies within DefaultAuthCacheTTL).
		if err := e.s.Store().UpdateUser(ctx, "hr", func(u *training.User) error {
			u.SetPassword(testHash(), true, testNow.Add(-tt.age))
			u.Created = testNow.Add(-tt.age - time.Hour)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		e.ip = "192.0.2." + strconv.Itoa(int(tt.age/time.Hour)%250)
		rec := e.do(req{method: "POST", path: "/api/v1/login", ctype: "application/json",
			body: jsonBody(map[string]string{"username": "hr", "password": testPassword})})
		if rec.Code != tt.want {
			t.Errorf("one-time password %v old: %d, want %d", tt.age, rec.Code, tt.want)
		}
		if tt.want == 401 && !strings.Contains(rec.Body.String(), "expired") {
			t.Errorf("expired one-time password: %s", rec.Body)
		}
		// A session begun earlier ends with the one-time password.
		if code := e.do(req{method: "GET", path: "/api/v1/session", as: "hr"}).Code; tt.want == 401 && code != 401 {
			t.Errorf("a session of a user whose one-time password is %v old: %d", tt.age, code)
		}
	}
	other := newTestEnv(t, func(c *Config) { c.OneTimePasswordTTL = 24 * 40 * time.Hour })
	if err := other.st.UpdateUser(ctx, "hr", func(u *training.User) error {
		u.SetPassword(testHash(), true, testNow.Add(-30*24*time.Hour))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if code := other.loginAs("hr", testPassword, nil); code != 200 {
		t.Errorf("a configured TTL of 40 days, password 30 days old: %d", code)
	}
}

// raceStore runs hook once, just before the first session refresh reaches
// the store: the moment a logout racing the refresh could slip in.
type raceStore struct {
	training.Store
	mu    sync.Mutex
	armed bool
	hook  func()
}

func (r *raceStore) fire() {
	r.mu.Lock()
	armed := r.armed
	r.armed = false
	r.mu.Unlock()
	if armed {
		r.hook()
	}
}

func (r *raceStore) TouchSession(ctx context.Context, h string, exp, now time.Time) (training.Session, error) {
	r.fire()
	return r.Store.TouchSession(ctx, h, exp, now)
}

func (r *raceStore) DeleteSession(ctx context.Context, h string) error {
	r.fire()
	return r.Store.DeleteSession(ctx, h)
}

// TestLogoutWinsOverRefresh: a logout landing in the middle of a refresh
// of the same session ends it for good (the issue saw 2 of 12 sessions
// survive a logout that returned 204).
func TestLogoutWinsOverRefresh(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rs := &raceStore{Store: st}
	later := testNow.Add(10 * time.Minute) // far enough for a refresh
	e := newTestEnvOn(t, rs, func(c *Config) { c.Clock = func() time.Time { return later } })
	hash := web.SHA256Hex(e.cookies["admin"])
	rs.hook = func() {
		if err := st.DeleteSession(context.Background(), hash); err != nil { // the logout
			t.Error(err)
		}
	}
	rs.armed = true
	e.do(req{method: "GET", path: "/api/v1/session", as: "admin"})
	if rs.armed {
		t.Fatal("the request did not refresh its session")
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "admin"}); rec.Code != 401 {
		t.Fatalf("the session after a logout raced its refresh: %d, want 401", rec.Code)
	}
	if _, err := st.Session(context.Background(), hash, later); !errors.Is(err, training.ErrNotFound) {
		t.Fatalf("the session is back in the store: %v", err)
	}
}

// TestDisableAndResetRevoke: disabling ends sessions and tokens for good
// (re-enabling revives none); an admin reset ends tokens too.
func TestDisableAndResetRevoke(t *testing.T) {
	e := newTestEnv(t)
	patch := func(disabled bool) {
		rec := e.do(req{method: "PATCH", path: "/api/v1/users/hr", as: "admin", ctype: "application/json", body: jsonBody(map[string]bool{"disabled": disabled})})
		if rec.Code != 200 {
			t.Fatalf("PATCH disabled=%v: %d %s", disabled, rec.Code, rec.Body)
		}
	}
	patch(true)
	patch(false)
	if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "hr"}); rec.Code != 401 {
		t.Errorf("hr's session after disable and re-enable: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "token"}); rec.Code != 401 {
		t.Errorf("hr's token after disable and re-enable: %d", rec.Code)
	}

	secret := tokenPrefix + web.RandomToken()
	if err := e.st.CreateToken(context.Background(), training.Token{ID: "tok-a", Hash: web.SHA256Hex(secret), Name: "x", Username: "mgr-a", Created: testNow}); err != nil {
		t.Fatal(err)
	}
	e.bearer["mgr-token"] = secret
	if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "mgr-token"}); rec.Code != 200 {
		t.Fatalf("a fresh token: %d", rec.Code)
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/users/mgr-a/reset", as: "admin"}); rec.Code != 200 {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "mgr-token"}); rec.Code != 401 {
		t.Errorf("a token after its user's reset: %d", rec.Code)
	}
	if toks, _ := e.st.Tokens(context.Background(), "mgr-a"); len(toks) != 0 {
		t.Errorf("%d tokens left after reset", len(toks))
	}
}

// TestSlowBodyIsCut: a body trickled a byte at a time does not hold a
// connection past Timeouts.Read (the test waits up to 20 s for the server
// to end it; without a read timeout it never would).
func TestSlowBodyIsCut(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Timeouts.Read = 300 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	<-e.s.Ready()
	conn, err := net.Dial("tcp", e.s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/v1/login HTTP/1.1\r\nHost: muster.test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	stop := make(chan struct{})
	go func() { // one byte a while, until the server gives up
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	defer close(stop)
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server still held the trickling connection after 20 s")
	}
}

func httptestGet(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

// TestImportConcurrencyLimits: one import at a time per user (429), a
// bounded number and size in total (503), slots given back after.
func TestImportConcurrencyLimits(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.Limits.Imports, c.Limits.ImportsPerUser, c.Limits.ImportBytes = 2, 1, 1<<20 })
	post := func(as string) *httptest.ResponseRecorder {
		body, ctype := rosterCSV(e, as)
		return e.do(req{method: "POST", path: "/api/v1/imports", as: as, body: body, ctype: ctype})
	}
	release, err := e.s.ImportGate.Acquire("hr", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if rec := post("hr"); rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "rate_limited") {
		t.Errorf("a second import of the same user: %d %s", rec.Code, rec.Body)
	}
	if rec := post("admin"); rec.Code != 200 {
		t.Errorf("another user's import with a slot free: %d %s", rec.Code, rec.Body)
	}
	release2, err := e.s.ImportGate.Acquire("someone", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if rec := post("admin"); rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "busy with other imports") {
		t.Errorf("an import with every slot taken: %d %s", rec.Code, rec.Body)
	}
	release()
	release2()
	release2() // twice is harmless
	if n, b := e.s.ImportGate.InUse(); n != 0 || b != 0 {
		t.Fatalf("after every import ended: %d running, %d bytes", n, b)
	}
	// Bytes: a file that would take the running total past ImportBytes waits.
	release, err = e.s.ImportGate.Acquire("someone", 1<<20-10)
	if err != nil {
		t.Fatal(err)
	}
	if rec := post("admin"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("an import past the byte budget: %d", rec.Code)
	}
	release()
	if rec := post("hr"); rec.Code != 200 {
		t.Errorf("an import once the others ended: %d %s", rec.Code, rec.Body)
	}
	if n, _ := e.s.ImportGate.InUse(); n != 0 {
		t.Fatalf("%d imports still counted as running", n)
	}
}

// TestPreviewQuota: kept dry runs count against a quota per user (429)
// and in total (503); the store refuses what would not fit.
func TestPreviewQuota(t *testing.T) {
	for _, tt := range []struct {
		perUser, total int64
		want           int
	}{{1 << 20, 4 << 20, 200}, {100, 4 << 20, 429}, {1 << 20, 100, 503}} {
		e := newTestEnv(t, func(c *Config) { c.Limits.PreviewBytesPerUser, c.Limits.PreviewBytes = tt.perUser, tt.total })
		body, ctype := rosterCSV(e, "hr")
		rec := e.do(req{method: "POST", path: "/api/v1/imports", as: "hr", body: body, ctype: ctype})
		if rec.Code != tt.want {
			t.Errorf("preview with quota %d per user, %d total: %d, want %d: %s", tt.perUser, tt.total, rec.Code, tt.want, rec.Body)
		}
	}
}

// TestOfficerPageUniform404: a manager cannot tell an officer outside
// their units from one who does not exist.
func TestOfficerPageUniform404(t *testing.T) {
	e := newTestEnv(t)
	answer := func(path string) (int, string) {
		rec := e.do(req{method: "GET", path: path, as: "mgr-a"})
		return rec.Code, strings.ReplaceAll(rec.Body.String(), rec.Header().Get("X-Request-ID"), "")
	}
	for _, prefix := range []string{"/officers/", "/api/v1/officers/"} {
		elseCode, elseBody := answer(prefix + "B1") // exists, in Bravo
		noneCode, noneBody := answer(prefix + "ZZ999")
		if elseCode != 404 || noneCode != 404 || elseBody != noneBody {
			t.Errorf("%s: outside the units %d, missing %d; bodies differ: %v", prefix, elseCode, noneCode, elseBody != noneBody)
		}
	}
}

// TestCourseURLRefused: the API and the course page share the domain's
// rule: no javascript: links.
func TestCourseURLRefused(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "PUT", path: "/api/v1/courses/extra", as: "hr", ctype: "application/json",
		body: jsonBody(map[string]any{"title": "Extra", "url": "javascript:alert(document.cookie)"})})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "http or https") {
		t.Fatalf("PUT a javascript: course URL: %d %s", rec.Code, rec.Body)
	}
	courses := training.DefaultCourses()
	courses[0].URL = "javascript:alert(1)"
	if rec := e.do(req{method: "PUT", path: "/api/v1/courses", as: "hr", ctype: "application/json", body: jsonBody(courses)}); rec.Code != http.StatusBadRequest {
		t.Fatalf("PUT courses with a javascript: URL: %d", rec.Code)
	}
	v := url.Values{"title": {"Extra"}, "url": {"javascript:alert(1)"}, "id": {"extra"}}
	e.do(req{method: "POST", path: "/courses", as: "hr", body: strings.NewReader(v.Encode()), ctype: "application/x-www-form-urlencoded"})
	for _, c := range mustCourses(t, e) {
		if strings.HasPrefix(strings.ToLower(c.URL), "javascript") {
			t.Fatalf("course %s was stored with URL %q", c.ID, c.URL)
		}
	}
}

func mustCourses(t *testing.T, e *testEnv) []training.Course {
	cs, err := e.st.Courses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestOfficerLinks: links are signed for one deployment, refused once the
// officer has left, and revocable per officer.
func TestOfficerLinks(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.LinkScope = "redis:force-b" })
	keyB := training.LinkKey(testSecret, "redis:force-b")
	open := func(tok string) int {
		return e.do(req{method: "GET", path: "/api/v1/me/" + tok}).Code
	}
	exp := testNow.Add(24 * time.Hour)
	if code := open(training.SignOfficerLinkAt(training.LinkKey(testSecret, "redis:force-a"), "A1", testNow, exp)); code != 403 {
		t.Errorf("force A's link on force B: %d", code)
	}
	if code := open(training.SignOfficerLinkAt(testSecret, "A1", testNow, exp)); code != 403 {
		t.Errorf("a link signed with the bare secret on a scoped deployment: %d", code)
	}
	before := training.SignOfficerLinkAt(keyB, "A1", testNow.Add(-time.Hour), exp)
	old := training.SignOfficerLink(keyB, "A1", exp)
	if open(before) != 200 || open(old) != 200 {
		t.Fatal("valid links refused")
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/officers/A1/links/revoke", as: "hr"}); rec.Code != 200 {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if open(before) != 403 || open(old) != 403 {
		t.Error("a link issued before the revocation still opens")
	}
	if code := open(training.SignOfficerLinkAt(keyB, "A1", testNow.Add(time.Second), exp)); code != 200 {
		t.Errorf("a link issued after the revocation: %d", code)
	}
	if code := open(training.SignOfficerLinkAt(keyB, "A2", testNow, exp)); code != 200 {
		t.Errorf("another officer's link after A1's revocation: %d", code)
	}
	// A leaver's links stop working.
	ctx := context.Background()
	rec, err := e.st.Officer(ctx, "A2")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := e.st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec.Officer.Leaver = true
	if _, err := e.st.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Officers: []training.Officer{rec.Officer},
		Import: training.ImportRecord{ID: "leave", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}); err != nil {
		t.Fatal(err)
	}
	if code := open(training.SignOfficerLinkAt(keyB, "A2", testNow, exp)); code != 403 {
		t.Errorf("a leaver's link: %d", code)
	}
	if rec := e.do(req{method: "GET", path: "/me/" + training.SignOfficerLinkAt(keyB, "A2", testNow, exp)}); rec.Code != 403 {
		t.Errorf("a leaver's link page: %d", rec.Code)
	}
}
