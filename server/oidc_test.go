package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	opstorage "github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// The tests sign in through a real OpenID provider: the example OP of
// github.com/zitadel/oidc/v3 (example/server/exampleop, an OpenID-certified
// library's own reference server), run in-process on 127.0.0.1:0 with its
// in-memory storage, its login form, and users from
// testdata/oidc_users.json (password "op-password").

const (
	opClientID     = "muster-test"
	opClientSecret = "muster-test-secret"
	opPassword     = "op-password"
)

// opGroups are the "groups" claim of each test user at the provider.
var opGroups = map[string][]string{
	"sub-ada": {"g-admin", "g-other"},
	"sub-mo":  {"g-mgr-alpha", "g-mgr-bravo8"},
	"sub-new": {"g-unmapped"},
	"sub-hr":  {"g-hr"},
}

// groupsStorage is the example OP's storage, adding a "groups" claim to
// ID tokens as Entra ID does (its SetUserinfoFromRequest is what the OP
// calls to build an ID token: pkg/op/token.go CreateIDToken).
type groupsStorage struct {
	*opstorage.Storage
}

func (g groupsStorage) SetUserinfoFromRequest(ctx context.Context, ui *zoidc.UserInfo, r op.IDTokenRequest, scopes []string) error {
	if err := g.Storage.SetUserinfoFromRequest(ctx, ui, r, scopes); err != nil {
		return err
	}
	ui.AppendClaims("groups", opGroups[r.GetSubject()])
	return nil
}

// ssoEnv is a Muster server with single sign-on against a running OP.
type ssoEnv struct {
	*testEnv
	issuer, base string
	// tokenRequests counts requests to the OP's token endpoint.
	tokenRequests *atomic.Int64
}

// newSSOEnv starts the OP and a Muster server (on a real listener: the
// OP sends the ssoBrowser to its callback) configured to use it.
func newSSOEnv(t *testing.T, mutate ...func(*Config)) *ssoEnv {
	t.Helper()
	opLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + opLn.Addr().String()
	web := httptest.NewUnstartedServer(nil)
	base := "http://" + web.Listener.Addr().String()

	users, err := opstorage.StoreFromFile("testdata/oidc_users.json")
	if err != nil {
		t.Fatal(err)
	}
	clients := map[string]*opstorage.Client{
		opClientID: opstorage.WebClient(opClientID, opClientSecret, base+OIDCCallbackPath),
	}
	opHandler := exampleop.SetupServer(issuer, groupsStorage{opstorage.NewStorageWithClients(users, clients)}, nil, false)
	tokenRequests := &atomic.Int64{}
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			tokenRequests.Add(1)
		}
		opHandler.ServeHTTP(w, r)
	})
	opSrv := &http.Server{Handler: counted, ReadHeaderTimeout: 5 * time.Second}
	go opSrv.Serve(opLn)
	t.Cleanup(func() { opSrv.Close() })

	cfgs := append([]func(*Config){func(c *Config) {
		// The OP stamps tokens with the real time.
		c.Clock = time.Now
		c.BaseURL = base
		c.OIDC = &OIDCConfig{Issuer: issuer, ClientID: opClientID, ClientSecret: opClientSecret, Name: "Test OP",
			RoleMap: map[string]RoleGrant{
				"g-admin":      {Role: training.RoleAdmin},
				"g-hr":         {Role: training.RoleHR},
				"g-mgr-alpha":  {Role: training.RoleManager, Units: []string{"Alpha"}},
				"g-mgr-bravo8": {Role: training.RoleManager, Units: []string{"Bravo / Team 8"}},
			}}
	}}, mutate...)
	env := newTestEnv(t, cfgs...)
	web.Config.Handler = env.s.Handler()
	web.Start()
	t.Cleanup(web.Close)
	return &ssoEnv{testEnv: env, issuer: issuer, base: base, tokenRequests: tokenRequests}
}

// ssoBrowser is a cookie-keeping client; stopAt, when set, stops before
// following a redirect whose URL has that prefix and returns it.
type ssoBrowser struct {
	*http.Client
	t *testing.T
}

func newSSOBrowser(t *testing.T) *ssoBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &ssoBrowser{Client: &http.Client{Jar: jar, Timeout: 20 * time.Second}, t: t}
}

