package api

import (
	"net/http"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Users lists every account (never password hashes).
func (s *Handler) Users(c echo.Context) error {
	us, err := s.Store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(us))
}

// userInput is the body of POST /users and PATCH /users/:username; in a
// PATCH only the fields present change.
type userInput struct {
	Username  string         `json:"username"`
	Password  *string        `json:"password"`
	Role      *training.Role `json:"role"`
	Email     *string        `json:"email"`
	Units     *[]string      `json:"units"`
	OfficerID *string        `json:"officer_id"`
	Disabled  *bool          `json:"disabled"`
}

func (in userInput) input() accounts.Input {
	return accounts.Input{Username: in.Username, Password: in.Password, Role: in.Role, Email: in.Email,
		Units: in.Units, OfficerID: in.OfficerID, Disabled: in.Disabled}
}

// UserCreated answers a create or reset; Password is shown this once when
// it was generated.
type UserCreated struct {
	User     training.User `json:"user"`
	Password string        `json:"password,omitempty"`
}

// UserCreate adds an account; without a password it generates a
// one-time password, returned once, that must be changed at first login.
func (s *Handler) UserCreate(c echo.Context) error {
	var in userInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	out, err := s.Accounts.Create(c.Request().Context(), web.Actor(c), in.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, UserCreated{User: out.User, Password: out.Password})
}

// UserUpdate changes role, email, units, officer link, disabled or
// password (accounts.Service.Update: nobody demotes or disables
// themselves).
func (s *Handler) UserUpdate(c echo.Context) error {
	var in userInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	out, err := s.Accounts.Update(c.Request().Context(), web.Actor(c), c.Param("username"), in.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// UserDelete removes an account with its sessions and tokens.
func (s *Handler) UserDelete(c echo.Context) error {
	if err := s.Accounts.Delete(c.Request().Context(), web.Actor(c), c.Param("username")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// UserReset sets a new one-time password, shown once.
func (s *Handler) UserReset(c echo.Context) error {
	out, err := s.Accounts.Reset(c.Request().Context(), web.Actor(c), c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, UserCreated{User: out.User, Password: out.Password})
}

// TokenInput is the body of POST /users/:username/tokens.
type TokenInput struct {
	Name string `json:"name"`
	// ExpiresInDays is 0 for a token that does not expire.
	ExpiresInDays int `json:"expires_in_days"`
}

// TokenCreated shows a new token's secret, this once.
type TokenCreated struct {
	Token  training.Token `json:"token"`
	Secret string         `json:"secret"`
}

// TokenCreate issues an API token for a user; only its hash is kept.
func (s *Handler) TokenCreate(c echo.Context) error {
	var in TokenInput
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	t, secret, err := s.Accounts.CreateToken(c.Request().Context(), web.Actor(c), c.Param("username"), in.Name, in.ExpiresInDays)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, TokenCreated{Token: t, Secret: secret})
}

// Tokens lists a user's tokens (without secrets).
func (s *Handler) Tokens(c echo.Context) error {
	ts, err := s.Store.Tokens(c.Request().Context(), c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(ts))
}

// TokenDelete revokes one of a user's tokens.
func (s *Handler) TokenDelete(c echo.Context) error {
	if err := s.Accounts.RevokeToken(c.Request().Context(), web.Actor(c), c.Param("username"), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
