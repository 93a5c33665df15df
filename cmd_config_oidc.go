package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/muster-police/muster/server"
)

// SSOSettings configure single sign-on with OpenID Connect (README
// "Single sign-on"). Off unless MUSTER_OIDC_ISSUER is set.
type SSOSettings struct {
	Issuer       string
	ClientID     string
	ClientSecret secret // only from the environment
	RedirectURL  string
	Scopes       string // space- or comma-separated, besides openid
	Name         string
	RolesClaim   string
	RoleMap      string
	// PasswordLogin is "on" (default) or "off"; off keeps it for
	// BreakGlassUser only.
	PasswordLogin  string
	BreakGlassUser string
}

// ssoEnvVars are the MUSTER_OIDC_* variables and the password switch.
func (c *Config) ssoEnvVars() []envVar {
	str := func(dst *string) func(*Config, string) error {
		return func(_ *Config, v string) error { *dst = strings.TrimSpace(v); return nil }
	}
	s := &c.SSO
	return []envVar{
		{"MUSTER_OIDC_ISSUER", str(&s.Issuer)},
		{"MUSTER_OIDC_CLIENT_ID", str(&s.ClientID)},
		{"MUSTER_OIDC_CLIENT_SECRET", func(_ *Config, v string) error { s.ClientSecret = secret(v); return nil }},
		{"MUSTER_OIDC_REDIRECT_URL", str(&s.RedirectURL)},
		{"MUSTER_OIDC_SCOPES", str(&s.Scopes)},
		{"MUSTER_OIDC_NAME", str(&s.Name)},
		{"MUSTER_OIDC_ROLES_CLAIM", str(&s.RolesClaim)},
		{"MUSTER_OIDC_ROLE_MAP", str(&s.RoleMap)},
		{"MUSTER_PASSWORD_LOGIN", str(&s.PasswordLogin)},
		{"MUSTER_BREAK_GLASS_USER", str(&s.BreakGlassUser)},
	}
}

// validateSSO checks the settings at start, so that a mistake stops the
// service with the variable's name rather than failing at sign-in.
func (c *Config) validateSSO() error {
	s := c.SSO
	switch strings.ToLower(s.PasswordLogin) {
	case "", "on":
	case "off":
		if s.Issuer == "" {
			return errors.New("MUSTER_PASSWORD_LOGIN=off needs single sign-on (MUSTER_OIDC_ISSUER)")
		}
		if s.BreakGlassUser == "" {
			return errors.New("MUSTER_PASSWORD_LOGIN=off needs MUSTER_BREAK_GLASS_USER, an administrator who can still sign in with a password when the identity provider is down")
		}
	default:
		return fmt.Errorf("MUSTER_PASSWORD_LOGIN must be on or off, not %q", s.PasswordLogin)
	}
	if s.Issuer == "" {
		for _, v := range []struct{ name, val string }{{"MUSTER_OIDC_CLIENT_ID", s.ClientID}, {"MUSTER_OIDC_ROLE_MAP", s.RoleMap}, {"MUSTER_OIDC_REDIRECT_URL", s.RedirectURL}} {
			if v.val != "" {
				return fmt.Errorf("%s is set but MUSTER_OIDC_ISSUER is not", v.name)
			}
		}
		return nil
	}
	if s.ClientID == "" {
		return errors.New("MUSTER_OIDC_ISSUER is set but MUSTER_OIDC_CLIENT_ID is not")
	}
	if _, err := server.ParseRoleMap(s.RoleMap); err != nil {
		return err
	}
	// The server checks the URLs (issuer, redirect) when it starts.
	return nil
}

// serverSSO turns the settings into the server's (after Validate).
func (c *Config) serverSSO(cfg *server.Config) {
	s := c.SSO
	cfg.PasswordLoginOff = strings.EqualFold(s.PasswordLogin, "off")
	cfg.BreakGlassUser = strings.ToLower(s.BreakGlassUser)
	if s.Issuer == "" {
		return
	}
	roles, _ := server.ParseRoleMap(s.RoleMap)
	cfg.OIDC = &server.OIDCConfig{
		Issuer: s.Issuer, ClientID: s.ClientID, ClientSecret: s.ClientSecret.reveal(),
		RedirectURL: s.RedirectURL, Scopes: strings.FieldsFunc(s.Scopes, func(r rune) bool { return r == ' ' || r == ',' }),
		Name: s.Name, RolesClaim: s.RolesClaim, RoleMap: roles,
	}
}
