package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Signing in and out: the login form and JSON login, logout, the session
// cookie, and password changes.

// dummyHash is checked against when a username does not exist, so that a
// wrong username takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := accounts.HashPassword("muster-dummy-password")
	if err != nil {
		panic(err)
	}
	return h
})

var errLoginFailed = training.Errorf(training.KindUnauthenticated, "the username or password is wrong")

// errUnauthenticatedLogin is a failed login: 401 with its own message.
var errUnauthenticatedLogin = training.ErrUnauthenticated

var errRateLimited = echo.NewHTTPError(http.StatusTooManyRequests, "Too many sign-in attempts; wait a minute and try again.")

// login checks a username and password (rate-limited per client IP, per
// username and client network, and per username for networks with failures:
// ratelimit.go) and starts a session: it sets the cookie and returns the user.
func (s *Server) login(c echo.Context, username, password string) (training.User, *training.Session, error) {
	ctx := c.Request().Context()
	username = strings.TrimSpace(username)
	now := s.Now()
	breakGlass := s.cfg.BreakGlassUser != "" && strings.EqualFold(username, s.cfg.BreakGlassUser)
	if !s.limits.allow(c.RealIP(), username, breakGlass, now) {
		s.Log.Warn("login rate limited", "request_id", web.RequestIDOf(c))
		return training.User{}, nil, errRateLimited
	}
	u, err := s.Core.Store.User(ctx, username)
	switch {
	// An account made by single sign-on has no password: as for an
	// unknown name, the dummy hash is checked so that the time is the same.
	case errors.Is(err, training.ErrNotFound) || username == "" || err == nil && u.PasswordHash == "":
		if _, err := s.checkPassword(ctx, password, dummyHash()); err != nil {
			return training.User{}, nil, err
		}
		s.limits.failed(c.RealIP(), username, now)
		// The typed name is not kept: it may be a password typed in the wrong box.
		s.AuditAs(ctx, "anonymous", web.RequestIDOf(c), training.AuditSignInFailed, "", "", training.AuditFailed, "unknown username")
		return training.User{}, nil, errLoginFailed
	case err != nil:
		return training.User{}, nil, fmt.Errorf("login: %w", err)
	}
	ok, err := s.checkPassword(ctx, password, u.PasswordHash)
	if errors.Is(err, errHashBusy) || ctx.Err() != nil {
		return training.User{}, nil, errors.Join(err, ctx.Err())
	}
	if err != nil {
		s.Log.Error("login: stored password hash is unreadable", "request_id", web.RequestIDOf(c), "err", err)
	}
	if !ok || u.Disabled {
		s.limits.failed(c.RealIP(), username, now)
		s.AuditAs(ctx, username, web.RequestIDOf(c), training.AuditSignInFailed, training.TargetUser, username, training.AuditFailed, "")
		return training.User{}, nil, errLoginFailed
	}
	if !s.passwordLoginAllowed(u.Username) {
		// Said only after the right password: it tells nothing to a guesser.
		return training.User{}, nil, web.ErrPasswordLoginOff
	}
	if s.oneTimeExpired(u) {
		return training.User{}, nil, web.ErrOneTimeExpired
	}
	sess, err := s.startSession(c, u, now)
	if err != nil {
		return training.User{}, nil, fmt.Errorf("login: %w", err)
	}
	s.Audit(c, training.AuditSignIn, training.TargetUser, u.Username, training.AuditOK, "password")
	return u, sess, nil
}

// startSession creates a session for u, sets its cookie and makes u the
// request's principal.
func (s *Server) startSession(c echo.Context, u training.User, now time.Time) (*training.Session, error) {
	id := web.RandomToken()
	sess := training.Session{
		IDHash:    web.SHA256Hex(id),
		Username:  u.Username,
		CSRFToken: web.RandomToken(),
		Created:   now,
		Expires:   now.Add(sessionIdle),
	}
	if err := s.Core.Store.CreateSession(c.Request().Context(), sess); err != nil {
		return nil, err
	}
	c.SetCookie(&http.Cookie{
		Name: web.SessionCookie, Value: id, Path: "/",
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode,
	})
	c.Set(web.CtxPrincipal, &web.Principal{User: u, Session: &sess})
	return &sess, nil
}

// logout ends the caller's session (tokens are revoked by an admin instead).
func (s *Server) logout(c echo.Context) error {
	p := web.PrincipalOf(c)
	if p != nil && p.Session != nil {
		if err := s.Core.Store.DeleteSession(c.Request().Context(), p.Session.IDHash); err != nil && !errors.Is(err, training.ErrNotFound) {
			return fmt.Errorf("logout: %w", err)
		}
	}
	s.clearSessionCookie(c)
	return nil
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: web.SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.CookieSecure, SameSite: http.SameSiteLaxMode,
	})
}

// loginForm handles the login page's form (POST /login).
func (s *Server) loginForm(c echo.Context) error {
	next := web.LocalPath(c.FormValue("next"))
	_, _, err := s.login(c, c.FormValue("username"), c.FormValue("password"))
	if errors.Is(err, web.ErrPasswordLoginOff) {
		return c.Redirect(http.StatusSeeOther, "/login?error=password_off&next="+url.QueryEscape(next))
	}
	if errors.Is(err, errUnauthenticatedLogin) {
		if s.loginFailed != nil {
			return s.loginFailed(c, next, c.FormValue("username"))
		}
		return c.Redirect(http.StatusSeeOther, "/login?error=invalid&next="+url.QueryEscape(next))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionResponse describes the signed-in user and the CSRF token that
// unsafe requests made with the session cookie must send.
type sessionResponse struct {
	User      training.User `json:"user"`
	CSRFToken string        `json:"csrf_token,omitempty"`
	Expires   *time.Time    `json:"expires,omitempty"`
}

func (s *Server) loginJSON(c echo.Context) error {
	var req loginRequest
	if err := web.BindJSON(c, &req); err != nil {
		return err
	}
	u, sess, err := s.login(c, req.Username, req.Password)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sessionResponse{User: u, CSRFToken: sess.CSRFToken, Expires: &sess.Expires})
}

func (s *Server) logoutForm(c echo.Context) error {
	if err := s.logout(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) logoutJSON(c echo.Context) error {
	if err := s.logout(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// apiSession returns who is signed in (and the CSRF token for a session).
func (s *Server) apiSession(c echo.Context) error {
	p := web.PrincipalOf(c)
	resp := sessionResponse{User: p.User}
	if p.Session != nil {
		resp.CSRFToken = p.Session.CSRFToken
		resp.Expires = &p.Session.Expires
	}
	return c.JSON(http.StatusOK, resp)
}
