package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var accountTests = []test{
	{"Users", testUsers},
	{"UpdateUser", testUpdateUser},
	{"UpdateUserConcurrent", testUpdateUserConcurrent},
	{"DeleteUser", testDeleteUser},
	{"Sessions", testSessions},
	{"TouchSession", testTouchSession},
	{"TouchSessionNeverRecreates", testTouchSessionNeverRecreates},
	{"RevokeCredentials", testRevokeCredentials},
	{"Tokens", testTokens},
}

func user(name string, role training.Role) training.User {
	return training.User{Username: name, PasswordHash: "$argon2id$v=19$" + name, Role: role,
		Email: name + "@police.example", Units: []string{"North"}, OfficerID: "12", Created: t0,
		MustChangePassword: true, PasswordChanged: t0.Add(time.Hour)}
}

func testUsers(t *testing.T, s training.Store) {
	users := []training.User{user("zoe", training.RoleManager), user("amir", training.RoleAdmin), user("hr1", training.RoleHR)}
	// A user who signs in through OpenID Connect keeps the link to the
	// provider's account (single sign-on finds them by it).
	users[2].OIDC = training.OIDCLink{Issuer: "https://login.example/tenant/v2.0", Subject: "AAAA-sub-1"}
	for _, u := range users {
		check(t, s.CreateUser(ctx(t), u))
	}
	dup := user("amir", training.RoleManager)
	wantErr(t, "CreateUser of an existing username", s.CreateUser(ctx(t), dup), training.ErrConflict)
	got, err := s.User(ctx(t), "amir")
	check(t, err)
	equal(t, "User(amir) keeps the password hash", got, users[1])
	_, err = s.User(ctx(t), "nobody")
	wantErr(t, "User(missing)", err, training.ErrNotFound)
	list, err := s.Users(ctx(t))
	check(t, err)
	equal(t, "Users sorted", list, []training.User{users[1], users[2], users[0]})
}

var errStop = errors.New("stop")

func testUpdateUser(t *testing.T, s training.Store) {
	u := user("amir", training.RoleHR)
	check(t, s.CreateUser(ctx(t), u))
	check(t, s.UpdateUser(ctx(t), "amir", func(u *training.User) error {
		u.Role, u.Disabled, u.MustChangePassword = training.RoleAdmin, true, false
		return nil
	}))
	err := s.UpdateUser(ctx(t), "amir", func(u *training.User) error {
		u.Role = training.RoleManager
		return errStop
	})
	wantErr(t, "UpdateUser with a failing fn", err, errStop)
	got, err := s.User(ctx(t), "amir")
	check(t, err)
	u.Role, u.Disabled, u.MustChangePassword = training.RoleAdmin, true, false
	equal(t, "user after updates", got, u)
	err = s.UpdateUser(ctx(t), "nobody", func(*training.User) error { return nil })
	wantErr(t, "UpdateUser(missing)", err, training.ErrNotFound)
}

