package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/training"
)

type loginView struct {
	Next, Username string
	// SSOURL and SSOName offer single sign-on ("" when it is off);
	// PasswordOff says password sign-in is kept for the break-glass
	// administrator only.
	SSOURL, SSOName string
	PasswordOff     bool
}

// Login is the sign-in form; POST /login (server/login.go) checks it.
func (p *Pages) Login(c echo.Context) error {
	next := web.LocalPath(c.QueryParam("next"))
	if _, ok := web.CurrentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	var errs formErrors
	view := loginView{Next: next, SSOURL: p.oidcLoginURL(next), PasswordOff: p.Cfg.PasswordLoginOff}
	view.SSOName = p.ssoName
	if c.QueryParam("error") == "password_off" {
		errs = formErrors{{Field: "username", Message: web.PasswordOffMessage}}
	}
	if c.QueryParam("error") == "invalid" {
		view.Username = p.kept(c, "username")
		errs.add("username", loginWrong)
		if view.Username == "" {
			errs = formErrors{{Field: "username", Message: "Enter your username and password."}}
		}
	}
	return p.renderForm(c, "login", "Sign in", errs, view)
}

// loginWrong never says which of the two was wrong.
const loginWrong = "The username or password is wrong. Check both and try again."

// RenderLoginFailed answers a failed sign-in: back to the form (303, as
// before), which shows the error linked to the field and the username kept
// (carried in the signed flash cookie, never in the URL).
func (p *Pages) RenderLoginFailed(c echo.Context, next, username string) error {
	p.keep(c, "username", username)
	return c.Redirect(http.StatusSeeOther, "/login?error=invalid&next="+url.QueryEscape(web.LocalPath(next)))
}

// Password is the change-password form (required after a reset).
func (p *Pages) Password(c echo.Context) error {
	if u, ok := web.CurrentUser(c); ok && u.MustChangePassword {
		p.addFlash(c, "warn", "Choose a new password to replace the one-time password you were given.")
	}
	return p.render(c, http.StatusOK, "password", "Change password", struct{ Min int }{accounts.MinPasswordLength})
}

func (p *Pages) PasswordPost(c echo.Context) error {
	u, _ := web.CurrentUser(c)
	var errs formErrors
	switch {
	case c.FormValue("old_password") == "":
		errs.add("old_password", "Enter your current password.")
	case len([]rune(c.FormValue("new_password"))) < accounts.MinPasswordLength:
		errs.add("new_password", fmt.Sprintf("Enter a new password of at least %d characters.", accounts.MinPasswordLength))
	case c.FormValue("new_password") != c.FormValue("confirm_password"):
		errs.add("confirm_password", "The two new passwords are not the same. Type the new password again.")
	}
	ctx := c.Request().Context()
	if len(errs) == 0 {
		if err := p.Accounts.ChangeOwnPassword(ctx, web.Actor(c), c.FormValue("old_password"), c.FormValue("new_password")); err != nil {
			if !errs.addErr(web.OrDefault(training.FieldOf(err), "old_password"), err) {
				return err
			}
		}
	}
	if len(errs) > 0 {
		// Passwords are never sent back into the page.
		return p.renderForm(c, "password", "Change password", errs, struct{ Min int }{accounts.MinPasswordLength})
	}
	// The change ended every session of this user, this one included:
	// carry on in a new one.
	if old := web.PrincipalOf(c).Session; old != nil {
		if err := p.Store.DeleteSession(ctx, old.IDHash); err != nil && !errors.Is(err, training.ErrNotFound) {
			return err
		}
	}
	u, err := p.Store.User(ctx, u.Username)
	if err != nil {
		return err
	}
	if _, err := p.startSession(c, u, p.Now()); err != nil {
		return err
	}
	return p.redirectFlash(c, "/", "ok", "Your password has been changed; other devices have been signed out.")
}
