package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
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
	err := p.changePassword(c.Request().Context(), u.Username, c.FormValue("old_password"), c.FormValue("new_password"))
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/account/password", "error", msg)
		}
		return err
	}
	return p.redirectFlash(c, "/", "ok", "Your password has been changed.")
}
