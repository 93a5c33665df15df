package web

import (
	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/internal/requests"
)

// Actor is who asks, for the account use cases' audit events.
func Actor(c echo.Context) accounts.Actor {
	u, _ := CurrentUser(c)
	return accounts.Actor{Username: u.Username, RequestID: RequestIDOf(c)}
}

func (s *Core) RegisterActor(c echo.Context) registers.Actor {
	u, _ := CurrentUser(c)
	return registers.Actor{User: u, RequestID: RequestIDOf(c)}
}

// RequestsActor names who acts on a request in the audit trail.
func RequestsActor(c echo.Context) requests.Actor {
	u, _ := CurrentUser(c)
	return requests.Actor{Username: u.Username, RequestID: RequestIDOf(c)}
}