func (b *ssoBrowser) get(u string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

var opAuthRequestID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// signInAtOP starts single sign-on at Muster, fills in the OP's login
// form as username, and stops at the redirect back to Muster's callback,
// returning its URL.
func (e *ssoEnv) signInAtOP(b *ssoBrowser, username, next string) *url.URL {
	t := e.t
	t.Helper()
	resp, body := b.get(e.base + "/login/oidc?next=" + url.QueryEscape(next))
	if !strings.HasPrefix(resp.Request.URL.String(), e.issuer+"/login/username") {
		t.Fatalf("start: ended at %s (%d), want the OP's login form:\n%s", resp.Request.URL, resp.StatusCode, body)
	}
	m := opAuthRequestID.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no auth request id in the OP's form:\n%s", body)
	}
	var callback *url.URL
	b.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), e.base+OIDCCallbackPath) {
			callback = r.URL
			return http.ErrUseLastResponse
		}
		return nil
	}
	defer func() { b.CheckRedirect = nil }()
	resp, err := b.PostForm(e.issuer+"/login/username", url.Values{"id": {m[1]}, "username": {username}, "password": {opPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if callback == nil {
		t.Fatalf("OP login as %s: %d at %s, no redirect to Muster", username, resp.StatusCode, resp.Request.URL)
	}
	return callback
}

// session asks Muster who b is signed in as ("" when nobody).
func (e *ssoEnv) session(b *ssoBrowser) training.User {
	resp, body := b.get(e.base + "/api/v1/session")
	if resp.StatusCode == http.StatusUnauthorized {
		return training.User{}
	}
	var s sessionResponse
	if err := json.Unmarshal([]byte(body), &s); err != nil || resp.StatusCode != 200 {
		e.t.Fatalf("session: %d %s", resp.StatusCode, body)
	}
	return s.User
}

func TestOIDCCodeFlow(t *testing.T) {
	e := newSSOEnv(t)
	b := newSSOBrowser(t)

	// The login page offers the provider.
	_, page := b.get(e.base + "/login")
	if !strings.Contains(page, "Sign in with Test OP") || !strings.Contains(page, `href="/login/oidc?next=%2F"`) {
		t.Fatalf("login page has no single sign-on button:\n%s", page)
	}

	cb := e.signInAtOP(b, "ada.admin", "/officers?unit=Alpha")
	q := cb.Query()
	if q.Get("code") == "" || q.Get("state") == "" {
		t.Fatalf("callback %s has no code or state", cb)
	}
	resp, body := b.get(cb.String())
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/officers" || resp.Request.URL.Query().Get("unit") != "Alpha" {
		t.Fatalf("after the callback: %d at %s, want the next page:\n%s", resp.StatusCode, resp.Request.URL, body)
	}
	got := e.session(b)
	if got.Username != "ada.admin" || got.Role != training.RoleAdmin {
		t.Fatalf("signed in as %+v, want ada.admin (admin, from group g-admin)", got)
	}
	stored, err := e.st.User(t.Context(), "ada.admin")
	if err != nil {
		t.Fatal(err)
	}
	if want := (training.OIDCLink{Issuer: e.issuer, Subject: "sub-ada"}); stored.OIDC != want || stored.Email != "ada@force.example" || stored.PasswordHash != "" {
		t.Fatalf("created user %+v, want linked to %+v with the email and no password", stored, want)
	}
	if page, err := e.st.Audit(t.Context(), training.AuditQuery{Action: training.AuditSignIn, Actor: "ada.admin"}); err != nil || len(page.Events) != 1 || page.Events[0].Detail != "single sign-on" {
		t.Errorf("the single sign-on is not in the audit trail: %+v %v", page.Events, err)
	}
	// Making the account is an account change like any other.
	if page, err := e.st.Audit(t.Context(), training.AuditQuery{Action: training.AuditAccountChanged, Actor: "ada.admin"}); err != nil || len(page.Events) != 1 ||
		page.Events[0].TargetID != "ada.admin" || page.Events[0].Detail != "created by single sign-on role=admin" {
		t.Errorf("the account single sign-on made is not in the audit trail: %+v %v", page.Events, err)
	}

	// The session is an ordinary one: a CSRF-protected unsafe request
	// without the token is refused, with it accepted.
	resp, err = b.Post(e.base+"/api/v1/logout", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without CSRF token: %d, want 403", resp.StatusCode)
	}

	// A second sign-in finds the same account by its subject.
	b2 := newSSOBrowser(t)
	b2.get(e.signInAtOP(b2, "ada.admin", "/").String())
	if got := e.session(b2); got.Username != "ada.admin" {
		t.Fatalf("second sign-in: %+v", got)
	}
	users, err := e.st.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(users); n != len(testUsers)+1 {
		t.Fatalf("%d users after two sign-ins of one person, want %d", n, len(testUsers)+1)
	}
}

func TestOIDCRoleMapping(t *testing.T) {
	e := newSSOEnv(t)
	b := newSSOBrowser(t)
	b.get(e.signInAtOP(b, "Mo.Manager", "/").String())
	got := e.session(b)
	want := []string{"Alpha", "Bravo / Team 8"}
	if got.Username != "mo.manager" || got.Role != training.RoleManager || !reflect.DeepEqual(got.Units, want) {
		t.Fatalf("signed in as %+v, want mo.manager (lower-cased), manager of %v", got, want)
	}
	// Managers see their scope only.
	resp, body := b.get(e.base + "/api/v1/officers")
	if resp.StatusCode != 200 || strings.Contains(body, "Bella Bravoname") || !strings.Contains(body, "Bruno Bravoname") {
		t.Fatalf("officers for the mapped manager: %d\n%s", resp.StatusCode, body)
	}

	// The mapping is authoritative: a group taken away at the provider
	// takes the role away at the next sign-in.
	opGroups["sub-mo"] = []string{"g-unmapped"}
	t.Cleanup(func() { opGroups["sub-mo"] = []string{"g-mgr-alpha", "g-mgr-bravo8"} })
	b2 := newSSOBrowser(t)
	resp, body = b2.get(e.signInAtOP(b2, "Mo.Manager", "/").String())
	if resp.StatusCode != http.StatusForbidden || e.session(b2).Username != "" {
		t.Fatalf("after losing the group: %d, session %+v\n%s", resp.StatusCode, e.session(b2), body)
	}
	// The role taken away is in the audit trail, after the account's
	// creation; a sign-in that changes nothing adds nothing.
	b3 := newSSOBrowser(t)
	b3.get(e.signInAtOP(b3, "Mo.Manager", "/").String())
	page, err := e.st.Audit(t.Context(), training.AuditQuery{Action: training.AuditAccountChanged, Actor: "mo.manager"})
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, ev := range page.Events {
		details = append(details, ev.Detail)
	}
	if want := []string{"role changed by single sign-on role=", "created by single sign-on role=manager"}; !reflect.DeepEqual(details, want) {
		t.Errorf("account changes by single sign-on in the audit trail (newest first) = %q, want %q", details, want)
	}
}

func TestOIDCFirstSignInWithoutRole(t *testing.T) {
	// No mapping: roles are given by an administrator after the first sign-in.
	e := newSSOEnv(t, func(c *Config) { c.OIDC.RoleMap = nil })
	b := newSSOBrowser(t)
	resp, body := b.get(e.signInAtOP(b, "new.person", "/").String())
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "administrator must give you access") {
		t.Fatalf("first sign-in without a role: %d\n%s", resp.StatusCode, body)
	}
	if got := e.session(b); got.Username != "" {
		t.Fatalf("a user without a role got a session: %+v", got)
	}
	resp, _ = b.get(e.base + "/api/v1/officers")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("officers without a role: %d, want 401", resp.StatusCode)
	}
	u, err := e.st.User(t.Context(), "new.person")
	if err != nil || u.Role != "" || u.OIDC.Subject != "sub-new" {
		t.Fatalf("created user %+v (%v), want no role, linked", u, err)
	}
	// An administrator gives a role; the next sign-in works.
	if err := e.st.UpdateUser(t.Context(), "new.person", func(u *training.User) error {
		u.Role = training.RoleHR
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b2 := newSSOBrowser(t)
	b2.get(e.signInAtOP(b2, "new.person", "/").String())
	if got := e.session(b2); got.Username != "new.person" || got.Role != training.RoleHR {
		t.Fatalf("after an admin gave the role: %+v", got)
	}
}

func TestOIDCExistingAccountNotTakenOver(t *testing.T) {
	e := newSSOEnv(t)
	b := newSSOBrowser(t)
	// "hr" exists here with a password; the provider's "hr" is someone else.
	resp, body := b.get(e.signInAtOP(b, "hr", "/").String())
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "not linked") || e.session(b).Username != "" {
		t.Fatalf("sign-in as an existing unlinked username: %d\n%s", resp.StatusCode, body)
	}
	u, err := e.st.User(t.Context(), "hr")
	if err != nil || !u.OIDC.IsZero() {
		t.Fatalf("existing hr account changed: %+v %v", u, err)
	}
}

