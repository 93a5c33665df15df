package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Session lifetimes: a session ends 12 hours after login at the latest,
// and after an hour without requests.
const (
	sessionCookie   = "muster_session"
	sessionLifetime = 12 * time.Hour
	sessionIdle     = time.Hour
	// sessionRefresh is how stale the idle deadline may get before a
	// request moves it (so not every request writes to the store).
	sessionRefresh = 5 * time.Minute
	tokenPrefix    = "mst_"
	ctxPrincipal   = "muster.principal"
)

// errSessionMissing is an unknown or expired session cookie.
var errSessionMissing = fmt.Errorf("%w: no such session", errUnauthenticated)

// sessionIDLength is the length of a session cookie value (32 random bytes, base64url).
const sessionIDLength = 43

// sessionRetryDelay is how long a request whose session was not found
// waits before looking again (see touchSession).
const sessionRetryDelay = 25 * time.Millisecond

// principal is who is calling: a user, through a session or an API token.
type principal struct {
	user    training.User
	session *training.Session // nil for token calls
	token   *training.Token   // nil for session calls
}

// currentUser returns the signed-in user (session or token), if any.
func currentUser(c echo.Context) (training.User, bool) {
	if p, ok := c.Get(ctxPrincipal).(*principal); ok {
		return p.user, true
	}
	return training.User{}, false
}

func principalOf(c echo.Context) *principal {
	p, _ := c.Get(ctxPrincipal).(*principal)
	return p
}

// csrfToken returns the session's CSRF token for forms ("" without a session).
func csrfToken(c echo.Context) string {
	if p := principalOf(c); p != nil && p.session != nil {
		return p.session.CSRFToken
	}
	return ""
}

// authKind names how a request authenticated, for logs (never who).
func authKind(c echo.Context) string {
	switch p := principalOf(c); {
	case p == nil:
		return "none"
	case p.token != nil:
		return "token"
	default:
		return "session"
	}
}

// sha256Hex is how session IDs and token secrets are stored: both are
// 32 random bytes, so a fast hash is enough (no guessing to slow down).
func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// authenticate finds the caller: a Bearer token (which must be valid) or
// a session cookie (ignored when unknown or expired). It rejects nothing
// else; requireRole does.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Path() == "/api/v1/cli" {
			return next(c) // LocalToken only, checked by the handler
		}
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			p, err := s.tokenPrincipal(ctx, h)
			if err != nil {
				return err
			}
			c.Set(ctxPrincipal, p)
			return next(c)
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			p, err := s.sessionPrincipal(ctx, ck.Value)
			if errors.Is(err, errSessionMissing) && len(ck.Value) == sessionIDLength {
				// Another request of this session may be between the two
				// writes of touchSession: look once more after it, and only
				// then forget the cookie (clearing it at once could sign out
				// a browser whose session is being refreshed).
				time.Sleep(sessionRetryDelay)
				if p, err = s.sessionPrincipal(ctx, ck.Value); errors.Is(err, errSessionMissing) {
					s.clearSessionCookie(c)
				}
			}
			switch {
			case err == nil:
				c.Set(ctxPrincipal, p)
			case errors.Is(err, errUnauthenticated):
			default:
				return err
			}
		}
		return next(c)
	}
}

func (s *Server) tokenPrincipal(ctx context.Context, header string) (*principal, error) {
	scheme, secret, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(secret, tokenPrefix) {
		return nil, errUnauthenticated
	}
	t, err := s.store.TokenByHash(ctx, sha256Hex(strings.TrimSpace(secret)))
	if errors.Is(err, training.ErrNotFound) {
		return nil, errUnauthenticated
	}
	if err != nil {
		return nil, fmt.Errorf("token lookup: %w", err)
	}
	if !t.Expires.IsZero() && !s.now().Before(t.Expires) {
		return nil, errUnauthenticated
	}
	u, err := s.activeUser(ctx, t.Username)
	if err != nil {
		return nil, err
	}
	return &principal{user: u, token: &t}, nil
}

