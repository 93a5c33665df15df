package training

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// The account rules, in one place for the CLI (`muster users`), the API
// (/api/v1/users) and the web pages (/accounts).

// usernamePattern: 2 to 64 lower-case letters, digits, '.', '_', '-' or
// '@', starting with a letter or digit.
var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// NormalizeUsername is the form a username is stored and looked up in:
// trimmed and lower-case.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckUsername reports, as ErrInvalid, a username (already normalized)
// that breaks the rule.
func CheckUsername(name string) error {
	switch {
	case name == "":
		return FieldErrorf(KindInvalid, "username", "enter a username")
	case !usernamePattern.MatchString(name):
		return FieldErrorf(KindInvalid, "username", "the username must be 2 to 64 lower-case letters, digits, '.', '_', '-' or '@'")
	}
	return nil
}

// NormalizeEmail is the form a user's email is stored in: trimmed and
// lower-case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// CheckUserEmail reports, as ErrInvalid, an email (already normalized)
// that is not an address; "" (none) is allowed.
func CheckUserEmail(email string) error {
	if email != "" && !strings.Contains(email, "@") {
		return FieldErrorf(KindInvalid, "email", "email %q is not an address", email)
	}
	return nil
}

// ErrManagerSeesNothing is the rule that a manager needs a unit scope or
// an officer link: without either they would see nothing.
var ErrManagerSeesNothing = FieldErrorf(KindInvalid, "units", "a manager needs a unit or their own officer ID, or they would see nothing")

// CheckScope reports ErrManagerSeesNothing for a manager with neither
// units nor an officer link.
func (u User) CheckScope() error {
	if u.Role == RoleManager && len(u.Units) == 0 && u.OfficerID == "" {
		return ErrManagerSeesNothing
	}
	return nil
}

// TokenPrefix starts every API token's secret, so the server (and a
// secret scanner) can tell one from other credentials.
const TokenPrefix = "mst_"

// MaxTokenDays is the longest an API token may be made to last.
const MaxTokenDays = 3650

// SecretHash is how token secrets (and session IDs) are stored: both are
// 32 random bytes, so a fast hash is enough (no guessing to slow down).
func SecretHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NewToken mints an API token for username named name (what uses it),
// expiring after days (0: never), created at now. It returns the record
// to store, which holds only the secret's hash, and the secret, to be
// shown once.
func NewToken(username, name string, days int, now time.Time) (Token, string, error) {
	name = CleanText(name)
	if name == "" || len(name) > 100 {
		return Token{}, "", Invalidf("give the token a name of up to 100 characters (e.g. the system that uses it)")
	}
	if err := checkNoFormatChars("the token name", name); err != nil {
		return Token{}, "", err
	}
	if days < 0 || days > MaxTokenDays {
		return Token{}, "", Invalidf("the token's expiry must be between 0 (never) and %d days", MaxTokenDays)
	}
	raw := make([]byte, 32+8)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (Go 1.24+)
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:32])
	t := Token{ID: hex.EncodeToString(raw[32:]), Hash: SecretHash(secret), Name: name, Username: username, Created: now}
	if days > 0 {
		t.Expires = now.Add(time.Duration(days) * 24 * time.Hour)
	}
	return t, secret, nil
}
