// Package accounts is the one home of the account use cases: create an
// account, change it, reset its password, make and revoke API tokens,
// delete it, the first admin and the accounts single sign-on makes. The
// CLI (`muster users`), the API (/api/v1/users), the web pages (/accounts)
// and single sign-on all call it; it applies the rules of training (user
// names, scopes, the self-protection rules) and writes the
// account_changed audit event, so no edge can forget one.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/muster-police/muster/training"
)

// Service carries out account changes against Store.
type Service struct {
	Store training.Store
	// Now is the clock.
	Now func() time.Time
	// Hash hashes a password; nil is HashPassword. The server passes its
	// own, which bounds how many run at once.
	Hash func(ctx context.Context, password string) (string, error)
	// Check checks a password against a hash; nil is CheckPassword. The
	// server passes its own, through the same bound.
	Check func(ctx context.Context, password, encoded string) (bool, error)
	// Log receives audit events that could not be recorded (never their
	// content).
	Log *slog.Logger
}

// Actor is who asks for a change, as the audit trail names them.
type Actor struct {
	Username  string // the signed-in user, "cli:NAME", or "system"
	RequestID string // the HTTP request's ID, or ""
}

// System is the actor for what the service does by itself (the first
// admin).
var System = Actor{Username: "system"}

// Input is what to set on an account; nil fields are left as they are
// (all of them are set on a new account that names them).
type Input struct {
	Username  string
	Password  *string // nil on a new account: a one-time password is generated
	Role      *training.Role
	Email     *string
	Units     *[]string
	OfficerID *string
	Disabled  *bool
}

// Created is a new account, with its one-time password when one was
// generated ("" when the caller gave the password): shown once.
type Created struct {
	User     training.User
	Password string
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if s.Hash != nil {
		return s.Hash(ctx, password)
	}
	return HashPassword(password)
}

// audit records an account change. A failure to record is logged and does
// not fail the change, which has already happened; the request being
// cancelled just after the change does not stop the record.
func (s *Service) audit(ctx context.Context, by Actor, target, detail string) {
	actor := by.Username
	if actor == "" {
		actor = "anonymous"
	}
	e := training.NewAuditEvent(s.Now(), actor, training.AuditAccountChanged, training.TargetUser, target, training.AuditOK, detail)
	e.RequestID = by.RequestID
	if err := s.Store.AppendAudit(context.WithoutCancel(ctx), e); err != nil && s.Log != nil {
		s.Log.Error("audit: event not recorded", "action", string(training.AuditAccountChanged), "request_id", by.RequestID, "err", err)
	}
}

