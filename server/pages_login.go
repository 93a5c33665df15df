package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/muster-police/muster/training"
)

type loginView struct{ Next, Username string }

// pageLogin is the sign-in form; POST /login (auth.go) checks it.
func (p *webPages) pageLogin(c echo.Context) error {
	next := localPath(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	if c.QueryParam("error") == "invalid" {
		p.addFlash(c, "error", "The username or password is wrong.")
	}
	return p.render(c, http.StatusOK, "login", "Sign in", loginView{Next: next})
}

// pagePassword is the change-password form (required after a reset).
func (p *webPages) pagePassword(c echo.Context) error {
	if u, ok := currentUser(c); ok && u.MustChangePassword {
		p.addFlash(c, "warn", "Choose a new password to replace the one-time password you were given.")
	}
	return p.render(c, http.StatusOK, "password", "Change password", struct{ Min int }{MinPasswordLength})
}

func (p *webPages) pagePasswordPost(c echo.Context) error {
	u, _ := currentUser(c)
	if c.FormValue("new_password") != c.FormValue("confirm_password") {
		return p.redirectFlash(c, "/account/password", "error", "The two new passwords are not the same.")
	}
	ctx := c.Request().Context()
	err := p.changePassword(ctx, u.Username, c.FormValue("old_password"), c.FormValue("new_password"))
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/account/password", "error", msg)
		}
		return err
	}
	// The change ended every session of this user, this one included:
	// carry on in a new one.
	if old := principalOf(c).session; old != nil {
		if err := p.store.DeleteSession(ctx, old.IDHash); err != nil && !errors.Is(err, training.ErrNotFound) {
			return err
		}
	}
	if u, err = p.store.User(ctx, u.Username); err != nil {
		return err
	}
	if _, err := p.startSession(c, u, p.now()); err != nil {
		return err
	}
	return p.redirectFlash(c, "/", "ok", "Your password has been changed; other devices have been signed out.")
}
