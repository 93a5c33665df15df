package server

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// Session lifetimes: a session ends 12 hours after login at the latest,
// and after an hour without requests.
const (
	sessionLifetime = 12 * time.Hour
	sessionIdle     = time.Hour
	// sessionRefresh is how stale the idle deadline may get before a
	// request moves it (so not every request writes to the store).
	sessionRefresh = 5 * time.Minute
	tokenPrefix    = training.TokenPrefix
)

// errSessionMissing is an unknown or expired session cookie.
var errSessionMissing = fmt.Errorf("%w: no such session", web.ErrUnauthenticated)

// authenticate finds the caller: a Bearer token (which must be valid) or
// a session cookie (ignored when unknown or expired). It rejects nothing
// else; requireRole does.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == "/api/v1/cli" || c.Path() == "/metrics" {
			return next(c) // LocalToken or MetricsToken only, checked by the handler
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			p, err := s.tokenPrincipal(ctx, h, strings.HasPrefix(c.Request().URL.Path, "/xapi/"))
			if err != nil {
				return err
			}
			c.Set(web.CtxPrincipal, p)
			return next(c)
		}
		if ck, err := c.Cookie(web.SessionCookie); err == nil && ck.Value != "" {
			p, err := s.sessionPrincipal(ctx, ck.Value)
			if errors.Is(err, errSessionMissing) {
				// Refreshes are atomic (TouchSession): a missing session
				// really ended, so the browser may forget its cookie.
				s.clearSessionCookie(c)
			}
			switch {
			case err == nil:
				c.Set(web.CtxPrincipal, p)
			case errors.Is(err, web.ErrUnauthenticated):
			default:
				return err
			}
		}
		return next(c)
	}
}

// tokenPrincipal finds the user of an API token sent as Bearer, or (with
// basic, on the xAPI routes, as LRS clients are configured: a key and a
// secret) as the password of HTTP Basic whose username is the token's
// user or empty.
func (s *Server) tokenPrincipal(ctx context.Context, header string, basic bool) (*web.Principal, error) {
	scheme, secret, _ := strings.Cut(header, " ")
	wantUser := ""
	if basic && strings.EqualFold(scheme, "Basic") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(secret))
		if err != nil {
			return nil, web.ErrUnauthenticated
		}
		wantUser, secret, _ = strings.Cut(string(raw), ":")
		scheme = "Bearer"
	}
	if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(secret, tokenPrefix) {
		return nil, web.ErrUnauthenticated
	}
	key := newCredKey('t', strings.TrimSpace(secret))
	if e, ok := s.auth.getBytes(key[:]); ok && s.tokenValid(e.token, e.user, wantUser) {
		// One allocation for the principal and its token, not the whole
		// cache entry (which has a session too).
		b := &tokenPrincipalBox{p: web.Principal{User: e.user}, t: e.token}
		b.p.Token = &b.t
		return &b.p, nil
	}
	hash := key.hash()
	gen := s.auth.begin()
	t, err := s.Core.Store.TokenByHash(ctx, hash)
	if errors.Is(err, training.ErrNotFound) {
		return nil, web.ErrUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("token lookup: %w", err)
	}
	u, err := s.activeUser(ctx, t.Username)
	if err != nil {
		return nil, err
	}
	if !s.tokenValid(t, u, wantUser) {
		return nil, web.ErrUnauthenticated
	}
	s.auth.put(tokenKey(hash), gen, authEntry{user: u, token: t})
	return &web.Principal{User: u, Token: &t}, nil
}

// tokenPrincipalBox holds a token call's principal and the token it
// points to in one allocation.
type tokenPrincipalBox struct {
	p web.Principal
	t training.Token
}

// tokenValid checks a token found by its hash, and its active user,
// as of now.
func (s *Server) tokenValid(t training.Token, u training.User, wantUser string) bool {
	if !t.Expires.IsZero() && !s.Now().Before(t.Expires) {
		return false
	}
	return (wantUser == "" || wantUser == t.Username) && u.Username == t.Username && !u.Disabled
}

