package training_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

func TestCheckUsername(t *testing.T) {
	tests := []struct {
		in, norm string
		ok       bool
	}{
		{"j.smith", "j.smith", true},
		{"  J.Smith@Police.test ", "j.smith@police.test", true},
		{"ab", "ab", true},
		{"a", "a", false},
		{"", "", false},
		{"   ", "", false},
		{"a b", "a b", false},
		{".leading", ".leading", false},
		{"-x", "-x", false},
		{"o'brien", "o'brien", false},
		{"x_y-z.0@1", "x_y-z.0@1", true},
		{strings.Repeat("a", 64), strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), strings.Repeat("a", 65), false},
		{"ünïcode", "ünïcode", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			norm := training.NormalizeUsername(tt.in)
			if norm != tt.norm {
				t.Errorf("NormalizeUsername(%q) = %q, want %q", tt.in, norm, tt.norm)
			}
			err := training.CheckUsername(norm)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckUsername(%q) = %v, want ok=%v", norm, err, tt.ok)
			}
			if err != nil && !errors.Is(err, training.ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestCheckUserEmail(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{" A.Person@Police.TEST ", "a.person@police.test", true},
		{"nobody", "nobody", false},
	}
	for _, tt := range tests {
		got := training.NormalizeEmail(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := training.CheckUserEmail(got); (err == nil) != tt.ok || err != nil && !errors.Is(err, training.ErrInvalid) {
			t.Errorf("CheckUserEmail(%q) = %v, want ok=%v", got, err, tt.ok)
		}
	}
}

func TestUserCheckScope(t *testing.T) {
	tests := []struct {
		name string
		u    training.User
		ok   bool
	}{
		{"manager with a unit", training.User{Role: training.RoleManager, Units: []string{"Alpha"}}, true},
		{"manager with an officer link", training.User{Role: training.RoleManager, OfficerID: "L1"}, true},
		{"manager with neither", training.User{Role: training.RoleManager}, false},
		{"manager with an empty unit list", training.User{Role: training.RoleManager, Units: []string{}}, false},
		{"hr sees all without units", training.User{Role: training.RoleHR}, true},
		{"admin sees all without units", training.User{Role: training.RoleAdmin}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.u.CheckScope()
			if (err == nil) != tt.ok {
				t.Fatalf("CheckScope = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && (!errors.Is(err, training.ErrManagerSeesNothing) || !errors.Is(err, training.ErrInvalid)) {
				t.Errorf("error %v is not ErrManagerSeesNothing and ErrInvalid", err)
			}
		})
	}
}

func TestNewToken(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)
	tests := []struct {
		name    string
		in      string
		days    int
		ok      bool
		wantExp time.Time
	}{
		{"never expires", "learning platform", 0, true, time.Time{}},
		{"expires", "  lms\t", 30, true, now.Add(30 * 24 * time.Hour)},
		{"longest", "x", training.MaxTokenDays, true, now.Add(training.MaxTokenDays * 24 * time.Hour)},
		{"too long", "x", training.MaxTokenDays + 1, false, time.Time{}},
		{"negative", "x", -1, false, time.Time{}},
		{"no name", "  ", 0, false, time.Time{}},
		{"name too long", strings.Repeat("n", 101), 0, false, time.Time{}},
		{"name at the limit", strings.Repeat("n", 100), 0, true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, secret, err := training.NewToken("hr", tt.in, tt.days, now)
			if (err == nil) != tt.ok {
				t.Fatalf("NewToken = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, training.ErrInvalid) || secret != "" {
					t.Errorf("error %v (secret %q): want ErrInvalid and no secret", err, secret)
				}
				return
			}
			if !strings.HasPrefix(secret, training.TokenPrefix) || len(secret) != len(training.TokenPrefix)+43 {
				t.Errorf("secret %q: want %s and 32 random bytes in base64", secret, training.TokenPrefix)
			}
			if tok.Hash != training.SecretHash(secret) || strings.Contains(tok.Hash, secret) {
				t.Errorf("hash %q does not match the secret", tok.Hash)
			}
			if tok.Name != training.CleanText(tt.in) || tok.Username != "hr" || !tok.Created.Equal(now) || !tok.Expires.Equal(tt.wantExp) {
				t.Errorf("token %+v", tok)
			}
			if len(tok.ID) != 16 {
				t.Errorf("ID %q: want 16 hex digits", tok.ID)
			}
		})
	}
	a, sa, _ := training.NewToken("hr", "x", 0, now)
	b, sb, _ := training.NewToken("hr", "x", 0, now)
	if sa == sb || a.ID == b.ID {
		t.Error("two tokens share a secret or an ID")
	}
}
