// Package api is the JSON API under /api/v1 and the xAPI statements
// endpoint: thin handlers over the use cases, methods of Handler, and the
// OpenAPI description. The route table (server/routes.go) names them.
package api

import "github.com/muster-police/muster/server/web"

// Handler is the JSON API's handlers: the shared core plus what only
// the API keeps.
type Handler struct {
	*web.Core
	// lists keeps encoded officers API pages of the current revision.
	lists *web.Cache
}

// NewHandler is the API's handlers over the shared core.
func NewHandler(c *web.Core) *Handler { return &Handler{Core: c, lists: web.NewCache()} }
