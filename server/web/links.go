package web

import (
	"context"
	"errors"

	"github.com/muster-police/muster/training"
)

// Officers' signed links (/me/:token): signed with this deployment's link
// key, refused once the officer has left, and revocable per officer.

var errLinkGone = training.Forbiddenf("this link is no longer valid; ask HR for a new one")

// OfficerForLink verifies a link and returns the officer it names:
// ErrForbidden when the link is bad or expired, was revoked, or names an
// officer who left or is no longer on the roster.
func (s *Core) OfficerForLink(ctx context.Context, token string) (training.OfficerRecord, error) {
	l, err := training.ParseOfficerLink(s.LinkKey, token, s.Now())
	if err != nil {
		return training.OfficerRecord{}, err
	}
	rec, err := s.Store.Officer(ctx, l.OfficerID)
	if errors.Is(err, training.ErrNotFound) {
		return training.OfficerRecord{}, errLinkGone
	}
	if err != nil {
		return training.OfficerRecord{}, err
	}
	if !rec.Officer.Active() {
		return training.OfficerRecord{}, errLinkGone
	}
	revoked, err := s.Store.Setting(ctx, training.LinksRevokedSetting(l.OfficerID))
	if err != nil && !errors.Is(err, training.ErrNotFound) {
		return training.OfficerRecord{}, err
	}
	if training.LinkRevoked(l.Issued, revoked) {
		return training.OfficerRecord{}, errLinkGone
	}
	return rec, nil
}

// ErrNoSuchOfficer is the one answer, API and pages, for an officer who
// does not exist and for one outside the caller's scope.
var ErrNoSuchOfficer = training.NotFoundf("there is no officer with this ID that you may see")
