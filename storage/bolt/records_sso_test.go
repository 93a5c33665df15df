package bolt

import (
	"testing"

	"github.com/muster-police/muster/training"
)

// TestUserRecordBeforeSSO: a user record written before single sign-on
// (no oidc_* fields) still decodes, as a password-only user.
func TestUserRecordBeforeSSO(t *testing.T) {
	old := `{"v":1,"username":"amir","password_hash":"$argon2id$x","role":"admin","created":"2026-01-02T03:04:05Z","password_changed":"2026-01-02T03:04:05Z"}`
	var r userRec
	if err := decodeJSON([]byte(old), &r, "user"); err != nil {
		t.Fatal(err)
	}
	u := r.domain()
	if u.Username != "amir" || u.Role != training.RoleAdmin || !u.OIDC.IsZero() {
		t.Fatalf("old record decoded as %+v", u)
	}
	// And a linked user's record keeps the link.
	u.OIDC = training.OIDCLink{Issuer: "https://idp.example", Subject: "s1"}
	if got := roundTrip(t, toUserRec(u)).domain(); got.OIDC != u.OIDC {
		t.Fatalf("link lost: %+v", got.OIDC)
	}
}
