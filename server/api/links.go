package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// linksRevoked is the answer of POST /api/v1/officers/:id/links/revoke.
type linksRevoked struct {
	OfficerID string `json:"officer_id"`
	RevokedAt string `json:"revoked_at"`
}

// RevokeLinks ends every link of one officer issued until now (a lost
// phone, a forwarded email); links sent later work as usual.
func (s *Handler) RevokeLinks(c echo.Context) error {
	ctx := c.Request().Context()
	id := training.NormalizeID(c.Param("id"))
	if _, err := s.Store.Officer(ctx, id); err != nil {
		if errors.Is(err, training.ErrNotFound) {
			return web.ErrNoSuchOfficer
		}
		return err
	}
	now := s.Now()
	if err := s.Store.PutSetting(ctx, training.LinksRevokedSetting(id), strconv.FormatInt(now.Unix(), 10)); err != nil {
		return err
	}
	s.Log.Info("officer links revoked", "request_id", web.RequestIDOf(c))
	return c.JSON(http.StatusOK, linksRevoked{OfficerID: id, RevokedAt: now.UTC().Format("2006-01-02T15:04:05Z")})
}