func (s *Server) sessionPrincipal(ctx context.Context, cookie string) (*principal, error) {
	now := s.now()
	hash := sha256Hex(cookie)
	sess, err := s.store.Session(ctx, hash, now)
	if errors.Is(err, training.ErrNotFound) {
		return nil, errSessionMissing
	}
	if err != nil {
		return nil, fmt.Errorf("session lookup: %w", err)
	}
	if !now.Before(sess.Expires) {
		return nil, errUnauthenticated
	}
	u, err := s.activeUser(ctx, sess.Username)
	if err != nil {
		return nil, err
	}
	if sess.Created.Before(u.PasswordChanged) {
		// The password was changed or reset after this session began.
		return nil, errUnauthenticated
	}
	s.touchSession(ctx, &sess, now)
	return &principal{user: u, session: &sess}, nil
}

// touchSession moves the idle deadline forward, at most every few
// minutes and never past the session's absolute lifetime. The store has
// no update for sessions, so it deletes and recreates the record; a
// request of the same session arriving between the two writes looks
// again (authenticate). A failure only means the session ends sooner, so
// it is logged, not returned.
func (s *Server) touchSession(ctx context.Context, sess *training.Session, now time.Time) {
	limit := sess.Created.Add(sessionLifetime)
	want := now.Add(sessionIdle)
	if want.After(limit) {
		want = limit
	}
	if want.Sub(sess.Expires) < sessionRefresh {
		return
	}
	updated := *sess
	updated.Expires = want
	if err := s.store.DeleteSession(ctx, sess.IDHash); err != nil && !errors.Is(err, training.ErrNotFound) {
		s.log.Warn("session refresh", "err", err)
		return
	}
	if err := s.store.CreateSession(ctx, updated); err != nil && !errors.Is(err, training.ErrConflict) {
		s.log.Warn("session refresh", "err", err)
		return
	}
	*sess = updated
}

// activeUser returns the user, or errUnauthenticated when they were
// deleted or disabled since the session or token was issued.
func (s *Server) activeUser(ctx context.Context, username string) (training.User, error) {
	u, err := s.store.User(ctx, username)
	if errors.Is(err, training.ErrNotFound) {
		return training.User{}, errUnauthenticated
	}
	if err != nil {
		return training.User{}, fmt.Errorf("user lookup: %w", err)
	}
	if u.Disabled {
		return training.User{}, errUnauthenticated
	}
	return u, nil
}

// requireRole admits signed-in users with one of roles (any role when none
// are given): anonymous callers get 401 (pages: a redirect to the login
// page), others 403.
func (s *Server) requireRole(roles ...training.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principalOf(c)
			if p == nil {
				return errUnauthenticated
			}
			if len(roles) > 0 && !slices.Contains(roles, p.user.Role) {
				return fmt.Errorf("%w: your role (%s) may not do this", training.ErrForbidden, p.user.Role)
			}
			// A session signed in with a one-time password may do nothing in
			// the API until the password is changed (on the password page):
			// after an admin's reset, a stolen old session is useless too.
			if p.session != nil && p.user.MustChangePassword && isAPI(c.Path()) && !passwordChangeExempt[c.Path()] {
				return errMustChangePassword
			}
			return next(c)
		}
	}
}

// errMustChangePassword refuses API calls of a session whose password is a one-time one.
var errMustChangePassword = fmt.Errorf("%w: change your one-time password first (Change password page)", training.ErrForbidden)

// passwordChangeExempt are the API routes open to such a session.
var passwordChangeExempt = map[string]bool{"/api/v1/session": true, "/api/v1/logout": true}

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
		p := principalOf(c)
		if p != nil && p.token != nil {
			return next(c)
		}
		if !s.sameOrigin(r) {
			return fmt.Errorf("%w: the request came from another site", training.ErrForbidden)
		}
		if p == nil || p.session == nil {
			return next(c) // login, or refused later by requireRole
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("csrf_token")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.session.CSRFToken)) != 1 {
			return fmt.Errorf("%w: the form has expired; reload the page and try again", training.ErrForbidden)
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
