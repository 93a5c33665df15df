package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/muster-police/muster/internal/accounts"
	"io"
	"strings"

	"github.com/muster-police/muster/training"
)

// usersCmd dispatches users add|list|reset|token.
func usersCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "users", []subcommand{{"add", usersAdd}, {"list", usersList}, {"reset", usersReset}, {"token", usersToken}}, args, stdout, stderr)
}

func usersAdd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("users add", "--role admin|hr|manager|trainer [--email ADDRESS] [--unit PATH]... [--officer ID] USERNAME")
	role := fs.String("role", "", "admin (everything), hr (uploads, courses, all units), manager (read-only, own units) or trainer (records classroom registers, sees no figures)")
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
	in := accounts.Input{Username: pos[0], Email: email, Units: (*[]string)(&units), OfficerID: officer}
	if *role != "" {
		in.Role = (*training.Role)(role)
	}
	out, err := env.accounts().Create(ctx, env.actor(), in)
	if err != nil {
		return env.accountFailed(stderr, "users add", err)
	}
	fmt.Fprintf(stdout, "Created %s (%s). One-time password: %s\nShown once; they must change it at first login.\n", out.User.Username, out.User.Role, out.Password)
	return exitOK
}

// userFlags names the flag that sets each account field, for messages.
var userFlags = map[string]string{"role": "--role", "email": "--email", "units": "--unit (or --officer)", "username": "USERNAME", "name": "--name", "days": "--expires-days"}

// accountFailed prints an account use case's error: a mistake in the
// command's own input is a usage error naming the flag; the rest fail,
// and so does a unit the roster does not hold (yet).
func (e *cmdEnv) accountFailed(stderr io.Writer, cmd string, err error) int {
	field := training.FieldOf(err)
	var unknown *training.UnknownUnitError
	if training.KindOf(err) == training.KindInvalid && !errors.As(err, &unknown) {
		if flag := userFlags[field]; flag != "" {
			return usageError(stderr, "%s: %s (%s)", cmd, message(err), flag)
		}
		return usageError(stderr, "%s: %s", cmd, message(err))
	}
	fail(stderr, fmt.Errorf("%s: %w", cmd, err))
	return exitFail
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
		if !u.Role.SeesFigures() {
			sees = "no figures (records registers)"
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
	out, err := env.accounts().Reset(ctx, env.actor(), pos[0])
	if err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", pos[0], err))
		return exitFail
	}
	fmt.Fprintf(stdout, "New one-time password for %s: %s\nShown once; they must change it at next login. Their sessions and API tokens were ended.\n", pos[0], out.Password)
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
	t, secretText, err := env.accounts().CreateToken(ctx, env.actor(), pos[0], *name, *days)
	if training.KindOf(err) == training.KindInvalid {
		return usageError(stderr, "users token: %s (--name, --expires-days)", message(err))
	}
	if err != nil {
		fail(stderr, fmt.Errorf("user %q: %w", pos[0], err))
		return exitFail
	}
	fmt.Fprintf(stdout, "Token %s for %s (%s): %s\nShown once. Send it as: Authorization: Bearer <token>\n", t.ID, t.Username, t.Name, secretText)
	return exitOK
}

// accounts is the account use cases over the command's store.
func (e *cmdEnv) accounts() *accounts.Service {
	st := e.store
	if e.accountStore != nil {
		st = e.accountStore
	}
	return &accounts.Service{Store: st, Now: e.now, Log: e.log}
}

// actor is who runs the command, as the audit trail names them.
func (e *cmdEnv) actor() accounts.Actor { return accounts.Actor{Username: e.by} }
