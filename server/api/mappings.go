package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/importers"
)

// mappingList is the saved column mappings and the fields a column can be
// mapped to (for pick lists).
type mappingList struct {
	Mappings any                     `json:"mappings"`
	Fields   []importers.FieldChoice `json:"fields"`
}

// Mappings lists the saved column mappings.
func (s *Handler) Mappings(c echo.Context) error {
	ms, err := s.Store.Mappings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mappingList{Mappings: nonNil(ms), Fields: importers.FieldChoices()})
}

// MappingDelete forgets a saved mapping.
func (s *Handler) MappingDelete(c echo.Context) error {
	if err := s.Store.DeleteMapping(c.Request().Context(), c.Param("name")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
