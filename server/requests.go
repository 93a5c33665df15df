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
	return &requests.Service{Store: s.Core.Store, Now: s.Now, BaseURL: s.cfg.BaseURL, Log: s.Log,
		Dataset: s.Live.Dataset, Scope: s.Live.Scope,
		OfficerLink: func(id string) string {
			now := s.Now()
			return s.cfg.BaseURL + "/me/" + training.SignOfficerLinkAt(s.LinkKey, id, now, now.Add(officerLinkDays*24*time.Hour))
		}}
}
