package server

// Single sign-on with OpenID Connect: the authorization code flow with
// PKCE, state and nonce (OpenID Connect Core 1.0 §3.1; RFC 7636), using
// github.com/coreos/go-oidc/v3 (discovery, ID token verification:
// oidc/oidc.go NewProvider, oidc/verify.go Verify — which checks
// signature, issuer, audience and expiry but leaves the nonce to the
// caller) and golang.org/x/oauth2 (pkce.go GenerateVerifier,
// S256ChallengeOption, VerifierOption).
//
// GET /login/oidc keeps state, nonce and the PKCE verifier in a short-lived
// signed cookie and sends the browser to the provider; the provider sends
// it back to GET /login/oidc/callback (rate-limited per client address
// like sign-in), which checks the state (§3.1.2.7, against CSRF on the
// callback), marks the flow used in the store (OnceStore: a replayed
// cookie is refused on every replica before any token request), exchanges the code with the verifier,
// verifies the ID token and its nonce (§3.1.3.7 item 11, against replay),
// finds or creates the user by (issuer, subject), and starts the same
// session a password sign-in starts.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/muster-police/muster/training"
)

const (
	oidcCookie = "muster_oidc"
	// oidcFlowTTL is how long a sign-in at the provider may take.
	oidcFlowTTL = 10 * time.Minute
)

// errSSOFailed is a sign-in through the provider that did not complete;
// the message says what the user can do, the log says why.
var errSSOFailed = training.Errorf(training.KindUnauthenticated, "single sign-on did not complete; go back to the sign-in page and try again")

// oidcClient holds the provider, discovered on first use and kept (so the
// service starts while the provider is unreachable, and retries later).
type oidcClient struct {
	cfg OIDCConfig

	mu       sync.Mutex
	provider *oidc.Provider
}

// oidcFlow is what the browser carries between the two legs, signed.
type oidcFlow struct {
	State    string    `json:"s"`
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	Next     string    `json:"next"`
	Expires  time.Time `json:"exp"`
}

func (o *oidcClient) discover() (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	// Not the request's context: the provider keeps it to fetch signing
	// keys later (go-oidc remoteKeySet); HTTPClient has a timeout.
	p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), o.cfg.HTTPClient), o.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery: %w", err)
	}
	o.provider = p
	return p, nil
}

func (o *oidcClient) oauth2(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret,
		Endpoint: p.Endpoint(), RedirectURL: o.cfg.RedirectURL,
		Scopes: append([]string{oidc.ScopeOpenID}, o.cfg.Scopes...),
	}
}

