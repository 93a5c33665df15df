package accounts

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	// A cheap hash: these tests are about the rules, not argon2id.
	hash := func(_ context.Context, pw string) (string, error) { return "test$" + pw, nil }
	return &Service{Store: st, Now: func() time.Time { return now }, Hash: hash}
}

func ptr[T any](v T) *T { return &v }

// changes is the account_changed events, sorted, as "actor target detail"
// (the clock stands still, so their order is not kept).
func changes(t *testing.T, s *Service) []string {
	t.Helper()
	page, err := s.Store.Audit(t.Context(), training.AuditQuery{Action: training.AuditAccountChanged})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Events {
		out = append(out, e.Actor+" "+e.TargetID+" "+e.Detail)
	}
	slices.Sort(out)
	return out
}

func TestAccountLifecycle(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	ann := Actor{Username: "ann"}
	if out, err := s.FirstAdmin(ctx, ""); err != nil || out.Password == "" || !out.User.MustChangePassword {
		t.Fatalf("FirstAdmin = %+v, %v", out, err)
	}
	if out, err := s.FirstAdmin(ctx, ""); err != nil || out.User.Username != "" {
		t.Fatalf("a second FirstAdmin = %+v, %v; want nothing made", out, err)
	}
	made, err := s.Create(ctx, ann, Input{Username: " J.Smith ", Role: ptr(training.RoleHR), Email: ptr("J@X.example")})
	if err != nil || made.User.Username != "j.smith" || made.User.Email != "j@x.example" || made.Password == "" || !made.User.MustChangePassword {
		t.Fatalf("Create = %+v, %v", made, err)
	}
	if _, err := s.Create(ctx, ann, Input{Username: "j.smith", Role: ptr(training.RoleHR)}); training.KindOf(err) != training.KindConflict || training.FieldOf(err) != "username" {
		t.Errorf("a second j.smith: %v, want a conflict on the username", err)
	}
	if _, err := s.Update(ctx, ann, "j.smith", Input{Disabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reset(ctx, ann, "j.smith"); err != nil {
		t.Fatal(err)
	}
	tok, secret, err := s.CreateToken(ctx, ann, "j.smith", "lms", 30)
	if err != nil || secret == "" {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, ann, "admin", tok.ID); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("revoking j.smith's token as admin's: %v, want not found", err)
	}
	if err := s.RevokeToken(ctx, ann, "j.smith", tok.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, ann, "j.smith"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"system admin created role=admin (the first account)",
		"ann j.smith created role=hr",
		"ann j.smith updated role=hr disabled=true password=false",
		"ann j.smith password reset",
		"ann j.smith token created id=" + tok.ID,
		"ann j.smith token revoked id=" + tok.ID,
		"ann j.smith deleted",
	}
	slices.Sort(want)
	got := changes(t, s)
	if len(got) != len(want) {
		t.Fatalf("audit trail:\n%q\nwant\n%q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestSelfProtection(t *testing.T) {
	s := newService(t)
	ctx := t.Context()
	if _, err := s.FirstAdmin(ctx, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	admin := Actor{Username: "admin"}
	for _, in := range []Input{{Role: ptr(training.RoleHR)}, {Disabled: ptr(true)}} {
		if _, err := s.Update(ctx, admin, "admin", in); training.KindOf(err) != training.KindInvalid || training.FieldOf(err) != "role" {
			t.Errorf("admin changing themselves with %+v: %v, want invalid (role)", in, err)
		}
	}
	if err := s.Delete(ctx, admin, "admin"); training.KindOf(err) != training.KindInvalid {
		t.Errorf("admin deleting themselves: %v, want invalid", err)
	}
	u, err := s.Store.User(ctx, "admin")
	if err != nil || u.Role != training.RoleAdmin || u.Disabled {
		t.Errorf("admin after refused changes: %+v %v", u, err)
	}
	if got := changes(t, s); len(got) != 1 {
		t.Errorf("refused changes are in the audit trail: %q", got)
	}
}

func TestCreateRules(t *testing.T) {
	s := newService(t)
	tests := []struct {
		name  string
		in    Input
		field string
	}{
		{"bad username", Input{Username: "X Y", Role: ptr(training.RoleHR)}, "username"},
		{"no role", Input{Username: "xy"}, "role"},
		{"unknown role", Input{Username: "xy", Role: ptr(training.Role("boss"))}, "role"},
		{"bad email", Input{Username: "xy", Role: ptr(training.RoleHR), Email: ptr("nobody")}, "email"},
		{"manager who sees nothing", Input{Username: "xy", Role: ptr(training.RoleManager)}, "units"},
		{"short password", Input{Username: "xy", Role: ptr(training.RoleHR), Password: ptr("short")}, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Create(t.Context(), Actor{Username: "ann"}, tt.in)
			if training.KindOf(err) != training.KindInvalid || training.FieldOf(err) != tt.field {
				t.Errorf("Create: %v (field %q), want invalid on %q", err, training.FieldOf(err), tt.field)
			}
		})
	}
	if users, _ := s.Store.Users(t.Context()); len(users) != 0 {
		t.Errorf("refused accounts were stored: %+v", users)
	}
}

func TestChangeOwnPassword(t *testing.T) {
	s := newService(t)
	s.Hash, s.Check = nil, nil // the real argon2id, both ways
	ctx := t.Context()
	if _, err := s.FirstAdmin(ctx, "the first password"); err != nil {
		t.Fatal(err)
	}
	admin := Actor{Username: "admin"}
	if err := s.ChangeOwnPassword(ctx, admin, "not it", "a new long password"); training.FieldOf(err) != "old_password" {
		t.Errorf("a wrong current password: %v, want invalid on old_password", err)
	}
	if err := s.ChangeOwnPassword(ctx, admin, "the first password", "short"); training.FieldOf(err) != "new_password" {
		t.Errorf("a short new password: %v, want invalid on new_password", err)
	}
	if err := s.ChangeOwnPassword(ctx, admin, "the first password", "a new long password"); err != nil {
		t.Fatal(err)
	}
	u, err := s.Store.User(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPassword("a new long password", u.PasswordHash); !ok || err != nil || u.MustChangePassword {
		t.Errorf("after the change: ok=%v err=%v must change=%v", ok, err, u.MustChangePassword)
	}
	if got := changes(t, s); !slices.Contains(got, "admin admin own password changed") {
		t.Errorf("the change is not in the audit trail: %q", got)
	}
}
