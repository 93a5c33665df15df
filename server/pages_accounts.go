package server

import (
	"errors"
	"fmt"
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
	// Units is the roster's unit tree, to pick scopes from.
	Units []string
	// New is the "Add a user" form's values (kept after an error).
	New training.User
	// Failed names the user whose form had problems ("" for the new-user
	// form); TypedAdd is the unit they typed to add.
	Failed   string
	TypedAdd string
}

// TypedFor is the unit typed in user's form ("" = the new-user form), kept after an error.
func (v *accountsView) TypedFor(user string) string {
	if v.Failed == user {
		return v.TypedAdd
	}
	return ""
}

// pageAccounts lists users with their scopes and tokens.
func (p *webPages) pageAccounts(c echo.Context) error { return p.renderAccounts(c, nil) }

// accountForm is a form with problems: which form, what was typed.
type accountForm struct {
	errs     formErrors
	target   string // "" = the new-user form
	typed    training.User
	typedAdd string
}

// renderAccounts shows the accounts page; secret, when set, is a password
// or token shown this once (so the page is rendered in the POST's answer,
// not after a redirect that would have to carry the secret).
func (p *webPages) renderAccounts(c echo.Context, secret *secretView) error {
	return p.renderAccountsForm(c, secret, nil)
}

func (p *webPages) renderAccountsForm(c echo.Context, secret *secretView, form *accountForm) error {
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
	ds, err := p.dataset(ctx)
	if err != nil {
		return err
	}
	view.Units = training.RosterUnits(ds)
	view.New.Role = training.RoleManager
	var errs formErrors
	if form != nil {
		errs, view.Failed, view.TypedAdd = form.errs, form.target, form.typedAdd
		if form.target == "" {
			view.New = form.typed
		} else {
			for i := range view.Users {
				if view.Users[i].Username == form.target {
					typed := form.typed
					typed.Username, typed.Created = view.Users[i].Username, view.Users[i].Created
					view.Users[i] = typed
				}
			}
		}
	}
	if secret != nil {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return p.renderForm(c, "accounts", "Accounts", errs, view)
}

// formUserInput reads the account form's fields: the unit scopes are the
// ticked units plus the one picked from the roster's tree.
func formUserInput(c echo.Context) userInput {
	role := training.Role(c.FormValue("role"))
	email := c.FormValue("email")
	officer := c.FormValue("officer_id")
	var units []string
	if form, err := c.FormParams(); err == nil {
		units = append(units, form["units"]...)
	}
	add := strings.TrimSpace(c.FormValue("add_unit"))
	if add != "" {
		units = append(units, add)
	}
	disabled := c.FormValue("disabled") == "1"
	return userInput{Username: c.FormValue("username"), Role: &role, Email: &email, OfficerID: &officer, Units: &units, Disabled: &disabled, addUnit: add}
}

// typedUser is what the form holds, to show it again after an error.
func typedUser(in userInput) training.User {
	u := training.User{Username: strings.TrimSpace(in.Username), Role: *in.Role, Email: *in.Email, OfficerID: *in.OfficerID, Disabled: *in.Disabled}
	for _, x := range *in.Units {
		if x == in.addUnit {
			continue // shown in the "add a unit" field again
		}
		if x = training.ParseUnit(x); x != "" {
			u.Units = append(u.Units, x)
		}
	}
	return u
}

// userFieldErr files an account error under its field: prefix "new-" for
// the new-user form, or the user's suffix "-NAME" on an existing one.
func userFieldErr(errs *formErrors, err error, field func(string) string) bool {
	var ue *training.UnknownUnitError
	switch {
	case errors.Is(err, training.ErrManagerSeesNothing):
		return errs.addErr(field("add_unit"), err)
	case errors.As(err, &ue):
		msg, _ := userMessage(err)
		errs.add(field("add_unit"), msg)
		return true
	case strings.Contains(err.Error(), "email"):
		return errs.addErr(field("email"), err)
	case strings.Contains(err.Error(), "role"):
		return errs.addErr(field("role"), err)
	case strings.Contains(err.Error(), "username") || strings.Contains(err.Error(), "user named"):
		return errs.addErr(field("username"), err)
	}
	return errs.addErr(field("role"), err)
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
	u := training.User{Username: training.NormalizeUsername(in.Username), Created: p.now(), MustChangePassword: true}
	ds, err := p.dataset(c.Request().Context())
	if err != nil {
		return err
	}
	newField := func(f string) string { return "new-" + f }
	var errs formErrors
	if err := training.CheckUsername(u.Username); err != nil {
		errs.addErr("new-username", err)
	}
	if err := in.apply(&u, ds); err != nil && !userFieldErr(&errs, err, newField) {
		return err
	}
	if len(errs) > 0 {
		return p.renderAccountsForm(c, nil, &accountForm{errs: errs, typed: typedUser(in), typedAdd: in.addUnit})
	}
	password := GeneratePassword()
	if u.PasswordHash, err = p.hashPassword(c.Request().Context(), password); err != nil {
		return err
	}
	if err := p.store.CreateUser(c.Request().Context(), u); err != nil {
		if !errors.Is(err, training.ErrConflict) {
			return err
		}
		errs.add("new-username", fmt.Sprintf("A user named %q already exists. Choose another username.", u.Username))
		return p.renderAccountsForm(c, nil, &accountForm{errs: errs, typed: typedUser(in), typedAdd: in.addUnit})
	}
	p.log.Info("user created", "request_id", requestIDOf(c), "role", string(u.Role))
	p.audit(c, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "created role="+string(u.Role))
	p.addFlash(c, "ok", "User "+u.Username+" added.")
	return p.renderAccounts(c, &secretView{Title: "One-time password for " + u.Username, Value: password})
}

func (p *webPages) pageAccountSave(c echo.Context) error {
	name := c.Param("username")
	in := formUserInput(c)
	anchor := "#u-" + url.PathEscape(name)
	me, _ := currentUser(c)
	field := func(f string) string { return f + "-" + name }
	var errs formErrors
	if name == me.Username && (*in.Role != training.RoleAdmin || *in.Disabled) {
		errs.add(field("role"), "You cannot remove your own admin rights or disable yourself.")
	}
	ds, err := p.dataset(c.Request().Context())
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		err = p.store.UpdateUser(c.Request().Context(), name, func(u *training.User) error { return in.apply(u, ds) })
		if errors.Is(err, training.ErrNotFound) {
			return err
		}
		if err != nil && !userFieldErr(&errs, err, field) {
			return err
		}
	}
	if len(errs) > 0 {
		return p.renderAccountsForm(c, nil, &accountForm{errs: errs, target: name, typed: typedUser(in), typedAdd: in.addUnit})
	}
	if *in.Disabled {
		// Disabling ends every session and token (see apiUserUpdate).
		if err := p.revokeCredentials(c.Request().Context(), name); err != nil {
			return err
		}
	}
	p.audit(c, training.AuditAccountChanged, training.TargetUser, name, training.AuditOK, "updated")
	return p.accountsBack(c, anchor, nil, "Saved "+name+".")
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
	p.audit(c, training.AuditAccountChanged, training.TargetUser, name, training.AuditOK, "password reset")
	return p.renderAccounts(c, &secretView{Title: "New one-time password for " + name, Value: password})
}

