package training

import (
	"errors"
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
