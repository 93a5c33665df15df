package ui

import (
	"context"

	"github.com/muster-police/muster/training"
)

// openRequestCount is the count shown by the Requests link (0 on error:
// the navigation never fails a page).
func (s *Pages) openRequestCount(ctx context.Context, u training.User) int {
	n, err := s.Requests.OpenCount(ctx, u)
	if err != nil {
		s.Log.Warn("requests: open count", "err", err)
		return 0
	}
	return n
}

// withRequests adds the Requests link, with the count of open requests
// the user may decide, before Help, for the roles that decide.
func withRequests(nav []navLink, u training.User, open int, current string) []navLink {
	if u.Role != training.RoleManager && !u.Role.SeesWholeForce() {
		return nav
	}
	label := "Requests"
	if open > 0 {
		label += " (" + formatCount(open) + " open)"
	}
	l := navLink{Href: "/requests", Label: label, Current: current == "/requests"}
	for i, n := range nav {
		if n.Href == "/help" {
			return append(nav[:i:i], append([]navLink{l}, nav[i:]...)...)
		}
	}
	return append(nav, l)
}
