package server

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
)

// handleError is the one error handler: API requests get JSON
// {"error":{"code","message"}}, pages get s.pageError (or plain text);
// internal detail is logged with the request ID, never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.Log.Warn("error after response started", "request_id", web.RequestIDOf(c), "route", web.RouteOf(c), "err", err)
		return
	}
	status, code, msg, internal := web.Classify(err)
	if internal {
		s.Log.Error("request failed", "request_id", web.RequestIDOf(c), "route", web.RouteOf(c), "err", err)
		msg += " (request " + web.RequestIDOf(c) + ")"
	}
	req := c.Request()
	var werr error
	switch {
	case web.IsAPI(req.URL.Path) || s.pageError == nil && web.WantsJSON(req):
		var b web.ErrorBody
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
		s.Log.Warn("writing error response", "request_id", web.RequestIDOf(c), "err", werr)
	}
}
