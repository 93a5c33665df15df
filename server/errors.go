package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// errUnauthenticated means the request needs a signed-in user or a valid token.
var errUnauthenticated = errors.New("unauthenticated")

// errTooLarge means the request body is over its limit.
var errTooLarge = errors.New("too large")

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// classify maps an error to an HTTP status, a stable code and a message
// safe to show. internal is true when the detail must only be logged.
func classify(err error) (status int, code, message string, internal bool) {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized, "unauthorized", "Sign in first, or send a valid API token.", false
	case errors.Is(err, errOneTimeExpired):
		return http.StatusUnauthorized, "unauthorized", "This one-time password has expired; ask an administrator for a new one.", false
	case errors.Is(err, errPasswordLoginOff):
		return http.StatusUnauthorized, "unauthorized", passwordOffMessage, false
	case errors.Is(err, errUnauthenticatedLogin):
		return http.StatusUnauthorized, "unauthorized", "The username or password is wrong.", false
	case errors.Is(err, errTooLarge), errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, "too_large", "The request is too large.", false
	case errors.Is(err, training.ErrInvalid):
		return http.StatusBadRequest, "invalid", domainMessage(err, training.ErrInvalid), false
	case errors.Is(err, training.ErrNotFound):
		return http.StatusNotFound, "not_found", domainMessage(err, training.ErrNotFound), false
	case errors.Is(err, training.ErrConflict):
		return http.StatusConflict, "conflict", domainMessage(err, training.ErrConflict), false
	case errors.Is(err, training.ErrForbidden):
		return http.StatusForbidden, "forbidden", domainMessage(err, training.ErrForbidden), false
	case diskFull(err):
		return http.StatusInsufficientStorage, "disk_full", "The server's disk is full; nothing was changed.", true
	case errors.Is(err, training.ErrQuota):
		return http.StatusTooManyRequests, "rate_limited", domainMessage(err, training.ErrQuota), false
	case errors.Is(err, training.ErrBusy):
		return http.StatusServiceUnavailable, "unavailable", domainMessage(err, training.ErrBusy), false
	case errors.Is(err, training.ErrUnavailable):
		return http.StatusServiceUnavailable, "unavailable", "The service cannot reach its data right now; try again shortly.", true
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "not_found", orDefault(msg, "There is nothing here."), false
		case http.StatusMethodNotAllowed:
			return he.Code, "invalid", "This method is not allowed here.", false
		case http.StatusRequestEntityTooLarge:
			return he.Code, "too_large", "The request is too large.", false
		case http.StatusTooManyRequests:
			return he.Code, "rate_limited", orDefault(msg, "Too many attempts; wait a minute and try again."), false
		case http.StatusUnauthorized:
			return he.Code, "unauthorized", orDefault(msg, "Sign in first, or send a valid API token."), false
		case http.StatusForbidden:
			return he.Code, "forbidden", orDefault(msg, "You may not do this."), false
		case http.StatusServiceUnavailable:
			return he.Code, "unavailable", orDefault(msg, "This is not available right now."), false
		case http.StatusUnsupportedMediaType, http.StatusBadRequest:
			return http.StatusBadRequest, "invalid", orDefault(msg, "The request is not valid."), false
		}
		if he.Code < 500 {
			return he.Code, "invalid", orDefault(msg, http.StatusText(he.Code)), false
		}
	}
	return http.StatusInternalServerError, "internal", "Something went wrong on our side.", true
}

// diskFull reports a write refused for want of disk space. Nothing was
// changed: a bbolt transaction that fails to write or sync is rolled back,
// Redis refuses the whole command. bbolt reports some of these with
// fmt's %s (db.go grow: "file sync error: %s"), which loses the errno, so
// the text is checked too; Redis says MISCONF when it cannot persist.
func diskFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "MISCONF")
}

// domainMessage strips the sentinel's own prefix ("invalid: …") so the
// message reads as one plain sentence.
func domainMessage(err, sentinel error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	if msg == sentinel.Error() || msg == "" {
		switch sentinel {
		case training.ErrNotFound:
			return "There is no such record."
		case training.ErrForbidden:
			return "You may not see or do this."
		case training.ErrConflict:
			return "The data changed meanwhile; try again."
		}
		return "The request is not valid."
	}
	if c := msg[0]; c >= 'a' && c <= 'z' {
		msg = string(c-'a'+'A') + msg[1:]
	}
	return msg
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// handleError is the one error handler: API requests get JSON
// {"error":{"code","message"}}, pages get s.pageError (or plain text);
// internal detail is logged with the request ID, never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.Warn("error after response started", "request_id", requestIDOf(c), "route", routeOf(c), "err", err)
		return
	}
	status, code, msg, internal := classify(err)
	if internal {
		s.log.Error("request failed", "request_id", requestIDOf(c), "route", routeOf(c), "err", err)
		msg += " (request " + requestIDOf(c) + ")"
	}
	req := c.Request()
	var werr error
	switch {
	case isAPI(req.URL.Path) || s.pageError == nil && wantsJSON(req):
		var b errorBody
		b.Error.Code, b.Error.Message = code, msg
		if req.Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, b)
		}
	case status == http.StatusUnauthorized && (req.Method == http.MethodGet || req.Method == http.MethodHead):
		werr = c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(req.URL.RequestURI()))
	case s.pageError != nil:
		werr = s.pageError(c, status, code, msg)
	default:
		werr = c.String(status, msg)
	}
	if werr != nil {
		s.log.Warn("writing error response", "request_id", requestIDOf(c), "err", werr)
	}
}

func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/xapi/")
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) ||
		strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON)
}
