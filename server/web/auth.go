package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Principal is who is calling: a user, through a session or an API token.
type Principal struct {
	User    training.User
	Session *training.Session // nil for token calls
	Token   *training.Token   // nil for session calls
	// CSRFInBody: an upload whose CSRF token is in its multipart body,
	// checked by ReceiveUpload before the file part is read.
	CSRFInBody bool
}

// CurrentUser returns the signed-in user (session or token), if any.
func CurrentUser(c echo.Context) (training.User, bool) {
	if p, ok := c.Get(CtxPrincipal).(*Principal); ok {
		return p.User, true
	}
	return training.User{}, false
}

func PrincipalOf(c echo.Context) *Principal {
	p, _ := c.Get(CtxPrincipal).(*Principal)
	return p
}

// CSRFToken returns the session's CSRF token for forms ("" without a session).
func CSRFToken(c echo.Context) string {
	if p := PrincipalOf(c); p != nil && p.Session != nil {
		return p.Session.CSRFToken
	}
	return ""
}

// AuthKind names how a request authenticated, for logs (never who).
func AuthKind(c echo.Context) string {
	switch p := PrincipalOf(c); {
	case p == nil:
		return "none"
	case p.Token != nil:
		return "token"
	default:
		return "session"
	}
}

// SHA256Hex is how session IDs and token secrets are stored: both are
// 32 random bytes, so a fast hash is enough (no guessing to slow down).
func SHA256Hex(s string) string { return training.SecretHash(s) }

func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ErrOneTimeExpired: the right one-time password, given out too long ago.
var ErrOneTimeExpired = training.Errorf(training.KindUnauthenticated, "this one-time password has expired; ask an administrator for a new one")

// LocalPath returns p when it is a path on this site, else "/": the
// redirect after login must not send people elsewhere. It judges the
// value as a browser will read it: the WHATWG URL parser first removes
// every ASCII tab and newline (https://url.spec.whatwg.org/#concept-basic-url-parser,
// "remove all ASCII tab or newline"), and treats "\" like "/" in http(s)
// URLs, so "/\t/evil.example" and "/\\evil.example" are both "//evil.example",
// another host. What is left must parse as a relative URL with no scheme,
// host or user, whose path starts with a single "/".
func LocalPath(p string) string {
	clean := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, p)
	if !strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "//") {
		return "/"
	}
	for _, r := range clean {
		if r < 0x20 || r == 0x7f {
			return "/" // other controls: no legitimate next page has them
		}
	}
	u, err := url.Parse(clean)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return clean
}

// ErrPasswordLoginOff: password sign-in is switched off for this user.
var ErrPasswordLoginOff = training.Errorf(training.KindUnauthenticated, "password sign-in is switched off")

const PasswordOffMessage = "Password sign-in is switched off here; use single sign-on."

const (
	// SessionCookie is the session's cookie; ctxPrincipal the key of the
	// principal in the request's context.
	SessionCookie = "muster_session"
	CtxPrincipal  = "muster.principal"
)
