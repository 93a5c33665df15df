package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

const CtxRequestID = "muster.request_id"

func RequestIDOf(c echo.Context) string {
	// The request ID middleware keeps it as the one value of the
	// response's X-Request-Id header.
	if v, ok := c.Get(CtxRequestID).(*[1]string); ok {
		return v[0]
	}
	return ""
}

// RouteOf is the route pattern ("/api/v1/officers/:id"), never the raw
// URL, so logs and metrics carry no names or IDs.
func RouteOf(c echo.Context) string {
	if p := c.Path(); p != "" && !strings.HasSuffix(p, "/*") {
		return p
	}
	return "unmatched"
}

func Itoa(n int) string { return strconv.Itoa(n) }