// tamperFlow rewrites the flow cookie in b's jar, re-signed with the
// server's key: only the field changed differs from the real flow.
func (e *ssoEnv) tamperFlow(b *ssoBrowser, change func(*oidcFlow)) {
	t := e.t
	u, _ := url.Parse(e.base + "/login/oidc/callback")
	for _, ck := range b.Jar.Cookies(u) {
		if ck.Name != oidcCookie {
			continue
		}
		payload, _, _ := strings.Cut(ck.Value, ".")
		raw, err := base64.RawURLEncoding.DecodeString(payload)
		if err != nil {
			t.Fatal(err)
		}
		var f oidcFlow
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		change(&f)
		raw, _ = json.Marshal(f)
		payload = base64.RawURLEncoding.EncodeToString(raw)
		b.Jar.SetCookies(u, []*http.Cookie{{Name: oidcCookie, Value: payload + "." + e.s.oidcMAC(payload), Path: "/login/oidc"}})
		return
	}
	t.Fatal("no flow cookie")
}

func TestOIDCRefusesTamperedFlows(t *testing.T) {
	e := newSSOEnv(t)
	cases := []struct {
		name string
		cb   func(*url.URL) string
		flow func(*oidcFlow)
	}{
		{"wrong state", func(u *url.URL) string {
			q := u.Query()
			q.Set("state", "forged-state")
			u.RawQuery = q.Encode()
			return u.String()
		}, nil},
		// The ID token carries the nonce of the real flow, not this one.
		{"wrong nonce", nil, func(f *oidcFlow) { f.Nonce = "another-nonce" }},
		// The OP checks the PKCE verifier against the challenge it was sent.
		{"wrong PKCE verifier", nil, func(f *oidcFlow) { f.Verifier = otherFirst(f.Verifier) }},
		{"expired flow", nil, func(f *oidcFlow) { f.Expires = time.Now().Add(-time.Second) }},
		{"provider error", func(u *url.URL) string {
			return e.base + OIDCCallbackPath + "?error=access_denied&state=" + u.Query().Get("state")
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := newSSOBrowser(t)
			cb := e.signInAtOP(b, "ada.admin", "/")
			if tc.flow != nil {
				e.tamperFlow(b, tc.flow)
			}
			target := cb.String()
			if tc.cb != nil {
				target = tc.cb(cb)
			}
			resp, body := b.get(target)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "sign-on did not complete") {
				t.Fatalf("%s: %d, want 401\n%s", tc.name, resp.StatusCode, body)
			}
			if got := e.session(b); got.Username != "" {
				t.Fatalf("%s: signed in as %+v", tc.name, got)
			}
		})
	}
	// A callback replayed by another ssoBrowser (no flow cookie) is refused too.
	b := newSSOBrowser(t)
	cb := e.signInAtOP(b, "ada.admin", "/")
	other := newSSOBrowser(t)
	if resp, _ := other.get(cb.String()); resp.StatusCode != http.StatusUnauthorized || e.session(other).Username != "" {
		t.Fatalf("callback without the flow cookie: %d", resp.StatusCode)
	}
}

