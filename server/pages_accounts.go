package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

type secretView struct{ Title, Value string }

type accountsView struct {
	Users  []training.User
	Tokens map[string][]training.Token
	Roles  []training.Role
	Secret *secretView
}

// pageAccounts lists users with their scopes and tokens.
func (p *webPages) pageAccounts(c echo.Context) error { return p.renderAccounts(c, nil) }

// renderAccounts shows the accounts page; secret, when set, is a password
// or token shown this once (so the page is rendered in the POST's answer,
// not after a redirect that would have to carry the secret).
func (p *webPages) renderAccounts(c echo.Context, secret *secretView) error {
	ctx := c.Request().Context()
	users, err := p.store.Users(ctx)
	if err != nil {
		return err
	}
	toks, err := p.store.Tokens(ctx, "")
	if err != nil {
		return err
	}
	view := &accountsView{Users: users, Tokens: map[string][]training.Token{}, Secret: secret,
		Roles: []training.Role{training.RoleAdmin, training.RoleHR, training.RoleManager}}
	for _, t := range toks {
		view.Tokens[t.Username] = append(view.Tokens[t.Username], t)
	}
	if secret != nil {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return p.render(c, http.StatusOK, "accounts", "Accounts", view)
}

// formUserInput reads the account form's fields.
func formUserInput(c echo.Context) userInput {
	role := training.Role(c.FormValue("role"))
	email := c.FormValue("email")
	officer := c.FormValue("officer_id")
	units := strings.Split(strings.ReplaceAll(c.FormValue("units"), "\r", ""), "\n")
	disabled := c.FormValue("disabled") == "1"
	return userInput{Username: c.FormValue("username"), Role: &role, Email: &email, OfficerID: &officer, Units: &units, Disabled: &disabled}
}

// accountsBack redirects to the accounts page with a notice, or for a
// user's mistake, with the message.
func (p *webPages) accountsBack(c echo.Context, anchor string, err error, ok string) error {
	if err != nil {
		msg, shown := userMessage(err)
		if !shown {
			return err
		}
		return p.redirectFlash(c, "/accounts"+anchor, "error", msg)
	}
	return p.redirectFlash(c, "/accounts"+anchor, "ok", ok)
}

func (p *webPages) pageAccountCreate(c echo.Context) error {
	in := formUserInput(c)
	u := training.User{Username: strings.ToLower(strings.TrimSpace(in.Username)), Created: p.now(), MustChangePassword: true}
	err := func() error {
		if !usernamePattern.MatchString(u.Username) {
			return fmt.Errorf("%w: the username must be 2-64 lower-case letters, digits, '.', '_', '-' or '@'", training.ErrInvalid)
		}
		return in.apply(&u)
	}()
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	password := GeneratePassword()
	if u.PasswordHash, err = p.hashPassword(c.Request().Context(), password); err != nil {
		return err
	}
	if err := p.store.CreateUser(c.Request().Context(), u); err != nil {
		if errors.Is(err, training.ErrConflict) {
			err = fmt.Errorf("%w: a user named %q already exists", training.ErrConflict, u.Username)
		}
		return p.accountsBack(c, "", err, "")
	}
	p.log.Info("user created", "request_id", requestIDOf(c), "role", string(u.Role))
	p.addFlash(c, "ok", "User "+u.Username+" added.")
	return p.renderAccounts(c, &secretView{Title: "One-time password for " + u.Username, Value: password})
}

func (p *webPages) pageAccountSave(c echo.Context) error {
	name := c.Param("username")
	in := formUserInput(c)
	anchor := "#u-" + url.PathEscape(name)
	me, _ := currentUser(c)
	if name == me.Username && (*in.Role != training.RoleAdmin || *in.Disabled) {
		return p.accountsBack(c, anchor, fmt.Errorf("%w: you cannot remove your own admin rights or disable yourself", training.ErrInvalid), "")
	}
	err := p.store.UpdateUser(c.Request().Context(), name, func(u *training.User) error { return in.apply(u) })
	if err == nil && *in.Disabled {
		// Disabling ends every session and token (see apiUserUpdate).
		err = p.revokeCredentials(c.Request().Context(), name)
	}
	return p.accountsBack(c, anchor, err, "Saved "+name+".")
}

func (p *webPages) pageAccountReset(c echo.Context) error {
	name := c.Param("username")
	password := GeneratePassword()
	hash, err := p.hashPassword(c.Request().Context(), password)
	if err != nil {
		return err
	}
	err = p.store.UpdateUser(c.Request().Context(), name, func(u *training.User) error {
		u.SetPassword(hash, true, p.now())
		return nil
	})
	if err == nil {
		err = p.revokeCredentials(c.Request().Context(), name)
	}
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	return p.renderAccounts(c, &secretView{Title: "New one-time password for " + name, Value: password})
}

func (p *webPages) pageAccountDelete(c echo.Context) error {
	name := c.Param("username")
	if me, _ := currentUser(c); me.Username == name {
		return p.accountsBack(c, "", fmt.Errorf("%w: you cannot delete your own account", training.ErrInvalid), "")
	}
	err := p.store.DeleteUser(c.Request().Context(), name)
	return p.accountsBack(c, "", err, "Deleted "+name+".")
}

func (p *webPages) pageTokenCreate(c echo.Context) error {
	ctx := c.Request().Context()
	name := training.CleanText(c.FormValue("name"))
	if name == "" || len(name) > 100 {
		return p.accountsBack(c, "", fmt.Errorf("%w: give the token a name of up to 100 characters (e.g. the system that uses it)", training.ErrInvalid), "")
	}
	u, err := p.store.User(ctx, c.Param("username"))
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	secret := tokenPrefix + randomToken()
	t := training.Token{ID: randomHex(8), Hash: sha256Hex(secret), Name: name, Username: u.Username, Created: p.now()}
	if err := p.store.CreateToken(ctx, t); err != nil {
		return err
	}
	return p.renderAccounts(c, &secretView{Title: "API token “" + name + "” for " + u.Username, Value: secret})
}

func (p *webPages) pageTokenRevoke(c echo.Context) error {
	err := p.store.DeleteToken(c.Request().Context(), c.Param("id"))
	return p.accountsBack(c, "", err, "Token revoked.")
}