func testUpdateUserConcurrent(t *testing.T, s training.Store) {
	u := user("amir", training.RoleManager)
	u.Units = nil
	check(t, s.CreateUser(ctx(t), u))
	const n = 10
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.UpdateUser(ctx(t), "amir", func(u *training.User) error {
				u.Units = append(u.Units, fmt.Sprintf("unit %02d", i))
				return nil
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		check(t, err)
	}
	got, err := s.User(ctx(t), "amir")
	check(t, err)
	slices.Sort(got.Units)
	want := make([]string, n)
	for i := range want {
		want[i] = fmt.Sprintf("unit %02d", i)
	}
	equal(t, "units after concurrent updates", got.Units, want)
}

func session(hash, username string) training.Session {
	return training.Session{IDHash: hash, Username: username, CSRFToken: "csrf-" + hash,
		Created: t0, Expires: t0.Add(8 * time.Hour)}
}

func token(id, username string, minutes int) training.Token {
	return training.Token{ID: id, Hash: "hash-" + id, Name: "script " + id, Username: username,
		Created: at(minutes)}
}

func testDeleteUser(t *testing.T, s training.Store) {
	for _, name := range []string{"amir", "zoe"} {
		check(t, s.CreateUser(ctx(t), user(name, training.RoleHR)))
		check(t, s.CreateSession(ctx(t), session("s1-"+name, name)))
		check(t, s.CreateSession(ctx(t), session("s2-"+name, name)))
		check(t, s.CreateToken(ctx(t), token("t-"+name, name, 0)))
	}
	check(t, s.DeleteUser(ctx(t), "amir"))
	_, err := s.User(ctx(t), "amir")
	wantErr(t, "deleted user", err, training.ErrNotFound)
	for _, h := range []string{"s1-amir", "s2-amir"} {
		_, err = s.Session(ctx(t), h, t0)
		wantErr(t, "session of a deleted user", err, training.ErrNotFound)
	}
	_, err = s.TokenByHash(ctx(t), "hash-t-amir")
	wantErr(t, "token of a deleted user", err, training.ErrNotFound)
	toks, err := s.Tokens(ctx(t), "")
	check(t, err)
	equal(t, "tokens left", len(toks), 1)
	_, err = s.Session(ctx(t), "s1-zoe", t0)
	check(t, err)
	_, err = s.TokenByHash(ctx(t), "hash-t-zoe")
	check(t, err)
	wantErr(t, "DeleteUser(missing)", s.DeleteUser(ctx(t), "amir"), training.ErrNotFound)
}

func testSessions(t *testing.T, s training.Store) {
	sess := session("h1", "amir")
	check(t, s.CreateSession(ctx(t), sess))
	wantErr(t, "CreateSession with an existing hash", s.CreateSession(ctx(t), sess), training.ErrConflict)
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"at creation", t0, nil},
		{"a second before expiry", sess.Expires.Add(-time.Second), nil},
		{"at expiry", sess.Expires, training.ErrNotFound},
		{"after expiry", sess.Expires.Add(time.Minute), training.ErrNotFound},
	}
	for _, tc := range tests {
		got, err := s.Session(ctx(t), "h1", tc.now)
		if tc.want != nil {
			wantErr(t, tc.name, err, tc.want)
			continue
		}
		check(t, err)
		equal(t, tc.name, got, sess)
	}
	_, err := s.Session(ctx(t), "other", t0)
	wantErr(t, "Session(missing)", err, training.ErrNotFound)
	check(t, s.DeleteSession(ctx(t), "h1"))
	_, err = s.Session(ctx(t), "h1", t0)
	wantErr(t, "deleted session", err, training.ErrNotFound)
	check(t, s.DeleteSession(ctx(t), "h1"))
}

func testTokens(t *testing.T, s training.Store) {
	a2 := token("a2", "amir", 2)
	a2.Expires = at(60 * 24 * 90)
	toks := []training.Token{token("z1", "zoe", 3), a2, token("a1", "amir", 1)}
	for _, tok := range toks {
		check(t, s.CreateToken(ctx(t), tok))
	}
	dup := token("a1", "amir", 5)
	dup.Hash = "another"
	wantErr(t, "CreateToken with an existing ID", s.CreateToken(ctx(t), dup), training.ErrConflict)

	got, err := s.TokenByHash(ctx(t), "hash-a2")
	check(t, err)
	equal(t, "TokenByHash", got, a2)
	_, err = s.TokenByHash(ctx(t), "hash-none")
	wantErr(t, "TokenByHash(missing)", err, training.ErrNotFound)

	noHash := func(ts ...training.Token) []training.Token {
		for i := range ts {
			ts[i].Hash = ""
		}
		return ts
	}
	tests := []struct {
		user string
		want []training.Token
	}{
		{"amir", noHash(toks[2], toks[1])},
		{"", noHash(toks[2], toks[1], toks[0])},
		{"nobody", []training.Token{}},
	}
	for _, tc := range tests {
		list, err := s.Tokens(ctx(t), tc.user)
		check(t, err)
		equal(t, fmt.Sprintf("Tokens(%q)", tc.user), list, tc.want)
	}
	check(t, s.DeleteToken(ctx(t), "a1"))
	_, err = s.TokenByHash(ctx(t), "hash-a1")
	wantErr(t, "revoked token", err, training.ErrNotFound)
	wantErr(t, "DeleteToken(missing)", s.DeleteToken(ctx(t), "a1"), training.ErrNotFound)
	list, err := s.Tokens(ctx(t), "amir")
	check(t, err)
	equal(t, "tokens after revoking", list, noHash(a2))
}