// TestOIDCFlowUsedOnce: the attack. One flow cookie, thirty
// forged callbacks carrying it: the first completes the sign-in, the
// replays are refused (401, then 429 once the address's sign-in bucket is
// empty), and the provider's token endpoint sees one request, not thirty.
// The flow is marked used in the store, so a second replica refuses it
// too.
func TestOIDCFlowUsedOnce(t *testing.T) {
	e := newSSOEnv(t)
	b := newSSOBrowser(t)
	cb := e.signInAtOP(b, "ada.admin", "/")
	base, _ := url.Parse(e.base + "/login/oidc")
	var flow string
	for _, c := range b.Jar.Cookies(base) {
		if c.Name == oidcCookie {
			flow = c.Value
		}
	}
	if flow == "" {
		t.Fatal("no flow cookie after the start of the sign-in")
	}
	if resp, _ := b.get(cb.String()); resp.StatusCode != 200 || e.session(b).Username != "ada.admin" {
		t.Fatalf("the sign-in itself: %d", resp.StatusCode)
	}
	if n := e.tokenRequests.Load(); n != 1 {
		t.Fatalf("%d token requests for one sign-in", n)
	}
	codes := map[int]int{}
	for i := 0; i < 30; i++ {
		r, err := http.NewRequest("GET", cb.String(), nil)
		if err != nil {
			t.Fatal(err)
		}
		r.AddCookie(&http.Cookie{Name: oidcCookie, Value: flow})
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
	}
	if n := e.tokenRequests.Load(); n != 1 {
		t.Errorf("%d token requests after 30 replays of the flow cookie, want 1", n)
	}
	if codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != 30 || codes[http.StatusTooManyRequests] == 0 {
		t.Errorf("replays answered %v, want 401s then 429s", codes)
	}
	t.Logf("30 replays: %v; token requests at the provider: %d", codes, e.tokenRequests.Load())
}

