package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/training"
)

func TestSSOSettings(t *testing.T) {
	env := map[string]string{
		"MUSTER_OIDC_ISSUER":        "https://login.microsoftonline.com/tenant-id/v2.0",
		"MUSTER_OIDC_CLIENT_ID":     "app-id",
		"MUSTER_OIDC_CLIENT_SECRET": "very-secret-value",
		"MUSTER_OIDC_ROLE_MAP":      "g1=admin,g3=manager:Frontline Policing/Central West",
		"MUSTER_OIDC_SCOPES":        "profile email",
		"MUSTER_PASSWORD_LOGIN":     "off",
		"MUSTER_BREAK_GLASS_USER":   "Admin",
	}
	c := defaultConfig()
	if err := c.fromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprintf("%v %+v %#v", c, c, c); strings.Contains(s, "very-secret-value") {
		t.Fatalf("the client secret is printed: %s", s)
	}
	var cfg server.Config
	c.serverSSO(&cfg)
	if cfg.OIDC == nil || cfg.OIDC.ClientSecret != "very-secret-value" || !cfg.PasswordLoginOff || cfg.BreakGlassUser != "admin" ||
		cfg.OIDC.RoleMap["g3"].Role != training.RoleManager || len(cfg.OIDC.Scopes) != 2 {
		t.Fatalf("server config %+v, OIDC %+v", cfg, cfg.OIDC)
	}

	for name, change := range map[string]map[string]string{
		"off without break-glass":  {"MUSTER_BREAK_GLASS_USER": ""},
		"off without sso":          {"MUSTER_OIDC_ISSUER": "", "MUSTER_OIDC_CLIENT_ID": "", "MUSTER_OIDC_ROLE_MAP": ""},
		"password login maybe":     {"MUSTER_PASSWORD_LOGIN": "maybe"},
		"bad role map":             {"MUSTER_OIDC_ROLE_MAP": "g1=root"},
		"issuer without client id": {"MUSTER_OIDC_CLIENT_ID": ""},
		"client id without issuer": {"MUSTER_OIDC_ISSUER": "", "MUSTER_PASSWORD_LOGIN": ""},
	} {
		c := defaultConfig()
		get := func(k string) string {
			if v, ok := change[k]; ok {
				return v
			}
			return env[k]
		}
		if err := c.fromEnv(get); err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.Contains(err.Error(), "MUSTER_") {
			t.Errorf("%s: error %q does not name the variable", name, err)
		}
	}
}
