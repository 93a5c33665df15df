package training

import (
	"errors"
	"testing"
)

func TestCheckPreviewDecision(t *testing.T) {
	hr := User{Username: "hr", Role: RoleHR}
	admin := User{Username: "root", Role: RoleAdmin}
	for _, tc := range []struct {
		name   string
		u      User
		by     string
		cancel bool
		ok     bool
	}{
		{"the uploader confirms", hr, "hr", false, true},
		{"the uploader cancels", hr, "hr", true, true},
		{"another HR user confirms", hr, "hr2", false, false},
		{"another HR user cancels", hr, "hr2", true, false},
		{"an admin confirms someone else's", admin, "hr", false, false},
		{"an admin cancels someone else's", admin, "hr", true, true},
	} {
		err := CheckPreviewDecision(tc.u, tc.by, tc.cancel)
		if tc.ok && err != nil || !tc.ok && !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
