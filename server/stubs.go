package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Temporary stand-ins until importers.Run lands.

var errTODO = echo.NewHTTPError(http.StatusNotImplemented, "not yet")

type previewStore struct{}

func newPreviewStore() *previewStore { return &previewStore{} }
func (p *previewStore) close()       {}

func (s *Server) openAPI(c echo.Context) error          { return errTODO }
func (s *Server) apiImportCreate(c echo.Context) error  { return errTODO }
func (s *Server) apiImports(c echo.Context) error       { return errTODO }
func (s *Server) apiImport(c echo.Context) error        { return errTODO }
func (s *Server) apiImportErrors(c echo.Context) error  { return errTODO }
func (s *Server) apiImportConfirm(c echo.Context) error { return errTODO }
