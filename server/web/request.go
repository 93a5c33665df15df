package web

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

const CtxRequestID = "muster.request_id"

func RequestIDOf(c echo.Context) string {
	id, _ := c.Get(CtxRequestID).(string)
	return id
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
