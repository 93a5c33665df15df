package training

import (
	"slices"
	"time"
)

// Role decides what a user may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin   Role = "admin"   // everything, including accounts
	RoleHR      Role = "hr"      // uploads, courses, all units
	RoleManager Role = "manager" // read-only, within Units and their reporting line
	// RoleTrainer records classroom registers and sees only what that
	// needs: the names and units of the people they enter or pick.
	RoleTrainer Role = "trainer"
)

// Roles lists every role, from most to least powerful (for forms and help).
var Roles = []Role{RoleAdmin, RoleHR, RoleManager, RoleTrainer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// RecordsRegisters reports whether the role may record and withdraw
// classroom registers (trainers, HR and admins).
func (r Role) RecordsRegisters() bool { return r == RoleTrainer || r.SeesWholeForce() }

// SeesFigures reports whether the role may see compliance figures, officer
// lists and exports (everyone but trainers, who see only what recording
// a register needs).
func (r Role) SeesFigures() bool { return r.Valid() && r != RoleTrainer }

// SeesWholeForce reports whether the role sees every officer in every unit
// (admin and HR); a manager sees their units and reporting line only. The
// one statement of the rule: scopes, caches, menus and pages ask it.
func (r Role) SeesWholeForce() bool { return r == RoleAdmin || r == RoleHR }

// User is a person who logs in to the web service.
type User struct {
	Username string `json:"username"`
	// PasswordHash is an encoded argon2id hash; never shown.
	PasswordHash string `json:"-"`
	Role         Role   `json:"role"`
	Email        string `json:"email,omitempty"`
	// Units are the unit subtrees a manager may see.
	Units []string `json:"units,omitempty"`
	// OfficerID links a manager to their own roster entry, which adds
	// everyone reporting to them (through the line-manager column).
	OfficerID string    `json:"officer_id,omitempty"`
	Disabled  bool      `json:"disabled,omitempty"`
	Created   time.Time `json:"created"`
	// MustChangePassword is set for generated one-time passwords.
	MustChangePassword bool `json:"must_change_password,omitempty"`
	// PasswordChanged is when the password was last set: sessions that
	// began before it are no longer valid, so a reset signs the user out
	// everywhere.
	PasswordChanged time.Time `json:"password_changed"`
	// OIDC links the user to an account at an OpenID Connect provider
	// (single sign-on); zero for password-only users.
	OIDC OIDCLink `json:"oidc,omitzero"`
}

// OIDCLink names an account at an OpenID Connect provider: the pair
// (issuer, subject) is the only stable identifier of an end-user
// (OpenID Connect Core 1.0 §2, "sub": "locally unique and never
// reassigned within the Issuer"); names and emails can change.
type OIDCLink struct {
	Issuer  string `json:"issuer"`
	Subject string `json:"subject"`
}

// IsZero reports whether the link is unset.
func (l OIDCLink) IsZero() bool { return l.Issuer == "" && l.Subject == "" }

// SetPassword records a new password hash set at now; oneTime marks a
// generated password the user must replace at their next login.
func (u *User) SetPassword(hash string, oneTime bool, now time.Time) {
	u.PasswordHash = hash
	u.MustChangePassword = oneTime
	u.PasswordChanged = now
}

// OneTimeExpired reports whether u's password is a generated one-time
// password given out ttl or longer before now: it no longer signs in. It
// was given out when the password was last set (or, for an account
// created with it, when the account was created).
func (u User) OneTimeExpired(now time.Time, ttl time.Duration) bool {
	return u.MustChangePassword && !now.Before(u.OneTimeGiven().Add(ttl))
}

// OneTimeGiven is when u's one-time password was given out (meaningful
// only while MustChangePassword is set).
func (u User) OneTimeGiven() time.Time {
	if u.Created.After(u.PasswordChanged) {
		return u.Created
	}
	return u.PasswordChanged
}

// Session is a logged-in browser session. Only a hash of the cookie value is stored.
type Session struct {
	IDHash    string    `json:"id_hash"`
	Username  string    `json:"username"`
	CSRFToken string    `json:"csrf_token"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

// Token is an API token for scripts and learning platforms. Only a hash of
// the secret is stored.
type Token struct {
	ID       string    `json:"id"`
	Hash     string    `json:"-"`
	Name     string    `json:"name"`
	Username string    `json:"username"`
	Created  time.Time `json:"created"`
	// Expires is zero for a token that does not expire.
	Expires time.Time `json:"expires"`
}
