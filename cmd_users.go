package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/training"
)

// usernamePattern is the server's rule for usernames (server/api_users.go).
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// usersCmd dispatches users add|list|reset|token.
func usersCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "users", []subcommand{{"add", usersAdd}, {"list", usersList}, {"reset", usersReset}, {"token", usersToken}}, args, stdout, stderr)
}

func usersAdd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("users add", "--role admin|hr|manager [--email ADDRESS] [--unit PATH]... [--officer ID] USERNAME")
	role := fs.String("role", "", "admin (everything), hr (uploads, courses, all units) or manager (read-only, own units)")
	email := fs.String("email", "", "email address (for digests)")
	var units listFlag
	fs.Var(&units, "unit", "a unit subtree a manager may see (repeatable)")
	officer := fs.String("officer", "", "the manager's own officer ID: adds everyone reporting to them")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "users add: name one user (e.g. users add --role hr j.smith)")
	}
	u := training.User{Username: strings.ToLower(strings.TrimSpace(pos[0])), Role: training.Role(*role),
		Email: strings.ToLower(strings.TrimSpace(*email)), OfficerID: training.NormalizeID(*officer), Created: env.now(), MustChangePassword: true}
	if !usernamePattern.MatchString(u.Username) {
		return usageError(stderr, "users add: username must be 2-64 lower-case letters, digits, '.', '_', '-' or '@'")
	}
	if !u.Role.Valid() {
		return usageError(stderr, "users add: --role must be admin, hr or manager")
	}
	if u.Email != "" && !strings.Contains(u.Email, "@") {
		return usageError(stderr, "users add: --email %q is not an address", u.Email)
	}
	// The scopes are units of the roster: the one check the API and the
	// web pages make too.
	ds, err := env.store.Dataset(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if u.Units, err = training.CheckUnits(ds, units); err != nil {
		fail(stderr, fmt.Errorf("users add: --unit: %s", message(err)))
		return exitFail
	}
	if u.Role == training.RoleManager && len(u.Units) == 0 && u.OfficerID == "" {
		return usageError(stderr, "users add: a manager needs --unit PATH or --officer ID, or they would see nothing")
	}
	pw := server.GeneratePassword()
	hash, err := server.HashPassword(pw)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	u.PasswordHash = hash
	if err := env.store.CreateUser(ctx, u); err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", u.Username, err))
		return exitFail
	}
	env.audit(ctx, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "created role="+string(u.Role))
	fmt.Fprintf(stdout, "Created %s (%s). One-time password: %s\nShown once; they must change it at first login.\n", u.Username, u.Role, pw)
	return exitOK
}

func usersList(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("users list", "[--format table|json]")
	format := fs.String("format", "table", "table or json")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 || (*format != "table" && *format != "json") {
		return usageError(stderr, "users list takes no arguments; --format is table or json")
	}
	users, err := env.store.Users(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if users == nil {
			users = []training.User{}
		}
		if err := enc.Encode(users); err != nil {
			fail(stderr, err)
			return exitFail
		}
		return exitOK
	}
	rows := [][]string{{"USERNAME", "ROLE", "EMAIL", "SEES", "STATE"}}
	for _, u := range users {
		sees := "all units"
		if u.Role == training.RoleManager {
			var parts []string
			parts = append(parts, u.Units...)
			if u.OfficerID != "" {
				parts = append(parts, "reports of "+u.OfficerID)
			}
			sees = strings.Join(parts, "; ")
		}
		state := "active"
		switch {
		case u.Disabled:
			state = "disabled"
		case u.MustChangePassword:
			state = "must change password"
		}
		rows = append(rows, []string{u.Username, string(u.Role), orDash(u.Email), orDash(sees), state})
	}
	if err := writeColumns(stdout, rows); err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

func usersReset(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("users reset", "USERNAME")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "users reset: name one user")
	}
	pw := server.GeneratePassword()
	hash, err := server.HashPassword(pw)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	err = env.store.UpdateUser(ctx, pos[0], func(u *training.User) error {
		u.SetPassword(hash, true, env.now())
		return nil
	})
	if err == nil {
		// As in the web service: a reset ends every session and API token.
		err = env.store.RevokeCredentials(ctx, pos[0])
	}
	if err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", pos[0], err))
		return exitFail
	}
	env.audit(ctx, training.AuditAccountChanged, training.TargetUser, pos[0], training.AuditOK, "password reset")
	fmt.Fprintf(stdout, "New one-time password for %s: %s\nShown once; they must change it at next login. Their sessions and API tokens were ended.\n", pos[0], pw)
	return exitOK
}

// tokenPrefix and the SHA-256 hash are how the server recognises API
// tokens (server/auth.go): the secret is shown once, only its hash kept.
const tokenPrefix = "mst_"

func usersToken(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("users token", "--name NAME [--expires-days N] USERNAME")
	name := fs.String("name", "", "what uses the token, e.g. \"learning platform\"")
	days := fs.Int("expires-days", 0, "days until it expires (0: never)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "users token: name one user")
	}
	n := training.CleanText(*name)
	if n == "" || len(n) > 100 {
		return usageError(stderr, "users token: give the token a --name of up to 100 characters (the system that uses it)")
	}
	if *days < 0 || *days > 3650 {
		return usageError(stderr, "users token: --expires-days must be between 0 (never) and 3650")
	}
	u, err := env.store.User(ctx, pos[0])
	if err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", pos[0], err))
		return exitFail
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	secretText := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secretText))
	now := env.now()
	t := training.Token{ID: randomHex(8), Hash: hex.EncodeToString(sum[:]), Name: n, Username: u.Username, Created: now}
	if *days > 0 {
		t.Expires = now.Add(time.Duration(*days) * 24 * time.Hour)
	}
	if err := env.store.CreateToken(ctx, t); err != nil {
		fail(stderr, err)
		return exitFail
	}
	env.audit(ctx, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "token created id="+t.ID)
	fmt.Fprintf(stdout, "Token %s for %s (%s): %s\nShown once. Send it as: Authorization: Bearer <token>\n", t.ID, u.Username, n, secretText)
	return exitOK
}
