package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/training"
)

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
	u := training.User{Username: training.NormalizeUsername(pos[0]), Role: training.Role(*role),
		Email: training.NormalizeEmail(*email), OfficerID: training.NormalizeID(*officer), Created: env.now(), MustChangePassword: true}
	if err := training.CheckUsername(u.Username); err != nil {
		return usageError(stderr, "users add: %s", message(err))
	}
	if !u.Role.Valid() {
		return usageError(stderr, "users add: --role must be admin, hr or manager")
	}
	if err := training.CheckUserEmail(u.Email); err != nil {
		return usageError(stderr, "users add: --email: %s", message(err))
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
	if err := u.CheckScope(); err != nil {
		return usageError(stderr, "users add: %s (--unit PATH or --officer ID)", message(err))
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
	// The rules (name, expiry) and the secret are the API's and the
	// pages' too: training.NewToken.
	t, secretText, err := training.NewToken(pos[0], *name, *days, env.now())
	if err != nil {
		return usageError(stderr, "users token: %s (--name, --expires-days)", message(err))
	}
	u, err := env.store.User(ctx, pos[0])
	if err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", pos[0], err))
		return exitFail
	}
	t.Username = u.Username
	if err := env.store.CreateToken(ctx, t); err != nil {
		fail(stderr, err)
		return exitFail
	}
	env.audit(ctx, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "token created id="+t.ID)
	fmt.Fprintf(stdout, "Token %s for %s (%s): %s\nShown once. Send it as: Authorization: Bearer <token>\n", t.ID, u.Username, t.Name, secretText)
	return exitOK
}
