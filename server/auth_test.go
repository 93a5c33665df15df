package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

func TestPasswordHash(t *testing.T) {
	h, err := accounts.HashPassword("s3cret password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := accounts.HashPassword("s3cret password")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		password, hash string
		ok, err        bool
	}{
		{"s3cret password", h, true, false},
		{"s3cret passwordx", h, false, false},
		{"", h, false, false},
		{"s3cret password", "$2a$10$bcrypt", false, true},
		{"s3cret password", "$argon2id$v=19$m=x$a$b", false, true},
		{"s3cret password", strings.Replace(h, "v=19", "v=16", 1), false, true},
	}
	for _, tt := range tests {
		ok, err := accounts.CheckPassword(tt.password, tt.hash)
		if ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("CheckPassword(%q, %q) = %v, %v", tt.password, tt.hash, ok, err)
		}
	}
}

func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLoginJSON(t *testing.T) {
	for _, secure := range []bool{false, true} {
		e := newTestEnv(t, func(c *Config) { c.CookieSecure = secure })
		rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: "hr", Password: testPassword}), ctype: "application/json"})
		if rec.Code != 200 {
			t.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
		got := decode[sessionResponse](t, rec)
		if got.User.Username != "hr" || got.CSRFToken == "" || strings.Contains(rec.Body.String(), "argon2") {
			t.Fatalf("login response %s", rec.Body)
		}
		ck := cookieNamed(rec.Result(), web.SessionCookie)
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != secure || len(ck.Value) < 40 {
			t.Fatalf("session cookie %+v (secure config %v)", ck, secure)
		}
		// Only the hash of the cookie is stored.
		if _, err := e.st.Session(context.Background(), ck.Value, testNow); err == nil {
			t.Fatal("the raw session ID finds a session: it is stored in clear")
		}
		if _, err := e.st.Session(context.Background(), web.SHA256Hex(ck.Value), testNow); err != nil {
			t.Fatalf("session by hash: %v", err)
		}
		// The cookie and token work; an unsafe request needs the token.
		e.cookies["new"], e.csrf["new"] = ck.Value, got.CSRFToken
		if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "new"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"username":"hr"`) {
			t.Fatalf("session: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do(req{method: "POST", path: "/api/v1/logout", as: "new", noCSRF: true}); rec.Code != 403 {
			t.Fatalf("logout without CSRF token: %d", rec.Code)
		}
		if rec := e.do(req{method: "POST", path: "/api/v1/logout", as: "new"}); rec.Code != 204 {
			t.Fatalf("logout: %d %s", rec.Code, rec.Body)
		}
		if rec := e.do(req{method: "GET", path: "/api/v1/session", as: "new"}); rec.Code != 401 {
			t.Fatalf("session after logout: %d", rec.Code)
		}
	}
}

func TestLoginFailures(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.st.UpdateUser(ctx, "mgr-none", func(u *training.User) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, password string
		want                 int
	}{
		{"wrong password", "hr", "wrong", 401},
		{"unknown user", "ghost", testPassword, 401},
		{"disabled", "mgr-none", testPassword, 401},
		{"empty", "", "", 401},
		{"right", "admin", testPassword, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: tt.user, Password: tt.password}), ctype: "application/json"})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == 401 {
				checkErrorShape(t, rec)
				if cookieNamed(rec.Result(), web.SessionCookie) != nil {
					t.Fatal("a failed login set a session cookie")
				}
			}
		})
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/login", body: strings.NewReader(`{"username":`), ctype: "application/json"}); rec.Code != 400 {
		t.Fatalf("bad JSON: %d", rec.Code)
	}
}

func TestLoginForm(t *testing.T) {
	e := newTestEnv(t)
	form := func(user, pass, next string) req {
		v := url.Values{"username": {user}, "password": {pass}, "next": {next}}
		return req{method: "POST", path: "/login", body: strings.NewReader(v.Encode()), ctype: "application/x-www-form-urlencoded"}
	}
	tests := []struct {
		name, user, pass, next, location string
		cookie                           bool
	}{
		{"success goes to next", "hr", testPassword, "/officers?unit=Alpha", "/officers?unit=Alpha", true},
		{"no open redirect", "hr", testPassword, "https://evil.test/", "/", true},
		{"no protocol-relative redirect", "hr", testPassword, "//evil.test/", "/", true},
		{"failure back to the form", "hr", "wrong", "/officers", "/login?error=invalid&next=%2Fofficers", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(form(tt.user, tt.pass, tt.next))
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != tt.location {
				t.Fatalf("status %d location %q, want 303 %q", rec.Code, rec.Header().Get("Location"), tt.location)
			}
			if (cookieNamed(rec.Result(), web.SessionCookie) != nil) != tt.cookie {
				t.Fatalf("cookie set: %v, want %v", !tt.cookie, tt.cookie)
			}
		})
	}
	// A login form posted from another site is refused (login CSRF).
	r := form("hr", testPassword, "/")
	r.header = map[string]string{"Origin": "https://evil.test"}
	if rec := e.do(r); rec.Code != 403 {
		t.Fatalf("cross-site login: %d", rec.Code)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newTestEnv(t)
	attempt := func(user string) int {
		return e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: user, Password: "wrong"}), ctype: "application/json"}).Code
	}
	// Per username and network: the burst from one /24 (several
	// addresses), then 429 there, even with the right password.
	for i := 0; i < userNetBurst; i++ {
		e.ip = "198.51.100." + web.Itoa(i+1)
		if code := attempt("hr"); code != 401 {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	e.ip = "198.51.100.200"
	rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: "hr", Password: testPassword}), ctype: "application/json"})
	if rec.Code != 429 {
		t.Fatalf("attempt past the username burst: %d", rec.Code)
	}
	checkErrorShape(t, rec)
	// Per address: many usernames from one address.
	e.ip = "203.0.113.9"
	codes := map[int]int{}
	for i := 0; i < ipBurst+1; i++ {
		codes[attempt("user"+web.Itoa(i))]++
	}
	if codes[429] != 1 || codes[401] != ipBurst {
		t.Fatalf("per-address limit: %v", codes)
	}
	// A forged X-Forwarded-For from a non-proxy peer changes nothing.
	e.ip = "203.0.113.10"
	codes = map[int]int{}
	for i := 0; i < ipBurst+1; i++ {
		codes[e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: "x" + web.Itoa(i), Password: "wrong"}),
			ctype: "application/json", header: map[string]string{"X-Forwarded-For": "10.9.8." + web.Itoa(i)}}).Code]++
	}
	if codes[429] != 1 {
		t.Fatalf("forged X-Forwarded-For evaded the limit: %v", codes)
	}
	// Other users from other addresses are unaffected.
	e.ip = "192.0.2.77"
	if code := attempt("admin"); code != 401 {
		t.Fatalf("unrelated attempt: %d", code)
	}
}

func TestCSRF(t *testing.T) {
	e := newTestEnv(t)
	body := func() (r req) {
		return req{method: "PUT", path: "/api/v1/courses/csrf-course", as: "hr", body: jsonBody(map[string]string{"title": "CSRF"}), ctype: "application/json"}
	}
	tests := []struct {
		name   string
		mutate func(*req)
		want   int
	}{
		{"header token", func(r *req) {}, 200},
		{"no token", func(r *req) { r.noCSRF = true }, 403},
		{"wrong token", func(r *req) { r.noCSRF = true; r.header = map[string]string{"X-CSRF-Token": "nope"} }, 403},
		{"another session's token", func(r *req) { r.noCSRF = true; r.header = map[string]string{"X-CSRF-Token": e.csrf["admin"]} }, 403},
		{"cross-site origin", func(r *req) { r.header = map[string]string{"Origin": "https://evil.test"} }, 403},
		{"same origin", func(r *req) { r.header = map[string]string{"Origin": "http://muster.test"} }, 200},
		{"bearer token is exempt", func(r *req) { r.as = "token" }, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := body()
			tt.mutate(&r)
			rec := e.do(r)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
		})
	}
	// The form field works too.
	v := url.Values{"csrf_token": {e.csrf["hr"]}}
	rec := e.do(req{method: "POST", path: "/logout", as: "hr", noCSRF: true, body: strings.NewReader(v.Encode()), ctype: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("logout with form token: %d %s", rec.Code, rec.Body)
	}
}

func TestTokens(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "POST", path: "/api/v1/users/mgr-a/tokens", as: "admin", body: jsonBody(api.TokenInput{Name: "report script", ExpiresInDays: 1}), ctype: "application/json"})
	if rec.Code != 201 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	created := decode[api.TokenCreated](t, rec)
	if !strings.HasPrefix(created.Secret, tokenPrefix) || created.Token.Expires.IsZero() {
		t.Fatalf("token %+v", created)
	}
	stored, err := e.st.Tokens(context.Background(), "mgr-a")
	if err != nil || len(stored) != 1 || stored[0].Hash == created.Secret || stored[0].Hash != "" && stored[0].Hash != web.SHA256Hex(created.Secret) {
		t.Fatalf("stored tokens %+v, %v", stored, err)
	}
	e.bearer["mgr-token"] = created.Secret
	if rec := e.do(req{method: "GET", path: "/api/v1/officers", as: "mgr-token"}); rec.Code != 200 || strings.Contains(rec.Body.String(), "Bravoname") {
		t.Fatalf("manager token sees: %d %s", rec.Code, clip(rec.Body.String()))
	}
	// The token has the user's role: no staff routes.
	if rec := e.do(req{method: "GET", path: "/api/v1/imports", as: "mgr-token"}); rec.Code != 403 {
		t.Fatalf("manager token on imports: %d", rec.Code)
	}
	tests := []struct {
		name, header string
		want         int
	}{
		{"unknown", "Bearer " + tokenPrefix + "nope", 401},
		{"not bearer", "Basic " + created.Secret, 401},
		{"no prefix", "Bearer " + strings.TrimPrefix(created.Secret, tokenPrefix), 401},
		{"lower-case scheme", "bearer " + created.Secret, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(req{method: "GET", path: "/api/v1/courses", header: map[string]string{"Authorization": tt.header}})
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
	// Expired: a server whose clock is two days later refuses it.
	later := newServerAt(t, e, testNow.Add(48*time.Hour))
	if rec := later.do(req{method: "GET", path: "/api/v1/courses", as: "mgr-token"}); rec.Code != 401 {
		t.Fatalf("expired token: %d", rec.Code)
	}
	// Revoked.
	if rec := e.do(req{method: "DELETE", path: "/api/v1/users/mgr-a/tokens/" + created.Token.ID, as: "admin"}); rec.Code != 204 {
		t.Fatalf("revoke: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "mgr-token"}); rec.Code != 401 {
		t.Fatalf("revoked token: %d", rec.Code)
	}
	// A disabled user's token stops working.
	if err := e.st.UpdateUser(context.Background(), "hr", func(u *training.User) error { u.Disabled = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "token"}); rec.Code != 401 {
		t.Fatalf("disabled user's token: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "hr"}); rec.Code != 401 {
		t.Fatalf("disabled user's session: %d", rec.Code)
	}
}

// newServerAt is a second server on the same store with another clock.
func newServerAt(t *testing.T, e *testEnv, now time.Time) *testEnv {
	t.Helper()
	s, err := New(Config{Store: e.st, Secret: testSecret, Clock: func() time.Time { return now }, BaseURL: "http://muster.test"})
	if err != nil {
		t.Fatal(err)
	}
	cp := *e
	cp.s = s
	return &cp
}

func TestSessionExpiry(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name  string
		after time.Duration
		want  int
	}{
		{"fresh", 0, 200},
		{"idle too long", sessionIdle + time.Minute, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if rec := newServerAt(t, e, testNow.Add(tt.after)).do(req{method: "GET", path: "/api/v1/session", as: "mgr-a"}); rec.Code != tt.want {
				t.Fatalf("status %d, want %d", rec.Code, tt.want)
			}
		})
	}
	// Activity moves the idle deadline, up to the absolute lifetime.
	at := testNow
	for at.Before(testNow.Add(sessionLifetime - sessionIdle/2)) {
		at = at.Add(sessionIdle / 2)
		if rec := newServerAt(t, e, at).do(req{method: "GET", path: "/api/v1/session", as: "admin"}); rec.Code != 200 {
			t.Fatalf("active session at +%v: %d", at.Sub(testNow), rec.Code)
		}
	}
	if rec := newServerAt(t, e, testNow.Add(sessionLifetime+time.Minute)).do(req{method: "GET", path: "/api/v1/session", as: "admin"}); rec.Code != 401 {
		t.Fatalf("session past its lifetime: %d", rec.Code)
	}
}

// TestPageAuthRedirect: an anonymous GET of a page goes to the login form.
func TestPageAuthRedirect(t *testing.T) {
	e := newTestEnv(t)
	e.s.echo.GET("/test-page", func(c echo.Context) error { return c.String(200, "page") }, e.s.requireRole())
	rec := e.do(req{method: "GET", path: "/test-page?x=1"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Ftest-page%3Fx%3D1" {
		t.Fatalf("status %d location %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := e.do(req{method: "GET", path: "/test-page", as: "mgr-a"}); rec.Code != 200 {
		t.Fatalf("signed in: %d", rec.Code)
	}
}

// TestOneTimePasswordSession: a user who must change their password
// reaches only the session, logout and password routes, on every route
// (pages and API) and by session or token alike.
func TestOneTimePasswordSession(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if err := e.st.UpdateUser(ctx, "hr", func(u *training.User) error { u.SetPassword(u.PasswordHash, true, testNow); return nil }); err != nil {
		t.Fatal(err)
	}
	// A token older than the one-time password is refused like a session;
	// one made after it (e.g. for an integration account) works.
	old := tokenPrefix + web.RandomToken()
	if err := e.st.CreateToken(ctx, training.Token{ID: "old", Hash: web.SHA256Hex(old), Name: "old", Username: "hr", Created: testNow.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.bearer["old-token"] = old
	for _, tt := range []struct {
		as, method, path string
		want             int
	}{
		{"token", "GET", "/api/v1/compliance", 200},
		{"old-token", "GET", "/api/v1/officers", 403},
		{"hr", "GET", "/api/v1/compliance", 403},
		{"hr", "GET", "/api/v1/session", 200},
		{"old-token", "GET", "/api/v1/compliance", 403},
		{"old-token", "GET", "/api/v1/session", 200},
		{"hr", "GET", "/officers", 303},
		{"hr", "GET", "/export/officers.csv", 303},
		{"hr", "GET", "/upload", 303},
		{"hr", "POST", "/courses/cse", 403},
		{"hr", "POST", "/upload", 403},
		{"hr", "GET", "/account/password", 200},
		{"hr", "POST", "/api/v1/logout", 204},
	} {
		rec := e.do(req{method: tt.method, path: tt.path, as: tt.as})
		if rec.Code != tt.want {
			t.Errorf("%s %s as %s: %d, want %d: %s", tt.method, tt.path, tt.as, rec.Code, tt.want, rec.Body)
		}
		if rec.Code == 303 && rec.Header().Get("Location") != passwordPage {
			t.Errorf("%s %s as %s: sent to %q, want the password page", tt.method, tt.path, tt.as, rec.Header().Get("Location"))
		}
	}
}

// TestLockoutNotTurnedAgainstOwner: wrong passwords for an account from
// many other networks (the attack) use up the attackers' buckets,
// not the owner's: the right password from the owner's network, with a
// clean history, still signs in; the break-glass account, with sign-in by
// password off, likewise. Guessing from the attackers' networks stays
// limited.
func TestLockoutNotTurnedAgainstOwner(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(*Config)
	}{
		{"ordinary account", func(*Config) {}},
		{"break-glass account", func(c *Config) { c.PasswordLoginOff, c.BreakGlassUser = true, "admin" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, tc.cfg)
			login := func(ip, password string) int {
				e.ip = ip
				return e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: "admin", Password: password}), ctype: "application/json"}).Code
			}
			codes := map[int]int{}
			for n := 0; n < 20; n++ { // 20 networks, 15 guesses each
				for i := 0; i < 15; i++ {
					codes[login("203.0."+web.Itoa(n)+"."+web.Itoa(i+1), "wrong")]++
				}
			}
			if codes[429] == 0 || codes[401] >= 20*userNetBurst {
				t.Fatalf("guesses from 20 networks: %v; want most refused", codes)
			}
			if code := login("203.0.7.99", testPassword); code != 429 {
				t.Errorf("the right password from an attacking network: %d, want 429", code)
			}
			if code := login("192.0.2.1", testPassword); code != 200 {
				t.Fatalf("the owner's right password from a clean network: %d, want 200 (locked out by others' guesses)", code)
			}
			t.Logf("attack: %v", codes)
		})
	}
}

// TestBreakGlassBuckets: the break-glass account's attempts are counted
// in buckets of their own, tighter than other accounts'.
func TestBreakGlassBuckets(t *testing.T) {
	l := newLoginLimiter()
	burst := func(user string, glass bool) int {
		n := 0
		for l.allow("192.0.2."+web.Itoa(n+1), user, glass, testNow) {
			n++
		}
		return n
	}
	if got := burst("admin", false); got != userNetBurst {
		t.Errorf("an account's burst from one network: %d, want %d", got, userNetBurst)
	}
	if got := burst("glass", true); got != glassNetBurst {
		t.Errorf("the break-glass account's burst from one network: %d, want %d", got, glassNetBurst)
	}
}
