package web

import (
	"errors"
	"net/http"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// ErrUnauthenticated means the request needs a signed-in user or a valid token.
var ErrUnauthenticated = errors.New("unauthenticated")

// ErrTooLarge means the request body is over its limit.
var ErrTooLarge = errors.New("too large")

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// kindStatus is the one map from the domain's kinds to HTTP: the status
// and the stable code the API answers with.
var kindStatus = map[training.Kind]struct {
	status int
	code   string
}{
	training.KindInvalid:         {http.StatusBadRequest, "invalid"},
	training.KindNotFound:        {http.StatusNotFound, "not_found"},
	training.KindConflict:        {http.StatusConflict, "conflict"},
	training.KindForbidden:       {http.StatusForbidden, "forbidden"},
	training.KindUnauthenticated: {http.StatusUnauthorized, "unauthorized"},
	training.KindOverQuota:       {http.StatusTooManyRequests, "rate_limited"},
	training.KindBusy:            {http.StatusServiceUnavailable, "unavailable"},
	training.KindUnavailable:     {http.StatusServiceUnavailable, "unavailable"},
}

// kindDefault is what to say for an error of a kind that carries no
// message of its own.
var kindDefault = map[training.Kind]string{
	training.KindInvalid:         "The request is not valid.",
	training.KindNotFound:        "There is no such record.",
	training.KindConflict:        "The data changed meanwhile; try again.",
	training.KindForbidden:       "You may not see or do this.",
	training.KindUnauthenticated: "The username or password is wrong.",
	training.KindOverQuota:       "You have too much under way; wait for it to finish.",
	training.KindBusy:            "The server is busy; try again in a minute.",
	training.KindUnavailable:     "The service cannot reach its data right now; try again shortly.",
}

// Classify maps an error to an HTTP status, a stable code and a message
// safe to show. internal is true when the detail must only be logged.
// Domain errors are decided by their kind (training.KindOf), never by
// their text; the message is the error's own (training.MessageOf).
func Classify(err error) (status int, code, message string, internal bool) {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, ErrUnauthenticated):
		return http.StatusUnauthorized, "unauthorized", "Sign in first, or send a valid API token.", false
	case errors.Is(err, ErrPasswordLoginOff):
		return http.StatusUnauthorized, "unauthorized", PasswordOffMessage, false
	case errors.Is(err, ErrOneTimeExpired):
		return http.StatusUnauthorized, "unauthorized", Sentence(training.MessageOf(err)), false
	case errors.Is(err, training.ErrUnauthenticated):
		// One answer for every failed sign-in: which part was wrong is
		// not said.
		return http.StatusUnauthorized, "unauthorized", kindDefault[training.KindUnauthenticated], false
	case errors.Is(err, ErrTooLarge), errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "too_large", "The request is too large.", false
	case diskFull(err):
		return http.StatusInsufficientStorage, "disk_full", "The server's disk is full; nothing was changed.", true
	case errors.As(err, &he):
		return classifyHTTP(he)
	}
	if k := training.KindOf(err); k != "" {
		ks := kindStatus[k]
		if k == training.KindUnavailable {
			// The cause (which store, which relay) is for the log only.
			return ks.status, ks.code, kindDefault[k], true
		}
		return ks.status, ks.code, OrDefault(Sentence(training.MessageOf(err)), kindDefault[k]), false
	}
	return http.StatusInternalServerError, "internal", "Something went wrong on our side.", true
}

// classifyHTTP maps Echo's own errors (no route, wrong method, a handler's
// echo.NewHTTPError).
func classifyHTTP(he *echo.HTTPError) (status int, code, message string, internal bool) {
	msg, _ := he.Message.(string)
	switch he.Code {
	case http.StatusNotFound:
		return he.Code, "not_found", OrDefault(msg, "There is nothing here."), false
	case http.StatusMethodNotAllowed:
		return he.Code, "invalid", "This method is not allowed here.", false
	case http.StatusRequestEntityTooLarge:
		return he.Code, "too_large", "The request is too large.", false
	case http.StatusTooManyRequests:
		return he.Code, "rate_limited", OrDefault(msg, "Too many attempts; wait a minute and try again."), false
	case http.StatusUnauthorized:
		return he.Code, "unauthorized", OrDefault(msg, "Sign in first, or send a valid API token."), false
	case http.StatusForbidden:
		return he.Code, "forbidden", OrDefault(msg, "You may not do this."), false
	case http.StatusServiceUnavailable:
		return he.Code, "unavailable", OrDefault(msg, "This is not available right now."), false
	case http.StatusUnsupportedMediaType, http.StatusBadRequest:
		return http.StatusBadRequest, "invalid", OrDefault(msg, "The request is not valid."), false
	}
	if he.Code < 500 {
		return he.Code, "invalid", OrDefault(msg, http.StatusText(he.Code)), false
	}
	return http.StatusInternalServerError, "internal", "Something went wrong on our side.", true
}

// diskFull reports a write refused for want of disk space. Nothing was
// changed: a bbolt transaction that fails to write or sync is rolled back,
// Redis refuses the whole command. bbolt reports some of these with
// fmt's %s (db.go grow: "file sync error: %s"), which loses the errno, so
// the text is checked too; Redis says MISCONF when it cannot persist.
// (The one place text is read: a dependency's, not the domain's.)
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "MISCONF")
}

// Sentence starts a message with a capital letter, as pages and the API
// show it.
func Sentence(msg string) string {
	if msg != "" && msg[0] >= 'a' && msg[0] <= 'z' {
		return string(msg[0]-'a'+'A') + msg[1:]
	}
	return msg
}

func OrDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func IsAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/xapi/")
}

func WantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) ||
		strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON)
}