func (s *Server) sessionPrincipal(ctx context.Context, cookie string) (*web.Principal, error) {
	now := s.Now()
	// The key on the stack; the hash as a string only when the store is
	// read or the cache written.
	key := newCredKey('s', cookie)
	e, cached, gen := s.auth.lookup(key[:])
	if !cached || !s.sessionValid(e.session, e.user, now) {
		// Read it (again: a cached session that no longer passes, say
		// one whose idle deadline another replica moved, is not refused
		// from the cache).
		sess, err := s.Core.Store.Session(ctx, key.hash(), now)
		if errors.Is(err, training.ErrNotFound) {
			return nil, errSessionMissing
		}
		if err != nil {
			return nil, fmt.Errorf("session lookup: %w", err)
		}
		u, err := s.activeUser(ctx, sess.Username)
		if err != nil {
			return nil, err
		}
		if !s.sessionValid(sess, u, now) {
			return nil, web.ErrUnauthenticated
		}
		e = authEntry{user: u, session: sess}
		cached = false
	}
	// One allocation for the principal and its session.
	b := &sessionPrincipalBox{p: web.Principal{User: e.user}, s: e.session}
	b.p.Session = &b.s
	switch s.touchSession(ctx, &b.s, now) {
	case sessionGone:
		// Signed out (on another replica) while this request ran: it
		// goes on, as it would have without the cache; the next one reads
		// the store and is refused.
		s.auth.dropSession(key.hash())
	case sessionMoved:
		e.session = b.s
		s.auth.put(string(key[:]), gen, e)
	default:
		if !cached {
			s.auth.put(string(key[:]), gen, e)
		}
	}
	return &b.p, nil
}

// sessionPrincipalBox holds a session's principal and the session it
// points to in one allocation.
type sessionPrincipalBox struct {
	p web.Principal
	s training.Session
}

// sessionValid checks a session found by its hash, and its active user,
// as of now.
func (s *Server) sessionValid(sess training.Session, u training.User, now time.Time) bool {
	// Not past its deadline; the password not changed or reset since it
	// began, nor the one-time password it began with expired.
	return now.Before(sess.Expires) && u.Username == sess.Username && !u.Disabled &&
		!sess.Created.Before(u.PasswordChanged) && !s.oneTimeExpired(u)
}

// touchSession moves the idle deadline forward, at most every few
// minutes and never past the session's absolute lifetime, in one store
// operation that never re-creates a session a logout removed meanwhile.
// A failure only means the session ends sooner, so it is logged, not
// returned.
// It says whether sess moved, or was found gone.
func (s *Server) touchSession(ctx context.Context, sess *training.Session, now time.Time) sessionTouch {
	limit := sess.Created.Add(sessionLifetime)
	want := now.Add(sessionIdle)
	if want.After(limit) {
		want = limit
	}
	if want.Sub(sess.Expires) < sessionRefresh {
		return sessionKept
	}
	updated, err := s.Core.Store.TouchSession(ctx, sess.IDHash, want, now)
	if errors.Is(err, training.ErrNotFound) {
		return sessionGone
	}
	if err != nil {
		s.Log.Warn("session refresh", "err", err)
		return sessionKept
	}
	*sess = updated
	return sessionMoved
}

// sessionTouch is what touchSession did.
type sessionTouch int

const (
	sessionKept  sessionTouch = iota // not due, or the refresh failed
	sessionMoved                     // the idle deadline moved
	sessionGone                      // the session was deleted or had expired
)

// activeUser returns the user, or web.ErrUnauthenticated when they were
// deleted or disabled since the session or token was issued.
func (s *Server) activeUser(ctx context.Context, username string) (training.User, error) {
	u, err := s.Core.Store.User(ctx, username)
	if errors.Is(err, training.ErrNotFound) {
		return training.User{}, web.ErrUnauthenticated
	}
	if err != nil {
		return training.User{}, fmt.Errorf("user lookup: %w", err)
	}
	if u.Disabled {
		return training.User{}, web.ErrUnauthenticated
	}
	return u, nil
}