func testTouchSession(t *testing.T, s training.Store) {
	sess := session("h1", "amir")
	check(t, s.CreateSession(ctx(t), sess))
	later := sess.Expires.Add(2 * time.Hour)
	got, err := s.TouchSession(ctx(t), "h1", later, t0.Add(time.Hour))
	check(t, err)
	want := sess
	want.Expires = later
	equal(t, "TouchSession returns the session", got, want)
	got, err = s.Session(ctx(t), "h1", sess.Expires.Add(time.Hour))
	check(t, err)
	equal(t, "session after TouchSession", got, want)
	_, err = s.TouchSession(ctx(t), "h1", later.Add(time.Hour), later)
	wantErr(t, "TouchSession of an expired session", err, training.ErrNotFound)
	_, err = s.TouchSession(ctx(t), "missing", later, t0)
	wantErr(t, "TouchSession(missing)", err, training.ErrNotFound)
	_, err = s.Session(ctx(t), "missing", t0)
	wantErr(t, "a missing session touched", err, training.ErrNotFound)
}

// testTouchSessionNeverRecreates: refreshes racing a logout never bring
// the session back (once 2 of 12 sessions outlived their logout when a
// refresh deleted and re-created them).
func testTouchSessionNeverRecreates(t *testing.T, s training.Store) {
	const sessions, touches = 12, 8
	for i := range sessions {
		check(t, s.CreateSession(ctx(t), session(fmt.Sprintf("race-%d", i), "amir")))
	}
	var wg sync.WaitGroup
	for i := range sessions {
		h := fmt.Sprintf("race-%d", i)
		for k := range touches {
			wg.Go(func() {
				_, err := s.TouchSession(ctx(t), h, t0.Add(time.Duration(9+k)*time.Hour), t0.Add(time.Minute))
				if err != nil && !errors.Is(err, training.ErrNotFound) {
					t.Errorf("TouchSession: %v", err)
				}
			})
		}
		wg.Go(func() { check(t, s.DeleteSession(ctx(t), h)) })
	}
	wg.Wait()
	for i := range sessions {
		_, err := s.Session(ctx(t), fmt.Sprintf("race-%d", i), t0.Add(time.Minute))
		wantErr(t, "a session after its logout", err, training.ErrNotFound)
	}
}

func testRevokeCredentials(t *testing.T, s training.Store) {
	for _, name := range []string{"amir", "zoe"} {
		check(t, s.CreateUser(ctx(t), user(name, training.RoleHR)))
		check(t, s.CreateSession(ctx(t), session("s1-"+name, name)))
		check(t, s.CreateSession(ctx(t), session("s2-"+name, name)))
		check(t, s.CreateToken(ctx(t), token("t-"+name, name, 0)))
	}
	check(t, s.RevokeCredentials(ctx(t), "amir"))
	_, err := s.User(ctx(t), "amir")
	check(t, err)
	for _, h := range []string{"s1-amir", "s2-amir"} {
		_, err = s.Session(ctx(t), h, t0)
		wantErr(t, "session after RevokeCredentials", err, training.ErrNotFound)
	}
	_, err = s.TokenByHash(ctx(t), "hash-t-amir")
	wantErr(t, "token after RevokeCredentials", err, training.ErrNotFound)
	toks, err := s.Tokens(ctx(t), "amir")
	check(t, err)
	equal(t, "tokens listed after RevokeCredentials", len(toks), 0)
	_, err = s.Session(ctx(t), "s1-zoe", t0)
	check(t, err)
	_, err = s.TokenByHash(ctx(t), "hash-t-zoe")
	check(t, err)
	check(t, s.RevokeCredentials(ctx(t), "amir"))
	check(t, s.RevokeCredentials(ctx(t), "nobody"))
	// New credentials after a revocation work as usual.
	check(t, s.CreateSession(ctx(t), session("s3-amir", "amir")))
	_, err = s.Session(ctx(t), "s3-amir", t0)
	check(t, err)
}