func TestPasswordLoginOffExceptBreakGlass(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.PasswordLoginOff, c.BreakGlassUser = true, "admin" })
	login := func(user, password string) (int, string) {
		rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: user, Password: password}), ctype: "application/json"})
		return rec.Code, rec.Body.String()
	}
	if code, body := login("admin", testPassword); code != 200 {
		t.Fatalf("break-glass admin: %d %s", code, body)
	}
	if code, body := login("hr", testPassword); code != 401 || !strings.Contains(body, "sign-in is switched off") {
		t.Fatalf("hr with the right password: %d %s, want 401 switched off", code, body)
	}
	// A wrong password says only that, as before.
	if code, body := login("hr", "wrong password!"); code != 401 || strings.Contains(body, "switched off") {
		t.Fatalf("hr with a wrong password: %d %s", code, body)
	}
	// The form says which way to sign in.
	rec := e.do(req{method: "POST", path: "/login", body: strings.NewReader("username=hr&password=" + url.QueryEscape(testPassword)), ctype: "application/x-www-form-urlencoded"})
	if rec.Code != http.StatusSeeOther || strings.Contains(rec.Header().Get("Set-Cookie"), web.SessionCookie+"=") && !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("form as hr: %d %v", rec.Code, rec.Header())
	}
}

func TestParseRoleMap(t *testing.T) {
	got, err := ParseRoleMap("id-1=admin, id-2=hr ,id-3=manager:Frontline Policing/Central West,id-3=manager:Alpha,id-4=trainer")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]RoleGrant{
		"id-1": {Role: training.RoleAdmin},
		"id-2": {Role: training.RoleHR},
		"id-3": {Role: training.RoleManager, Units: []string{training.ParseUnit("Frontline Policing/Central West"), "Alpha"}},
		"id-4": {Role: training.RoleTrainer},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"id-1", "=admin", "id-1=root", "id-1=admin:Alpha", "id-1=manager:", "id-1=hr,id-1=admin", "id-1=trainer:Alpha"} {
		if _, err := ParseRoleMap(bad); err == nil {
			t.Errorf("ParseRoleMap(%q) accepted", bad)
		}
	}
	if g, ok := grantFor(want, []string{"id-3", "id-2"}); !ok || g.Role != training.RoleHR || g.Units != nil {
		t.Errorf("grantFor hr+manager = %+v, want hr without units", g)
	}
	// A trainer sees no figures: in a manager group too, the manager's role wins.
	if g, ok := grantFor(want, []string{"id-4", "id-3"}); !ok || g.Role != training.RoleManager {
		t.Errorf("grantFor trainer+manager = %+v, want manager", g)
	}
	if g, ok := grantFor(want, []string{"id-4"}); !ok || g.Role != training.RoleTrainer {
		t.Errorf("grantFor trainer = %+v", g)
	}
	if _, ok := grantFor(want, []string{"nope"}); ok {
		t.Error("grantFor of an unmapped group granted something")
	}
}

