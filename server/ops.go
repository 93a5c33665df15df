package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
)

// healthz says the process is up (no dependencies checked).
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the store answers, so a load balancer can hold
// traffic back from a replica that cannot reach its data. It answers
// within a second: a load balancer's probe should not wait longer than
// the store would for a request (a frozen Redis fails within its ~1 s
// read timeout and one retry).
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), time.Second)
	defer cancel()
	if err := s.Core.Store.Ping(ctx); err != nil {
		s.Log.Warn("readyz: store does not answer", "request_id", web.RequestIDOf(c), "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