// oneTimeExpired reports whether u's password is a one-time one given out
// longer than Config.OneTimePasswordTTL ago: it no longer signs in, and
// sessions begun with it end.
func (s *Server) oneTimeExpired(u training.User) bool {
	return u.OneTimeExpired(s.Now(), s.cfg.OneTimePasswordTTL)
}

// requireRole admits signed-in users with one of roles (any role when none
// are given): anonymous callers get 401 (pages: a redirect to the login
// page), others 403.
func (s *Server) requireRole(roles ...training.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := web.PrincipalOf(c)
			if p == nil {
				return web.ErrUnauthenticated
			}
			if len(roles) > 0 && !slices.Contains(roles, p.User.Role) {
				return training.Forbiddenf("your role (%s) may not do this", p.User.Role)
			}
			// A user whose password is a one-time one may do nothing but
			// change it, on every route, pages and API: after an admin's
			// reset, a stolen old credential is useless too. That holds
			// for API tokens made before the one-time password was given
			// out; a token an admin makes afterwards (for an integration
			// account whose password is never used) is a deliberate grant.
			oldCredential := p.Token == nil || p.Token.Created.Before(p.User.OneTimeGiven())
			if p.User.MustChangePassword && oldCredential && !passwordChangeExempt[c.Request().Method+" "+c.Path()] {
				if !web.IsAPI(c.Path()) && c.Request().Method == http.MethodGet {
					return c.Redirect(http.StatusSeeOther, passwordPage)
				}
				return errMustChangePassword
			}
			return next(c)
		}
	}
}

// errMustChangePassword refuses everything but the password change to a
// user whose password is a one-time one.
var errMustChangePassword = training.Forbiddenf("change your one-time password first (Change password page)")

// passwordPage is where a user with a one-time password is sent.
const passwordPage = "/account/password"

// passwordChangeExempt are the routes open to such a user: changing the
// password, signing out, and asking who is signed in.
var passwordChangeExempt = map[string]bool{
	"GET /api/v1/session": true, "POST /api/v1/logout": true, "POST /logout": true,
	"GET " + passwordPage: true, "POST " + passwordPage: true,
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// checkCSRF protects cookie-authenticated unsafe requests: they must carry
// the session's CSRF token (form field csrf_token or header X-CSRF-Token)
// and, when the browser sends an Origin, come from this site. Bearer-token
// calls carry no ambient credentials and are exempt.
func (s *Server) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !unsafeMethod(r.Method) || c.Path() == "/api/v1/cli" {
			return next(c)
		}
		p := web.PrincipalOf(c)
		if p != nil && p.Token != nil {
			return next(c)
		}
		if !s.sameOrigin(r) {
			return training.Forbiddenf("the request came from another site")
		}
		if p == nil || p.Session == nil {
			return next(c) // login, or refused later by requireRole
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" && uploadRoutes[r.Method+" "+c.Path()] && web.IsMultipart(r) {
			// Reading the token here would read the whole file first.
			p.CSRFInBody = true
			return next(c)
		}
		if got == "" {
			// The body only: a token in the query string would end up in
			// logs, the Referer header and browser history.
			got = r.PostFormValue("csrf_token")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRFToken)) != 1 {
			return training.Forbiddenf("the form has expired; reload the page and try again")
		}
		return next(c)
	}
}

// sameOrigin accepts requests without an Origin header (old browsers,
// non-browser clients) and those whose Origin is this host or BaseURL.
func (s *Server) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || o == "null" {
		return false
	}
	if u.Host == r.Host {
		return true
	}
	if b, err := url.Parse(s.cfg.BaseURL); err == nil && b.Host != "" && strings.EqualFold(b.Host, u.Host) {
		return true
	}
	return false
}
