package server

import (
	"time"

	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/training"
)

// officerLinkDays is how long the link in a decision email works.
const officerLinkDays = 30

// newRequests wires the officers' requests use case to this server.
func (s *Server) newRequests() *requests.Service {
	return &requests.Service{Store: s.store, Now: s.now, BaseURL: s.cfg.BaseURL, Log: s.log,
		Dataset: s.live.Dataset, Scope: s.live.Scope,
		OfficerLink: func(id string) string {
			now := s.now()
			return s.cfg.BaseURL + "/me/" + training.SignOfficerLinkAt(s.linkKey, id, now, now.Add(officerLinkDays*24*time.Hour))
		}}
}