func TestOIDCAccountsPageForUserWithoutRole(t *testing.T) {
	e := newSSOEnv(t, func(c *Config) { c.OIDC.RoleMap = nil })
	b := newSSOBrowser(t)
	b.get(e.signInAtOP(b, "new.person", "/").String())
	// The seeded sessions began at testNow; this server's clock is real.
	id := web.RandomToken()
	if err := e.st.CreateSession(t.Context(), training.Session{IDHash: web.SHA256Hex(id), Username: "admin", CSRFToken: "x",
		Created: time.Now(), Expires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.cookies["admin"] = id
	rec := e.do(req{method: "GET", path: "/accounts", as: "admin"})
	body := rec.Body.String()
	// An admin editing the account must choose a role: none is preselected.
	i := strings.Index(body, `id="u-new.person"`)
	if rec.Code != 200 || i < 0 || !strings.Contains(body[i:], `<option value="" selected>Choose a role</option>`) || !strings.Contains(body, "no access yet") {
		t.Fatalf("accounts page: %d\n%s", rec.Code, body)
	}
}

func TestOIDCGroupOverage(t *testing.T) {
	// The shape Entra ID sends when a user is in more than 200 groups.
	var claims map[string]any
	if err := json.Unmarshal([]byte(`{"sub":"x","_claim_names":{"groups":"src1"},"_claim_sources":{"src1":{"endpoint":"https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}}`), &claims); err != nil {
		t.Fatal(err)
	}
	if !overage(claims, "groups") || overage(claims, "roles") {
		t.Fatal("overage not recognised")
	}
	if g, ok := grantFor(map[string]RoleGrant{"g": {Role: training.RoleAdmin}}, stringsClaim(claims["groups"])); ok {
		t.Fatalf("a user whose groups were left out got %+v", g)
	}
}

func TestOIDCProviderDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	e := newTestEnv(t, func(c *Config) {
		c.OIDC = &OIDCConfig{Issuer: issuer, ClientID: "x"}
	})
	rec := e.do(req{method: "GET", path: "/login/oidc"})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "identity provider cannot be reached") {
		t.Fatalf("provider down: %d %s", rec.Code, rec.Body)
	}
	// Password sign-in still works (it is on by default).
	if rec := e.do(req{method: "POST", path: "/api/v1/login", body: jsonBody(loginRequest{Username: "admin", Password: testPassword}), ctype: "application/json"}); rec.Code != 200 {
		t.Fatalf("password login with the provider down: %d", rec.Code)
	}
}

func TestOIDCConfigChecked(t *testing.T) {
	for name, c := range map[string]OIDCConfig{
		"no issuer":        {ClientID: "x"},
		"issuer not a URL": {Issuer: "login.example", ClientID: "x"},
		"no client id":     {Issuer: "https://login.example"},
		"bad redirect":     {Issuer: "https://login.example", ClientID: "x", RedirectURL: "https://muster.example/elsewhere"},
	} {
		c := c
		if _, err := New(Config{Store: newTestEnv(t).st, Secret: testSecret, BaseURL: "https://muster.example", OIDC: &c}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c := OIDCConfig{Issuer: "https://login.example/t/v2.0", ClientID: "x"}
	if err := c.check("https://muster.example/"); err != nil || c.RedirectURL != "https://muster.example/login/oidc/callback" || c.RolesClaim != "groups" || c.Name != "your organisation" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}

// otherFirst changes the first character of s (a verifier that happened
// to start with the replacement would otherwise stay the same: about one
// run in 64 passed the wrong-verifier case with the right verifier).
func otherFirst(s string) string {
	if strings.HasPrefix(s, "x") {
		return "y" + s[1:]
	}
	return "x" + s[1:]
}
