package accounts

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/muster-police/muster/training"
)

// ErrNoAccess is a person who signed in at the identity provider but has
// no role here (yet): no session, and an administrator must give one.
var ErrNoAccess = training.Errorf(training.KindForbidden, "signed in, but no role here yet")

// SignOn is what single sign-on learnt about a person from the identity
// provider.
type SignOn struct {
	Link training.OIDCLink
	// Username is the preferred_username claim, else the email claim.
	Username string
	Email    string
	// MapRoles is true when roles come from the provider's groups (a role
	// map is set); Role and Units are then the mapped grant ("" when no
	// group maps to one). Otherwise administrators give roles here.
	MapRoles bool
	Role     training.Role
	Units    []string
}

// SignOnUser finds the account linked to in.Link, or creates it, and
// applies the role mapping. A new account and a changed role are
// account_changed events in the audit trail, by the person signing in.
// It refuses (KindUnauthenticated) an unusable username, an account of
// that name made here another way, and a disabled account; ErrNoAccess
// comes with the user when they have no role.
func (s *Service) SignOnUser(ctx context.Context, requestID string, in SignOn) (training.User, error) {
	apply := func(u *training.User) {
		if in.MapRoles {
			u.Role, u.Units = in.Role, in.Units
		}
	}
	users, err := s.Store.Users(ctx)
	if err != nil {
		return training.User{}, err
	}
	// Accounts are few (staff, not officers): a scan is enough.
	i := slices.IndexFunc(users, func(u training.User) bool { return u.OIDC == in.Link })
	var u training.User
	switch {
	case i >= 0 && !in.MapRoles:
		u = users[i]
	case i >= 0:
		before := users[i]
		err = s.Store.UpdateUser(ctx, before.Username, func(x *training.User) error {
			apply(x)
			u = *x
			return nil
		})
		if err != nil {
			return training.User{}, err
		}
		if u.Role != before.Role || !slices.Equal(u.Units, before.Units) {
			s.audit(ctx, Actor{Username: u.Username, RequestID: requestID}, u.Username, "role changed by single sign-on role="+string(u.Role))
		}
	default:
		name := training.NormalizeUsername(in.Username)
		if training.CheckUsername(name) != nil {
			return training.User{}, training.Errorf(training.KindUnauthenticated, "the identity provider gave no usable username (preferred_username or email: 2-64 letters, digits, '.', '_', '-' or '@'); ask an administrator")
		}
		email := in.Email
		if !strings.Contains(email, "@") {
			email = ""
		}
		u = training.User{Username: name, Email: strings.ToLower(email), OIDC: in.Link, Created: s.Now()}
		apply(&u)
		err := s.Store.CreateUser(ctx, u)
		if errors.Is(err, training.ErrConflict) {
			// Never take over an account made here by another route.
			return training.User{}, training.Errorf(training.KindUnauthenticated, "an account named %q already exists here and is not linked to single sign-on; ask an administrator", name)
		}
		if err != nil {
			return training.User{}, err
		}
		s.audit(ctx, Actor{Username: u.Username, RequestID: requestID}, u.Username, "created by single sign-on role="+string(u.Role))
		if s.Log != nil {
			s.Log.Info("oidc: account created on first sign-in", "mapped_role", string(u.Role))
		}
	}
	if u.Disabled {
		return training.User{}, training.Errorf(training.KindUnauthenticated, "this account is disabled")
	}
	if !u.Role.Valid() {
		return u, ErrNoAccess
	}
	return u, nil
}
