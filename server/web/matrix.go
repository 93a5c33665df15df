package web

import (
	"net/url"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/matrix"
	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// TeamMatrix is the team matrix for the caller from the query (?unit,
// ?as_of, ?status, ?sort): the one use case the API, the page and the
// export share.
func (s *Core) TeamMatrix(c echo.Context) (*matrix.Matrix, error) {
	u, ok := CurrentUser(c)
	if !ok {
		return nil, ErrUnauthenticated
	}
	ds, err := s.Live.Dataset(c.Request().Context())
	if err != nil {
		return nil, err
	}
	req := matrix.Request{Unit: c.QueryParam("unit"), AsOf: c.QueryParam("as_of"), Status: c.QueryParam("status"), Sort: c.QueryParam("sort")}
	return matrix.Build(ds, s.Live.Units(ds), reports.Viewer{User: u, Scope: s.Live.Scope(u, ds)}, req, s.Today())
}

// MatrixHref links the team matrix of unit as of asOf.
func MatrixHref(unit string, asOf training.Date) string {
	return "/matrix?unit=" + url.QueryEscape(unit) + "&as_of=" + asOf.String()
}
