package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Matrix returns the team matrix of ?unit as JSON (matrix.Matrix).
func (s *Handler) Matrix(c echo.Context) error {
	m, err := s.TeamMatrix(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return c.JSON(http.StatusOK, m)
}