// apply sets in's fields on u; ds is the roster unit scopes are checked
// against.
func (in Input) apply(u *training.User, ds *training.Dataset) error {
	if in.Role != nil {
		if !in.Role.Valid() {
			return training.FieldErrorf(training.KindInvalid, "role", "role must be admin, hr, manager or trainer")
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
		// A manager needs a unit or an officer link.
		return u.CheckScope()
	}
	return nil
}

func (s *Service) check(ctx context.Context, password, encoded string) (bool, error) {
	if s.Check != nil {
		return s.Check(ctx, password, encoded)
	}
	return CheckPassword(password, encoded)
}

// ChangeOwnPassword sets by's password after checking their current one
// (the change-password page); it clears MustChangePassword. A wrong
// current password is invalid on field "old_password".
func (s *Service) ChangeOwnPassword(ctx context.Context, by Actor, oldPassword, newPassword string) error {
	if len(newPassword) < MinPasswordLength {
		return training.FieldErrorf(training.KindInvalid, "new_password", "the new password must have at least %d characters", MinPasswordLength)
	}
	wrong := training.FieldErrorf(training.KindInvalid, "old_password", "the current password is wrong")
	// Check the current password first (outside the store's write lock),
	// then hash the new one.
	cur, err := s.Store.User(ctx, by.Username)
	if err != nil {
		return err
	}
	ok, err := s.check(ctx, oldPassword, cur.PasswordHash)
	if training.KindOf(err) == training.KindBusy {
		return err
	}
	if !ok {
		return wrong
	}
	hash, err := s.hash(ctx, newPassword)
	if err != nil {
		return err
	}
	err = s.Store.UpdateUser(ctx, by.Username, func(u *training.User) error {
		if u.PasswordHash != cur.PasswordHash {
			// Changed meanwhile: the password checked is no longer the current one.
			return wrong
		}
		u.SetPassword(hash, false, s.Now())
		return nil
	})
	if err != nil {
		return err
	}
	s.audit(ctx, by, by.Username, "own password changed")
	return nil
}

// CheckPasswordLength refuses a password shorter than MinPasswordLength.
func CheckPasswordLength(password string) error {
	if len(password) < MinPasswordLength {
		return training.FieldErrorf(training.KindInvalid, "password", "the password must have at least %d characters", MinPasswordLength)
	}
	return nil
}

// Create adds an account. Without a password it generates a one-time
// password that must be changed at first sign-in.
func (s *Service) Create(ctx context.Context, by Actor, in Input) (Created, error) {
	u := training.User{Username: training.NormalizeUsername(in.Username), Created: s.Now()}
	if err := training.CheckUsername(u.Username); err != nil {
		return Created{}, err
	}
	if in.Role == nil {
		return Created{}, training.FieldErrorf(training.KindInvalid, "role", "role is required (admin, hr, manager or trainer)")
	}
	ds, err := s.Store.Dataset(ctx)
	if err != nil {
		return Created{}, err
	}
	if err := in.apply(&u, ds); err != nil {
		return Created{}, err
	}
	var out Created
	password := ""
	if in.Password != nil {
		password = *in.Password
	} else {
		password = GeneratePassword()
		out.Password = password
		u.MustChangePassword = true
	}
	if err := CheckPasswordLength(password); err != nil {
		return Created{}, err
	}
	if u.PasswordHash, err = s.hash(ctx, password); err != nil {
		return Created{}, err
	}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, training.ErrConflict) {
			return Created{}, training.FieldErrorf(training.KindConflict, "username", "there is already a user %q; choose another username", u.Username)
		}
		return Created{}, err
	}
	s.audit(ctx, by, u.Username, "created role="+string(u.Role))
	out.User = u
	return out, nil
}

// CheckSelf is the self-protection rule: nobody removes their own admin
// rights or disables themselves, so there is always someone who can
// manage accounts.
func CheckSelf(by Actor, username string, in Input) error {
	if username == by.Username && (in.Role != nil && *in.Role != training.RoleAdmin || in.Disabled != nil && *in.Disabled) {
		return training.FieldErrorf(training.KindInvalid, "role", "you cannot remove your own admin rights or disable yourself")
	}
	return nil
}

// Update changes role, email, units, officer link, disabled or password.
// Disabling ends every session and token, so re-enabling the account
// later brings none back.
func (s *Service) Update(ctx context.Context, by Actor, username string, in Input) (training.User, error) {
	if err := CheckSelf(by, username, in); err != nil {
		return training.User{}, err
	}
	if in.Username != "" && in.Username != username {
		return training.User{}, training.FieldErrorf(training.KindInvalid, "username", "usernames cannot be changed")
	}
	hash := ""
	if in.Password != nil {
		if err := CheckPasswordLength(*in.Password); err != nil {
			return training.User{}, err
		}
		var err error
		if hash, err = s.hash(ctx, *in.Password); err != nil {
			return training.User{}, err
		}
	}
	ds, err := s.Store.Dataset(ctx)
	if err != nil {
		return training.User{}, err
	}
	var out training.User
	err = s.Store.UpdateUser(ctx, username, func(u *training.User) error {
		if err := in.apply(u, ds); err != nil {
			return err
		}
		if hash != "" {
			u.SetPassword(hash, false, s.Now())
		}
		out = *u
		return nil
	})
	if err != nil {
		return training.User{}, err
	}
	if out.Disabled {
		if err := s.revoke(ctx, username); err != nil {
			return training.User{}, err
		}
	}
	s.audit(ctx, by, username, fmt.Sprintf("updated role=%s disabled=%t password=%t", out.Role, out.Disabled, hash != ""))
	return out, nil
}

