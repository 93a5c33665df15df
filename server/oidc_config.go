package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/muster-police/muster/training"
)

// OIDCConfig turns on single sign-on with an OpenID Connect provider
// (Microsoft Entra ID, or any provider with discovery); main builds it
// from the MUSTER_OIDC_* variables.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL: discovery reads
	// Issuer + "/.well-known/openid-configuration" and the ID token's
	// "iss" must equal it (OpenID Connect Discovery 1.0 §4.3).
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this service's callback as registered at the
	// provider (default BaseURL + "/login/oidc/callback").
	RedirectURL string
	// Scopes asked for besides "openid" (default profile and email).
	Scopes []string
	// Name is shown on the login page: "Sign in with <Name>".
	Name string
	// RolesClaim is the claim listing the user's groups or app roles
	// (default "groups").
	RolesClaim string
	// RoleMap maps values of RolesClaim to a role (and, for managers,
	// units). When it has entries it is authoritative: at every sign-in
	// the user's role and units are set from it, and a user none of whose
	// groups is mapped has no access. When empty, administrators assign
	// roles on the Accounts page after a user's first sign-in.
	RoleMap map[string]RoleGrant
	// HTTPClient talks to the provider (nil: a client with a 15 s timeout).
	HTTPClient *http.Client
}

// RoleGrant is what one group gives: a role, and units for a manager.
type RoleGrant struct {
	Role  training.Role
	Units []string
}

// OIDCCallbackPath is where the provider sends the browser back.
const OIDCCallbackPath = "/login/oidc/callback"

// check fills defaults and validates c; baseURL is the service's root.
func (c *OIDCConfig) check(baseURL string) error {
	if c.Issuer == "" || c.ClientID == "" {
		return errors.New("server: OIDC needs an issuer and a client ID (MUSTER_OIDC_ISSUER, MUSTER_OIDC_CLIENT_ID)")
	}
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("server: MUSTER_OIDC_ISSUER %q is not an http(s) URL", c.Issuer)
	}
	if c.RedirectURL == "" {
		if baseURL == "" {
			return errors.New("server: OIDC needs MUSTER_OIDC_REDIRECT_URL or MUSTER_BASE_URL")
		}
		c.RedirectURL = strings.TrimSuffix(baseURL, "/") + OIDCCallbackPath
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || u.Host == "" || !strings.HasSuffix(u.Path, OIDCCallbackPath) {
		return fmt.Errorf("server: MUSTER_OIDC_REDIRECT_URL %q must be an absolute URL ending in %s", c.RedirectURL, OIDCCallbackPath)
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"profile", "email"}
	}
	if c.Name == "" {
		c.Name = "your organisation"
	}
	if c.RolesClaim == "" {
		c.RolesClaim = "groups"
	}
	return nil
}

// ParseRoleMap reads MUSTER_OIDC_ROLE_MAP: comma-separated
// "group=role" or "group=manager:Unit/Sub unit" entries. A group named
// twice adds units (a manager of two subtrees).
func ParseRoleMap(s string) (map[string]RoleGrant, error) {
	m := map[string]RoleGrant{}
	for entry := range strings.SplitSeq(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		group, grant, ok := strings.Cut(entry, "=")
		group = strings.TrimSpace(group)
		if !ok || group == "" {
			return nil, fmt.Errorf("MUSTER_OIDC_ROLE_MAP: %q is not group=role", entry)
		}
		role, unit, hasUnit := strings.Cut(grant, ":")
		g := RoleGrant{Role: training.Role(strings.TrimSpace(role))}
		if !g.Role.Valid() {
			return nil, fmt.Errorf("MUSTER_OIDC_ROLE_MAP: %q: role must be admin, hr, manager or trainer", entry)
		}
		if hasUnit {
			if g.Role != training.RoleManager {
				return nil, fmt.Errorf("MUSTER_OIDC_ROLE_MAP: %q: only a manager has units", entry)
			}
			unit = training.ParseUnit(unit)
			if unit == "" {
				return nil, fmt.Errorf("MUSTER_OIDC_ROLE_MAP: %q: the unit is empty", entry)
			}
			g.Units = []string{unit}
		}
		if prev, ok := m[group]; ok {
			if prev.Role != g.Role {
				return nil, fmt.Errorf("MUSTER_OIDC_ROLE_MAP: group %q is given two roles", group)
			}
			g.Units = append(prev.Units, g.Units...)
		}
		m[group] = g
	}
	return m, nil
}

// roleRank orders roles from least to most powerful (a trainer sees no
// figures, so a user in a trainer group and a manager group is a manager).
var roleRank = map[training.Role]int{training.RoleTrainer: 1, training.RoleManager: 2, training.RoleHR: 3, training.RoleAdmin: 4}

// grantFor is what a user in groups gets: the most powerful mapped role,
// and for a manager the units of every matching manager group. ok is
// false when no group is mapped.
func grantFor(m map[string]RoleGrant, groups []string) (g RoleGrant, ok bool) {
	for _, name := range groups {
		x, found := m[name]
		if !found {
			continue
		}
		switch {
		case !ok || roleRank[x.Role] > roleRank[g.Role]:
			g, ok = RoleGrant{Role: x.Role, Units: slices.Clone(x.Units)}, true
		case x.Role == g.Role:
			g.Units = append(g.Units, x.Units...)
		}
	}
	slices.Sort(g.Units)
	return RoleGrant{Role: g.Role, Units: slices.Compact(g.Units)}, ok
}
