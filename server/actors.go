package server

import (
	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/internal/requests"
)

// actor is who asks, for the account use cases' audit events.
func actor(c echo.Context) accounts.Actor {
	u, _ := currentUser(c)
	return accounts.Actor{Username: u.Username, RequestID: requestIDOf(c)}
}

func (s *core) registerActor(c echo.Context) registers.Actor {
	u, _ := currentUser(c)
	return registers.Actor{User: u, RequestID: requestIDOf(c)}
}

// requestsActor names who acts on a request in the audit trail.
func requestsActor(c echo.Context) requests.Actor {
	u, _ := currentUser(c)
	return requests.Actor{Username: u.Username, RequestID: requestIDOf(c)}
}
