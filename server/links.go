package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/training"
)

// Officers' signed links (/me/:token): signed with this deployment's link
// key, refused once the officer has left, and revocable per officer.

var errLinkGone = training.Forbiddenf("this link is no longer valid; ask HR for a new one")

// officerForLink verifies a link and returns the officer it names:
// ErrForbidden when the link is bad or expired, was revoked, or names an
// officer who left or is no longer on the roster.
func (s *Server) officerForLink(ctx context.Context, token string) (training.OfficerRecord, error) {
	l, err := training.ParseOfficerLink(s.linkKey, token, s.now())
	if err != nil {
		return training.OfficerRecord{}, err
	}
	rec, err := s.store.Officer(ctx, l.OfficerID)
	if errors.Is(err, training.ErrNotFound) {
		return training.OfficerRecord{}, errLinkGone
	}
	if err != nil {
		return training.OfficerRecord{}, err
	}
	if !rec.Officer.Active() {
		return training.OfficerRecord{}, errLinkGone
	}
	revoked, err := s.store.Setting(ctx, training.LinksRevokedSetting(l.OfficerID))
	if err != nil && !errors.Is(err, training.ErrNotFound) {
		return training.OfficerRecord{}, err
	}
	if training.LinkRevoked(l.Issued, revoked) {
		return training.OfficerRecord{}, errLinkGone
	}
	return rec, nil
}

// linksRevoked is the answer of POST /api/v1/officers/:id/links/revoke.
type linksRevoked struct {
	OfficerID string `json:"officer_id"`
	RevokedAt string `json:"revoked_at"`
}

// apiRevokeLinks ends every link of one officer issued until now (a lost
// phone, a forwarded email); links sent later work as usual.
func (s *Server) apiRevokeLinks(c echo.Context) error {
	ctx := c.Request().Context()
	id := training.NormalizeID(c.Param("id"))
	if _, err := s.store.Officer(ctx, id); err != nil {
		if errors.Is(err, training.ErrNotFound) {
			return errNoSuchOfficer
		}
		return err
	}
	now := s.now()
	if err := s.store.PutSetting(ctx, training.LinksRevokedSetting(id), strconv.FormatInt(now.Unix(), 10)); err != nil {
		return err
	}
	s.log.Info("officer links revoked", "request_id", requestIDOf(c))
	return c.JSON(http.StatusOK, linksRevoked{OfficerID: id, RevokedAt: now.UTC().Format("2006-01-02T15:04:05Z")})
}