func (p *webPages) pageAccountDelete(c echo.Context) error {
	name := c.Param("username")
	if me, _ := currentUser(c); me.Username == name {
		return p.accountsBack(c, "", fmt.Errorf("%w: you cannot delete your own account", training.ErrInvalid), "")
	}
	err := p.store.DeleteUser(c.Request().Context(), name)
	if err == nil {
		p.audit(c, training.AuditAccountChanged, training.TargetUser, name, training.AuditOK, "deleted")
	}
	return p.accountsBack(c, "", err, "Deleted "+name+".")
}

func (p *webPages) pageTokenCreate(c echo.Context) error {
	ctx := c.Request().Context()
	t, secret, err := training.NewToken(c.Param("username"), c.FormValue("name"), 0, p.now())
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	u, err := p.store.User(ctx, c.Param("username"))
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	t.Username = u.Username
	if err := p.store.CreateToken(ctx, t); err != nil {
		return err
	}
	p.audit(c, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "token created id="+t.ID)
	return p.renderAccounts(c, &secretView{Title: "API token “" + t.Name + "” for " + u.Username, Value: secret})
}

func (p *webPages) pageTokenRevoke(c echo.Context) error {
	err := p.store.DeleteToken(c.Request().Context(), c.Param("id"))
	if err == nil {
		p.audit(c, training.AuditAccountChanged, training.TargetUser, "", training.AuditOK, "token revoked id="+c.Param("id"))
	}
	return p.accountsBack(c, "", err, "Token revoked.")
}
