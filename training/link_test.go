package training

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestOfficerLink(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	good := SignOfficerLink(secret, "12345", now.Add(time.Hour))
	if strings.ContainsAny(good, "+/=?&# ") {
		t.Fatalf("token %q is not URL-safe", good)
	}
	colon := SignOfficerLink(secret, "AB:C|D", now.Add(time.Hour))
	tampered := []byte(good)
	tampered[2] ^= 1
	tests := []struct {
		name   string
		secret []byte
		token  string
		now    time.Time
		want   string
	}{
		{"valid", secret, good, now, "12345"},
		{"id with separators", secret, colon, now, "AB:C|D"},
		{"expired", secret, good, now.Add(time.Hour), ""},
		{"other secret", []byte("another secret of sufficient len"), good, now, ""},
		{"empty secret", nil, good, now, ""},
		{"tampered payload", secret, string(tampered), now, ""},
		{"truncated signature", secret, good[:len(good)-2], now, ""},
		{"no dot", secret, "abc", now, ""},
		{"empty", secret, "", now, ""},
		{"garbage", secret, "!!.??", now, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := VerifyOfficerLink(tt.secret, tt.token, tt.now)
			if tt.want == "" {
				if !errors.Is(err, ErrForbidden) {
					t.Fatalf("got %q, %v; want ErrForbidden", id, err)
				}
				return
			}
			if err != nil || id != tt.want {
				t.Fatalf("got %q, %v; want %q", id, err, tt.want)
			}
		})
	}
}

// TestOfficerLinkScopesAndIssue: a link signed for one deployment does
// not open another's; v2 links carry their issue time for revocation.
func TestOfficerLinkScopesAndIssue(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	a, b := LinkKey(secret, "redis:force-a"), LinkKey(secret, "redis:force-b")
	tok := SignOfficerLinkAt(a, "1234", now.Add(-time.Hour), now.Add(time.Hour))
	if _, err := VerifyOfficerLink(b, tok, now); !errors.Is(err, ErrForbidden) {
		t.Fatalf("force A's link opened with force B's key: %v", err)
	}
	if _, err := VerifyOfficerLink(secret, tok, now); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a scoped link opened with the bare secret: %v", err)
	}
	l, err := ParseOfficerLink(a, tok, now)
	if err != nil || l.OfficerID != "1234" || !l.Issued.Equal(now.Add(-time.Hour)) {
		t.Fatalf("ParseOfficerLink: %+v %v", l, err)
	}
	if string(LinkKey(secret, "")) != string(secret) {
		t.Fatal("the default deployment's key changed (old links would break)")
	}
	for _, tt := range []struct {
		issued  time.Time
		setting string
		revoked bool
	}{
		{now, "", false},
		{now, strconv.FormatInt(now.Unix()-1, 10), false},
		{now, strconv.FormatInt(now.Unix(), 10), true},
		{time.Time{}, strconv.FormatInt(now.Unix(), 10), true},
		{now, "garbage", true},
	} {
		if got := LinkRevoked(tt.issued, tt.setting); got != tt.revoked {
			t.Errorf("LinkRevoked(%v, %q) = %v", tt.issued, tt.setting, got)
		}
	}
}