func (s *Service) revoke(ctx context.Context, username string) error {
	if err := s.Store.RevokeCredentials(ctx, username); err != nil {
		return fmt.Errorf("revoke sessions and tokens: %w", err)
	}
	return nil
}

// Reset gives an account a new one-time password (returned, to be shown
// once) and ends its sessions and API tokens.
func (s *Service) Reset(ctx context.Context, by Actor, username string) (Created, error) {
	password := GeneratePassword()
	hash, err := s.hash(ctx, password)
	if err != nil {
		return Created{}, err
	}
	var out training.User
	err = s.Store.UpdateUser(ctx, username, func(u *training.User) error {
		u.SetPassword(hash, true, s.Now())
		out = *u
		return nil
	})
	if err != nil {
		return Created{}, err
	}
	if err := s.revoke(ctx, out.Username); err != nil {
		return Created{}, err
	}
	s.audit(ctx, by, out.Username, "password reset")
	return Created{User: out, Password: password}, nil
}

// Delete removes an account with its sessions and tokens; nobody deletes
// their own.
func (s *Service) Delete(ctx context.Context, by Actor, username string) error {
	if username == by.Username {
		return training.Invalidf("you cannot delete your own account")
	}
	if err := s.Store.DeleteUser(ctx, username); err != nil {
		return err
	}
	s.audit(ctx, by, username, "deleted")
	return nil
}

// CreateToken makes an API token for username named name, expiring after
// days (0: never). Only its hash is kept; the secret is returned, to be
// shown once.
func (s *Service) CreateToken(ctx context.Context, by Actor, username, name string, days int) (training.Token, string, error) {
	t, secret, err := training.NewToken(username, name, days, s.Now())
	if err != nil {
		return training.Token{}, "", err
	}
	u, err := s.Store.User(ctx, username)
	if err != nil {
		return training.Token{}, "", err
	}
	t.Username = u.Username
	if err := s.Store.CreateToken(ctx, t); err != nil {
		return training.Token{}, "", err
	}
	s.audit(ctx, by, u.Username, "token created id="+t.ID)
	return t, secret, nil
}

// RevokeToken revokes the token with that ID; when username is not ""
// the token must be theirs.
func (s *Service) RevokeToken(ctx context.Context, by Actor, username, id string) error {
	if username != "" {
		ts, err := s.Store.Tokens(ctx, username)
		if err != nil {
			return err
		}
		found := false
		for _, t := range ts {
			found = found || t.ID == id
		}
		if !found {
			return training.NotFoundf("this user has no token with that ID")
		}
	}
	if err := s.Store.DeleteToken(ctx, id); err != nil {
		return err
	}
	s.audit(ctx, by, username, "token revoked id="+id)
	return nil
}

// FirstAdmin creates the "admin" account on a store without users, with
// password, or a generated one-time password when password is "". It
// returns what it created, or a zero Created when there were users
// already (or another replica made the admin first).
func (s *Service) FirstAdmin(ctx context.Context, password string) (Created, error) {
	users, err := s.Store.Users(ctx)
	if err != nil || len(users) > 0 {
		return Created{}, err
	}
	generated := password == ""
	if generated {
		password = GeneratePassword()
	} else if len(password) < MinPasswordLength {
		return Created{}, fmt.Errorf("MUSTER_ADMIN_PASSWORD must have at least %d characters", MinPasswordLength)
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return Created{}, err
	}
	u := training.User{Username: "admin", PasswordHash: hash, Role: training.RoleAdmin, Created: s.Now(), MustChangePassword: generated}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, training.ErrConflict) {
			return Created{}, nil // another replica created it first
		}
		return Created{}, err
	}
	s.audit(ctx, System, u.Username, "created role=admin (the first account)")
	out := Created{User: u}
	if generated {
		out.Password = password
	}
	return out, nil
}
