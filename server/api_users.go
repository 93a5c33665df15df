package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// apiUsers lists every account (never password hashes).
func (s *Server) apiUsers(c echo.Context) error {
	us, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(us))
}

// userInput is the body of POST /users and PATCH /users/:username; in a
// PATCH only the fields present change.
type userInput struct {
	Username string         `json:"username"`
	Password *string        `json:"password"`
	Role     *training.Role `json:"role"`
	Email    *string        `json:"email"`
	Units    *[]string      `json:"units"`
	// addUnit is the unit a web form's "add a unit" field held (in Units too).
	addUnit   string
	OfficerID *string `json:"officer_id"`
	Disabled  *bool   `json:"disabled"`
}

// userCreated answers a create or reset; Password is shown this once when
// it was generated.
type userCreated struct {
	User     training.User `json:"user"`
	Password string        `json:"password,omitempty"`
}

// apply sets the fields given on u; ds is the roster the unit scopes are
// checked against (training.CheckUnits, as in the CLI and the pages).
func (in userInput) apply(u *training.User, ds *training.Dataset) error {
	if in.Role != nil {
		if !in.Role.Valid() {
			return fmt.Errorf("%w: role must be admin, hr or manager", training.ErrInvalid)
		}
		u.Role = *in.Role
	}
	if in.Email != nil {
		u.Email = training.NormalizeEmail(*in.Email)
		if err := training.CheckUserEmail(u.Email); err != nil {
			return err
		}
	}
	if in.Units != nil {
		units, err := training.CheckUnits(ds, *in.Units)
		if err != nil {
			return err
		}
		u.Units = units
	}
	if in.OfficerID != nil {
		u.OfficerID = training.NormalizeID(*in.OfficerID)
	}
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	if in.Role != nil || in.Units != nil || in.OfficerID != nil {
		// The CLI's rule too: a manager needs a unit or an officer link.
		return u.CheckScope()
	}
	return nil
}

// apiUserCreate adds an account; without a password it generates a
// one-time password, returned once, that must be changed at first login.
func (s *Server) apiUserCreate(c echo.Context) error {
	var in userInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u := training.User{Username: training.NormalizeUsername(in.Username), Created: s.now()}
	if err := training.CheckUsername(u.Username); err != nil {
		return err
	}
	if in.Role == nil {
		return fmt.Errorf("%w: role is required (admin, hr or manager)", training.ErrInvalid)
	}
	ds, err := s.dataset(c.Request().Context())
	if err != nil {
		return err
	}
	if err := in.apply(&u, ds); err != nil {
		return err
	}
	shown := ""
	password := ""
	if in.Password != nil {
		password = *in.Password
	} else {
		password = GeneratePassword()
		shown = password
		u.MustChangePassword = true
	}
	if len(password) < MinPasswordLength {
		return fmt.Errorf("%w: the password must have at least %d characters", training.ErrInvalid, MinPasswordLength)
	}
	hash, err := s.hashPassword(c.Request().Context(), password)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := s.store.CreateUser(c.Request().Context(), u); err != nil {
		if errors.Is(err, training.ErrConflict) {
			return fmt.Errorf("%w: a user named %q already exists", training.ErrConflict, u.Username)
		}
		return err
	}
	s.audit(c, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "created role="+string(u.Role))
	return c.JSON(http.StatusCreated, userCreated{User: u, Password: shown})
}

