package server

import "github.com/labstack/echo/v4"

// pageRoutes registers the web pages (owned by server-web; see routes.go).
func (s *Server) pageRoutes(e *echo.Echo) {}
