// Package ui is the web pages: handlers (methods of Pages), their
// templates and static assets (embedded), flash messages and form errors.
// The route table (server/pages_routes.go) names them.
package ui

import (
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// Pages is the web pages' handlers: the shared core plus what only
// pages need.
type Pages struct {
	*web.Core
	cache    *web.Cache
	renderer *renderer
	// startSession, oidcLoginURL and ssoName are the server's sign-in
	// (Hooks).
	startSession func(c echo.Context, u training.User, now time.Time) (*training.Session, error)
	oidcLoginURL func(next string) string
	ssoName      string
}

// Static renders a page without data (help, accessibility statement),
// for anyone, signed in or not.
func (p *Pages) Static(name, title string) echo.HandlerFunc {
	return func(c echo.Context) error { return p.render(c, 200, name, title, nil) }
}

// Hooks are what the pages need from the server's sign-in: starting a
// session (the password form), the link that starts single sign-on for a
// page to return to ("" when it is off) and the provider's name.
type Hooks struct {
	StartSession func(c echo.Context, u training.User, now time.Time) (*training.Session, error)
	SSOLoginURL  func(next string) string
	SSOName      string
}

// New builds the pages' handlers over the shared core; the templates
// are parsed here, once.
func New(c *web.Core, h Hooks) (*Pages, error) {
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	return &Pages{Core: c, cache: web.NewCache(), renderer: r,
		startSession: h.StartSession, oidcLoginURL: h.SSOLoginURL, ssoName: h.SSOName}, nil
}

// Renderer is Echo's renderer of the pages' templates.
func (p *Pages) Renderer() echo.Renderer { return p.renderer }
