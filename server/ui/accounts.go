package ui

import (
	"errors"
	"net/url"
	"strings"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

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

// ListAccounts lists users with their scopes and tokens.
func (p *Pages) ListAccounts(c echo.Context) error { return p.renderAccounts(c, nil) }

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
func (p *Pages) renderAccounts(c echo.Context, secret *secretView) error {
	return p.renderAccountsForm(c, secret, nil)
}

func (p *Pages) renderAccountsForm(c echo.Context, secret *secretView, form *accountForm) error {
	ctx := c.Request().Context()
	users, err := p.Store.Users(ctx)
	if err != nil {
		return err
	}
	toks, err := p.Store.Tokens(ctx, "")
	if err != nil {
		return err
	}
	view := &accountsView{Users: users, Tokens: map[string][]training.Token{}, Secret: secret,
		Roles: training.Roles}
	for _, t := range toks {
		view.Tokens[t.Username] = append(view.Tokens[t.Username], t)
	}
	ds, err := p.Live.Dataset(ctx)
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

// accountInput is the account form as typed: the use case's input and
// the unit picked from the roster's tree ("add a unit", in Units too).
type accountInput struct {
	accounts.Input
	addUnit string
}

// formUserInput reads the account form's fields: the unit scopes are the
// ticked units plus the one picked from the roster's tree.
func formUserInput(c echo.Context) accountInput {
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
	return accountInput{Input: accounts.Input{Username: c.FormValue("username"), Role: &role, Email: &email, OfficerID: &officer, Units: &units, Disabled: &disabled}, addUnit: add}
}

// typedUser is what the form holds, to show it again after an error.
func typedUser(in accountInput) training.User {
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
	switch f := training.FieldOf(err); f {
	case "units":
		return errs.addErr(field("add_unit"), err)
	case "email", "role", "username":
		return errs.addErr(field(f), err)
	}
	return errs.addErr(field("role"), err)
}

// accountsBack redirects to the accounts page with a notice, or for a
// user's mistake, with the message.
func (p *Pages) accountsBack(c echo.Context, anchor string, err error, ok string) error {
	if err != nil {
		msg, shown := userMessage(err)
		if !shown {
			return err
		}
		return p.redirectFlash(c, "/accounts"+anchor, "error", msg)
	}
	return p.redirectFlash(c, "/accounts"+anchor, "ok", ok)
}

func (p *Pages) AccountCreate(c echo.Context) error {
	in := formUserInput(c)
	out, err := p.Accounts.Create(c.Request().Context(), web.Actor(c), in.Input)
	if err != nil {
		var errs formErrors
		if !userFieldErr(&errs, err, func(f string) string { return "new-" + f }) {
			return err
		}
		return p.renderAccountsForm(c, nil, &accountForm{errs: errs, typed: typedUser(in), typedAdd: in.addUnit})
	}
	p.Log.Info("user created", "request_id", web.RequestIDOf(c), "role", string(out.User.Role))
	p.addFlash(c, "ok", "User "+out.User.Username+" added.")
	return p.renderAccounts(c, &secretView{Title: "One-time password for " + out.User.Username, Value: out.Password})
}

func (p *Pages) AccountSave(c echo.Context) error {
	name := c.Param("username")
	in := formUserInput(c)
	_, err := p.Accounts.Update(c.Request().Context(), web.Actor(c), name, in.Input)
	if errors.Is(err, training.ErrNotFound) {
		return err
	}
	if err != nil {
		var errs formErrors
		if !userFieldErr(&errs, err, func(f string) string { return f + "-" + name }) {
			return err
		}
		return p.renderAccountsForm(c, nil, &accountForm{errs: errs, target: name, typed: typedUser(in), typedAdd: in.addUnit})
	}
	return p.accountsBack(c, "#u-"+url.PathEscape(name), nil, "Saved "+name+".")
}

func (p *Pages) AccountReset(c echo.Context) error {
	name := c.Param("username")
	out, err := p.Accounts.Reset(c.Request().Context(), web.Actor(c), name)
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	return p.renderAccounts(c, &secretView{Title: "New one-time password for " + name, Value: out.Password})
}

func (p *Pages) AccountDelete(c echo.Context) error {
	name := c.Param("username")
	err := p.Accounts.Delete(c.Request().Context(), web.Actor(c), name)
	return p.accountsBack(c, "", err, "Deleted "+name+".")
}

func (p *Pages) TokenCreate(c echo.Context) error {
	t, secret, err := p.Accounts.CreateToken(c.Request().Context(), web.Actor(c), c.Param("username"), c.FormValue("name"), 0)
	if err != nil {
		return p.accountsBack(c, "", err, "")
	}
	return p.renderAccounts(c, &secretView{Title: "API token “" + t.Name + "” for " + t.Username, Value: secret})
}

func (p *Pages) TokenRevoke(c echo.Context) error {
	err := p.Accounts.RevokeToken(c.Request().Context(), web.Actor(c), "", c.Param("id"))
	return p.accountsBack(c, "", err, "Token revoked.")
}