// apiUserUpdate changes role, email, units, officer link, disabled or
// password. An admin cannot demote or disable themselves (so there is
// always someone who can manage accounts).
func (s *Server) apiUserUpdate(c echo.Context) error {
	var in userInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	name := c.Param("username")
	me, _ := currentUser(c)
	if name == me.Username && (in.Role != nil && *in.Role != training.RoleAdmin || in.Disabled != nil && *in.Disabled) {
		return fmt.Errorf("%w: you cannot remove your own admin rights or disable yourself", training.ErrInvalid)
	}
	if in.Username != "" && in.Username != name {
		return fmt.Errorf("%w: usernames cannot be changed", training.ErrInvalid)
	}
	hash := ""
	if in.Password != nil {
		if len(*in.Password) < MinPasswordLength {
			return fmt.Errorf("%w: the password must have at least %d characters", training.ErrInvalid, MinPasswordLength)
		}
		var err error
		if hash, err = s.hashPassword(c.Request().Context(), *in.Password); err != nil {
			return err
		}
	}
	ds, err := s.dataset(c.Request().Context())
	if err != nil {
		return err
	}
	var out training.User
	err = s.store.UpdateUser(c.Request().Context(), name, func(u *training.User) error {
		if err := in.apply(u, ds); err != nil {
			return err
		}
		if hash != "" {
			u.SetPassword(hash, false, s.now())
		}
		out = *u
		return nil
	})
	if err != nil {
		return err
	}
	if out.Disabled {
		// Disabling ends every session and token: re-enabling the account
		// later must not bring them back.
		if err := s.revokeCredentials(c.Request().Context(), name); err != nil {
			return err
		}
	}
	s.audit(c, training.AuditAccountChanged, training.TargetUser, name, training.AuditOK, fmt.Sprintf("updated role=%s disabled=%t password=%t", out.Role, out.Disabled, hash != ""))
	return c.JSON(http.StatusOK, out)
}

// apiUserDelete removes an account with its sessions and tokens.
func (s *Server) apiUserDelete(c echo.Context) error {
	name := c.Param("username")
	if me, _ := currentUser(c); me.Username == name {
		return fmt.Errorf("%w: you cannot delete your own account", training.ErrInvalid)
	}
	if err := s.store.DeleteUser(c.Request().Context(), name); err != nil {
		return err
	}
	s.audit(c, training.AuditAccountChanged, training.TargetUser, name, training.AuditOK, "deleted")
	return c.NoContent(http.StatusNoContent)
}

// apiUserReset sets a new one-time password, shown once.
func (s *Server) apiUserReset(c echo.Context) error {
	password := GeneratePassword()
	hash, err := s.hashPassword(c.Request().Context(), password)
	if err != nil {
		return err
	}
	var out training.User
	err = s.store.UpdateUser(c.Request().Context(), c.Param("username"), func(u *training.User) error {
		u.SetPassword(hash, true, s.now())
		out = *u
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.revokeCredentials(c.Request().Context(), out.Username); err != nil {
		return err
	}
	s.audit(c, training.AuditAccountChanged, training.TargetUser, out.Username, training.AuditOK, "password reset")
	return c.JSON(http.StatusOK, userCreated{User: out, Password: password})
}

// tokenInput is the body of POST /users/:username/tokens.
type tokenInput struct {
	Name string `json:"name"`
	// ExpiresInDays is 0 for a token that does not expire.
	ExpiresInDays int `json:"expires_in_days"`
}

// tokenCreated shows a new token's secret, this once.
type tokenCreated struct {
	Token  training.Token `json:"token"`
	Secret string         `json:"secret"`
}

// apiTokenCreate issues an API token for a user; only its hash is kept.
func (s *Server) apiTokenCreate(c echo.Context) error {
	var in tokenInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	t, secret, err := training.NewToken(c.Param("username"), in.Name, in.ExpiresInDays, s.now())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.store.User(ctx, c.Param("username"))
	if err != nil {
		return err
	}
	t.Username = u.Username
	if err := s.store.CreateToken(ctx, t); err != nil {
		return err
	}
	s.audit(c, training.AuditAccountChanged, training.TargetUser, u.Username, training.AuditOK, "token created id="+t.ID)
	return c.JSON(http.StatusCreated, tokenCreated{Token: t, Secret: secret})
}

// apiTokens lists a user's tokens (without secrets).
func (s *Server) apiTokens(c echo.Context) error {
	ts, err := s.store.Tokens(c.Request().Context(), c.Param("username"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(ts))
}

// apiTokenDelete revokes one of a user's tokens.
func (s *Server) apiTokenDelete(c echo.Context) error {
	ctx := c.Request().Context()
	ts, err := s.store.Tokens(ctx, c.Param("username"))
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.ID == c.Param("id") {
			if err := s.store.DeleteToken(ctx, t.ID); err != nil {
				return err
			}
			s.audit(c, training.AuditAccountChanged, training.TargetUser, t.Username, training.AuditOK, "token revoked id="+t.ID)
			return c.NoContent(http.StatusNoContent)
		}
	}
	return fmt.Errorf("%w: this user has no token with that ID", training.ErrNotFound)
}
