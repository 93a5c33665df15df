package server

// Composing the middleware once per route instead of once per request.
//
// Echo v4.16.0 (go.mod) composes the global middleware again on every
// request: Echo.ServeHTTP (echo.go, line 677 of the module's v4.16.0 source
// in the module cache) calls applyMiddleware(h, e.middleware...) after
// routing, which calls each MiddlewareFunc, and each returns a new closure;
// a route's own middleware (the role guard) is composed the same way, per
// request, by the handler Echo.add registers (echo.go, line 605). With the
// nine global middleware and the role guard that is ten closures a request.
//
// routeTable composes the global chain and the route's middleware around
// the handler once, when the route is registered, so the router hands back
// the finished chain. Requests that match no route (404, 405, OPTIONS:
// Echo's own handlers) still go through the same global chain, composed for
// them per request by unmatched, so they keep the request ID, the log, the
// metrics and the security headers.

import (
	"github.com/labstack/echo/v4"
)

// routeTable is the one route table's registrar (routes.go, pageRoutes):
// Echo with its route methods composing the chain at registration.
type routeTable struct {
	*echo.Echo
	global   []echo.MiddlewareFunc
	composed map[string]map[string]bool // method → path → composed here
}

func newRouteTable(e *echo.Echo, global ...echo.MiddlewareFunc) *routeTable {
	t := &routeTable{Echo: e, global: global, composed: map[string]map[string]bool{}}
	e.Use(t.unmatched)
	return t
}

// unmatched runs the global chain for requests Echo answers with its own
// handler (no route); a composed route's handler already has it.
func (t *routeTable) unmatched(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if t.composed[c.Request().Method][c.Path()] {
			return next(c)
		}
		h := next
		for i := len(t.global) - 1; i >= 0; i-- {
			h = t.global[i](h)
		}
		return h(c)
	}
}

// add registers path with the global chain and m composed around h once.
func (t *routeTable) add(method, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	for i := len(m) - 1; i >= 0; i-- {
		h = m[i](h)
	}
	for i := len(t.global) - 1; i >= 0; i-- {
		h = t.global[i](h)
	}
	if t.composed[method] == nil {
		t.composed[method] = map[string]bool{}
	}
	t.composed[method][path] = true
	return t.Echo.Add(method, path, h)
}

func (t *routeTable) GET(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return t.add("GET", p, h, m...)
}
func (t *routeTable) POST(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return t.add("POST", p, h, m...)
}
func (t *routeTable) PUT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return t.add("PUT", p, h, m...)
}
func (t *routeTable) PATCH(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return t.add("PATCH", p, h, m...)
}
func (t *routeTable) DELETE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return t.add("DELETE", p, h, m...)
}

// Group is a path prefix on the same table (no group middleware).
func (t *routeTable) Group(prefix string) *routeGroup { return &routeGroup{t, prefix} }

type routeGroup struct {
	t      *routeTable
	prefix string
}

func (g *routeGroup) GET(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return g.t.add("GET", g.prefix+p, h, m...)
}
func (g *routeGroup) POST(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return g.t.add("POST", g.prefix+p, h, m...)
}
func (g *routeGroup) PUT(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return g.t.add("PUT", g.prefix+p, h, m...)
}
func (g *routeGroup) PATCH(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return g.t.add("PATCH", g.prefix+p, h, m...)
}
func (g *routeGroup) DELETE(p string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return g.t.add("DELETE", g.prefix+p, h, m...)
}