// oidcStart (GET /login/oidc) sends the browser to the provider.
func (s *Server) oidcStart(c echo.Context) error {
	p, err := s.oidc.discover()
	if err != nil {
		s.Log.Error("oidc: provider unreachable", "request_id", web.RequestIDOf(c), "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "The identity provider cannot be reached; try again later, or ask an administrator.")
	}
	f := oidcFlow{State: web.RandomToken(), Nonce: web.RandomToken(), Verifier: oauth2.GenerateVerifier(),
		Next: web.LocalPath(c.QueryParam("next")), Expires: s.Now().Add(oidcFlowTTL)}
	b, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{
		Name: oidcCookie, Value: payload + "." + s.oidcMAC(payload), Path: "/login/oidc",
		MaxAge: int(oidcFlowTTL / time.Second), HttpOnly: true, Secure: s.cfg.CookieSecure,
		// Lax: the provider's redirect back is a top-level GET from
		// another site, which Lax cookies accompany.
		SameSite: http.SameSiteLaxMode,
	})
	u := s.oidc.oauth2(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return c.Redirect(http.StatusFound, u)
}

func (s *Server) oidcMAC(payload string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("muster/oidc/v1\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// takeFlow reads and clears the flow cookie; a flow is used once.
func (s *Server) takeFlow(c echo.Context) (oidcFlow, error) {
	var f oidcFlow
	ck, err := c.Cookie(oidcCookie)
	c.SetCookie(&http.Cookie{Name: oidcCookie, Value: "", Path: "/login/oidc", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	if err != nil {
		return f, errors.New("no sign-in in progress (cookie missing)")
	}
	payload, mac, _ := strings.Cut(ck.Value, ".")
	if !hmac.Equal([]byte(mac), []byte(s.oidcMAC(payload))) {
		return f, errors.New("flow cookie signature is wrong")
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err == nil {
		err = json.Unmarshal(b, &f)
	}
	if err != nil {
		return f, fmt.Errorf("flow cookie: %w", err)
	}
	if !s.Now().Before(f.Expires) {
		return f, errors.New("sign-in took too long")
	}
	return f, nil
}

// oidcCallback (GET /login/oidc/callback) completes the sign-in.
func (s *Server) oidcCallback(c echo.Context) error {
	// Counted in the sign-in bucket of the client's address.
	if !s.limits.allowIP(c.RealIP(), s.Now()) {
		s.Log.Warn("oidc callback rate limited", "request_id", web.RequestIDOf(c))
		return errRateLimited
	}
	u, next, err := s.oidcSignIn(c)
	if errors.Is(err, errNoAccess) {
		s.AuditAs(c.Request().Context(), u.Username, web.RequestIDOf(c), training.AuditSignInFailed, training.TargetUser, u.Username, training.AuditFailed, "single sign-on: no role here yet")
		return s.oidcNoAccess(c, u)
	}
	if errors.Is(err, errUnauthenticatedLogin) {
		s.AuditAs(c.Request().Context(), "anonymous", web.RequestIDOf(c), training.AuditSignInFailed, "", "", training.AuditFailed, "single sign-on refused")
		// Said here, not by the error handler: a 401 on a page would
		// send the browser to the login page without saying why.
		return s.oidcRefused(c, http.StatusUnauthorized, "sso_failed", web.Sentence(training.MessageOf(err)))
	}
	if err != nil {
		return err
	}
	if _, err := s.startSession(c, u, s.Now()); err != nil {
		return fmt.Errorf("oidc: %w", err)
	}
	s.Log.Info("oidc sign-in", "request_id", web.RequestIDOf(c))
	s.AuditAs(c.Request().Context(), u.Username, web.RequestIDOf(c), training.AuditSignIn, training.TargetUser, u.Username, training.AuditOK, "single sign-on")
	return c.Redirect(http.StatusSeeOther, next)
}

// errNoAccess: signed in at the provider, but no role here (yet).
var errNoAccess = accounts.ErrNoAccess

// oidcSignIn checks the provider's answer and returns the user it names
// (created on first sign-in) and the local page to go to.
func (s *Server) oidcSignIn(c echo.Context) (training.User, string, error) {
	ctx := c.Request().Context()
	rid := web.RequestIDOf(c)
	fail := func(why string, err error) (training.User, string, error) {
		s.Log.Warn("oidc sign-in refused", "request_id", rid, "why", why, "err", err)
		return training.User{}, "", errSSOFailed
	}
	f, err := s.takeFlow(c)
	if err != nil {
		return fail("flow", err)
	}
	q := c.Request().URL.Query()
	if e := q.Get("error"); e != "" {
		// §3.1.2.6: the provider refused (e.g. access_denied).
		return fail("provider error", errors.New(e))
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return fail("state", errors.New("state does not match"))
	}
	// A flow is used once, on every replica, before the provider is asked
	// anything: a replayed flow cookie costs no token request.
	if err := s.Core.Store.UseOnce(ctx, "oidc-flow:"+web.SHA256Hex(f.State), f.Expires, s.Now()); errors.Is(err, training.ErrConflict) {
		return fail("replay", errors.New("this sign-in flow was used before"))
	} else if err != nil {
		return training.User{}, "", fmt.Errorf("oidc flow: %w", err)
	}
	p, err := s.oidc.discover()
	if err != nil {
		return fail("discovery", err)
	}
	hctx := oidc.ClientContext(ctx, s.oidc.cfg.HTTPClient)
	hctx = context.WithValue(hctx, oauth2.HTTPClient, s.oidc.cfg.HTTPClient)
	tok, err := s.oidc.oauth2(p).Exchange(hctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return fail("code exchange", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return fail("id token", errors.New("no id_token in the token response"))
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.oidc.cfg.ClientID, Now: s.Now}).Verify(hctx, raw)
	if err != nil {
		return fail("id token", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return fail("nonce", errors.New("nonce does not match"))
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return fail("claims", err)
	}
	rolesClaim := s.oidc.cfg.RolesClaim
	if overage(claims, rolesClaim) {
		// Entra ID leaves out a groups claim of more than 200 groups and
		// names a Graph query instead ("_claim_names"); README says how to
		// avoid it (emit only the groups assigned to the application).
		s.Log.Warn("oidc: the roles claim was left out by the provider (group overage)", "request_id", rid, "claim", rolesClaim)
	}
	needRoles := len(s.oidc.cfg.RoleMap) > 0 && claims[rolesClaim] == nil
	if (claims["preferred_username"] == nil && claims["email"] == nil || needRoles) && p.UserInfoEndpoint() != "" {
		// Entra ID puts these in the ID token; other providers may give
		// them only at the UserInfo endpoint, whose "sub" must be the ID
		// token's (Core §5.3.2).
		ui, err := p.UserInfo(hctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return fail("userinfo", err)
		}
		if ui.Subject != idt.Subject {
			return fail("userinfo", errors.New("userinfo subject differs from the ID token's"))
		}
		more := map[string]any{}
		if err := ui.Claims(&more); err != nil {
			return fail("userinfo", err)
		}
		for k, v := range more {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	u, err := s.oidcUser(ctx, web.RequestIDOf(c), training.OIDCLink{Issuer: idt.Issuer, Subject: idt.Subject}, claims)
	if err != nil {
		return u, "", err
	}
	return u, f.Next, nil
}

// oidcUser finds the user linked to link, or creates them, and applies
// the role mapping (accounts.Service.SignOnUser).
func (s *Server) oidcUser(ctx context.Context, requestID string, link training.OIDCLink, claims map[string]any) (training.User, error) {
	cfg := s.oidc.cfg
	grant, mapped := grantFor(cfg.RoleMap, stringsClaim(claims[cfg.RolesClaim]))
	in := accounts.SignOn{Link: link, MapRoles: len(cfg.RoleMap) > 0}
	in.Username, _ = claims["preferred_username"].(string)
	in.Email, _ = claims["email"].(string)
	if in.Username == "" {
		in.Username = in.Email
	}
	if mapped {
		in.Role, in.Units = grant.Role, grant.Units
	}
	return s.Accounts.SignOnUser(ctx, requestID, in)
}

// overage reports whether the provider moved claim out of the token
// (OpenID Connect Core §5.6.2, aggregated and distributed claims: the
// claim's name is listed in "_claim_names").
func overage(claims map[string]any, claim string) bool {
	names, _ := claims["_claim_names"].(map[string]any)
	_, ok := names[claim]
	return ok && claims[claim] == nil
}

// stringsClaim reads a claim that is a list of strings (or one string).
func stringsClaim(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// oidcNoAccess answers a user who signed in but has no role: no session,
// no data, and what to do.
func (s *Server) oidcNoAccess(c echo.Context, u training.User) error {
	return s.oidcRefused(c, http.StatusForbidden, "no_access", fmt.Sprintf("You are signed in at your organisation as %s, but you have no access to Muster yet. An administrator must give you access (a role) on the Accounts page; then sign in again.", u.Username))
}

func (s *Server) oidcRefused(c echo.Context, status int, code, msg string) error {
	if s.pageError != nil {
		return s.pageError(c, status, code, msg)
	}
	return c.String(status, msg)
}

// passwordLoginAllowed reports whether username may sign in with a password.
func (s *Server) passwordLoginAllowed(username string) bool {
	return !s.cfg.PasswordLoginOff || (s.cfg.BreakGlassUser != "" && username == s.cfg.BreakGlassUser)
}

// oidcLoginURL is the login page's "Sign in with …" link ("" when off).
func (s *Server) oidcLoginURL(next string) string {
	if s.oidc == nil {
		return ""
	}
	return "/login/oidc?next=" + url.QueryEscape(web.LocalPath(next))
}
