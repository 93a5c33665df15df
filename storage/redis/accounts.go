package redis

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// Accounts live under the {P:acct} hash tag: users and tokens in hashes,
// each session in its own key (expiring in Redis a while after the
// session itself does) with a per-user set to find them on deletion.

// casScript replaces a hash field only if it still holds the value read
// (optimistic update). KEYS: hash; ARGV: field, old, new. Returns 1 or 0.
var casScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
`)

// deleteUserScript removes a user, their sessions and their tokens;
// with ARGV[3] == "keep" it keeps the user (RevokeCredentials).
// KEYS: 1 users, 2 user-sessions set, 3 tokens, 4 tokens:by-hash;
// ARGV: 1 username, 2 session key prefix, 3 "delete" or "keep".
var deleteUserScript = goredis.NewScript(`
if ARGV[3] ~= 'keep' and redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
for _, h in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('DEL', ARGV[2] .. h)
end
redis.call('DEL', KEYS[2])
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do
  local t = cjson.decode(all[i + 1])
  if t.username == ARGV[1] then
    redis.call('HDEL', KEYS[3], all[i])
    redis.call('HDEL', KEYS[4], t.hash)
  end
end
return 1
`)

// createSessionScript stores a session unless its key exists.
// KEYS: 1 session, 2 user-sessions; ARGV: record, expire-at ms (0 = none), id hash.
var createSessionScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`)

// touchSessionScript replaces a session record only while its key exists
// (SET XX), so a session deleted meanwhile is never written back.
// KEYS: 1 session; ARGV: record, expire-at ms (0 = none). Returns 1 or 0.
var touchSessionScript = goredis.NewScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'XX', 'KEEPTTL') then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIREAT', KEYS[1], ARGV[2]) end
return 1
`)

// createTokenScript adds a token unless its ID or hash exists.
// KEYS: 1 tokens, 2 tokens:by-hash; ARGV: id, hash, record.
var createTokenScript = goredis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 1
`)

// deleteTokenScript removes a token and its hash index entry.
// KEYS: 1 tokens, 2 tokens:by-hash; ARGV: id, hash.
var deleteTokenScript = goredis.NewScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
`)

// CreateUser adds a user; ErrConflict if the username exists.
func (s *Store) CreateUser(ctx context.Context, u training.User) error {
	if u.Username == "" {
		return training.Invalidf("a user needs a username")
	}
	ok, err := s.rdb.HSetNX(ctx, s.keys.users, u.Username, encode(toUserRec(u))).Result()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return fmt.Errorf("user %q: %w", u.Username, training.ErrConflict)
	}
	return nil
}

// User returns a user by username.
func (s *Store) User(ctx context.Context, username string) (training.User, error) {
	_, u, err := s.userRaw(ctx, username)
	return u, err
}

func (s *Store) userRaw(ctx context.Context, username string) (string, training.User, error) {
	v, err := s.rdb.HGet(ctx, s.keys.users, username).Result()
	if errors.Is(err, goredis.Nil) {
		return "", training.User{}, fmt.Errorf("user %q: %w", username, training.ErrNotFound)
	}
	if err != nil {
		return "", training.User{}, s.wrap(err)
	}
	r, err := decode[userV1]("user", v)
	return v, r.domain(), err
}

// Users lists every user sorted by username.
func (s *Store) Users(ctx context.Context) ([]training.User, error) {
	m, err := s.scanMap(ctx, s.keys.users)
	if err != nil {
		return nil, err
	}
	out := make([]training.User, 0, len(m))
	for _, v := range m {
		r, err := decode[userV1]("user", v)
		if err != nil {
			return nil, err
		}
		out = append(out, r.domain())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

// casAttempts bounds optimistic retries under contention.
const casAttempts = 20

// UpdateUser reads a user, lets fn change it and writes it back only if
// nobody changed it meanwhile (else reads again and retries).
func (s *Store) UpdateUser(ctx context.Context, username string, fn func(*training.User) error) error {
	for range casAttempts {
		old, u, err := s.userRaw(ctx, username)
		if err != nil {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		u.Username = username // the key cannot change
		ok, err := casScript.Run(ctx, s.rdb, []string{s.keys.users}, username, old, encode(toUserRec(u))).Bool()
		if err != nil {
			return s.wrap(err)
		}
		if ok {
			return nil
		}
	}
	return training.Conflictf("user %q is being changed by someone else; try again", username)
}

// DeleteUser removes a user with their sessions and tokens.
func (s *Store) DeleteUser(ctx context.Context, username string) error {
	ok, err := deleteUserScript.Run(ctx, s.rdb,
		[]string{s.keys.users, s.keys.userSessions(username), s.keys.tokens, s.keys.tokenByHash},
		username, s.keys.session(""), "delete").Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return fmt.Errorf("user %q: %w", username, training.ErrNotFound)
	}
	return nil
}

// RevokeCredentials removes a user's sessions and tokens in one script.
func (s *Store) RevokeCredentials(ctx context.Context, username string) error {
	err := deleteUserScript.Run(ctx, s.rdb,
		[]string{s.keys.users, s.keys.userSessions(username), s.keys.tokens, s.keys.tokenByHash},
		username, s.keys.session(""), "keep").Err()
	return s.wrap(err)
}

// sessionGrace keeps a session key this long past its expiry, so that
// clocks a little apart never make Redis drop a session Muster still honours.
const sessionGrace = time.Hour

// CreateSession stores a login session.
func (s *Store) CreateSession(ctx context.Context, se training.Session) error {
	if se.IDHash == "" {
		return training.Invalidf("a session needs an ID hash")
	}
	rec := sessionV1{recordVersion, se.IDHash, se.Username, se.CSRFToken, se.Created.UTC(), se.Expires.UTC()}
	ok, err := createSessionScript.Run(ctx, s.rdb, []string{s.keys.session(se.IDHash), s.keys.userSessions(se.Username)},
		encode(rec), sessionExpireAt(se), se.IDHash).Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return fmt.Errorf("session: %w", training.ErrConflict)
	}
	return nil
}

// Session returns an unexpired session by the hash of its ID.
func (s *Store) Session(ctx context.Context, idHash string, now time.Time) (training.Session, error) {
	v, err := s.rdb.Get(ctx, s.keys.session(idHash)).Result()
	if errors.Is(err, goredis.Nil) {
		return training.Session{}, fmt.Errorf("session: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.Session{}, s.wrap(err)
	}
	r, err := decode[sessionV1]("session", v)
	if err != nil {
		return training.Session{}, err
	}
	if !r.Expires.IsZero() && !now.Before(r.Expires) {
		return training.Session{}, fmt.Errorf("session expired: %w", training.ErrNotFound)
	}
	return training.Session{IDHash: r.IDHash, Username: r.Username, CSRFToken: r.CSRFToken, Created: r.Created, Expires: r.Expires}, nil
}

// TouchSession moves a live session's expiry. The record is read, changed
// and written back with SET XX: when a logout deletes the key in between,
// the write does nothing and the session stays ended.
func (s *Store) TouchSession(ctx context.Context, idHash string, expires, now time.Time) (training.Session, error) {
	se, err := s.Session(ctx, idHash, now)
	if err != nil {
		return training.Session{}, err
	}
	se.Expires = expires
	rec := sessionV1{recordVersion, se.IDHash, se.Username, se.CSRFToken, se.Created.UTC(), se.Expires.UTC()}
	ok, err := touchSessionScript.Run(ctx, s.rdb, []string{s.keys.session(idHash)}, encode(rec), sessionExpireAt(se)).Bool()
	if err != nil {
		return training.Session{}, s.wrap(err)
	}
	if !ok {
		return training.Session{}, fmt.Errorf("session: %w", training.ErrNotFound)
	}
	return se, nil
}

// sessionExpireAt is when Redis may drop a session's key (ms; 0 = never):
// a grace after its expiry. Redis expiry is only clean-up; Session checks
// Expires against the caller's clock. A session already past in
// wall-clock time (tests with fixed clocks) simply gets no Redis expiry.
func sessionExpireAt(se training.Session) int64 {
	if exp := se.Expires.Add(sessionGrace); !se.Expires.IsZero() && exp.After(time.Now()) {
		return exp.UnixMilli()
	}
	return 0
}

// DeleteSession removes a session (logout). Deleting a missing session is not an error.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	key := s.keys.session(idHash)
	v, err := s.rdb.Get(ctx, key).Result()
	if errors.Is(err, goredis.Nil) {
		return nil
	}
	if err != nil {
		return s.wrap(err)
	}
	r, err := decode[sessionV1]("session", v)
	if err != nil {
		return err
	}
	_, err = s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.Del(ctx, key)
		p.SRem(ctx, s.keys.userSessions(r.Username), idHash)
		return nil
	})
	return s.wrap(err)
}

// CreateToken stores an API token; ErrConflict if its ID or hash exists.
func (s *Store) CreateToken(ctx context.Context, t training.Token) error {
	if t.ID == "" || t.Hash == "" {
		return training.Invalidf("a token needs an ID and a hash")
	}
	rec := tokenV1{recordVersion, t.ID, t.Hash, t.Name, t.Username, t.Created.UTC(), t.Expires.UTC()}
	ok, err := createTokenScript.Run(ctx, s.rdb, []string{s.keys.tokens, s.keys.tokenByHash}, t.ID, t.Hash, encode(rec)).Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return fmt.Errorf("token %q: %w", t.ID, training.ErrConflict)
	}
	return nil
}

func (s *Store) token(ctx context.Context, id string) (training.Token, error) {
	v, err := s.rdb.HGet(ctx, s.keys.tokens, id).Result()
	if errors.Is(err, goredis.Nil) {
		return training.Token{}, fmt.Errorf("token: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.Token{}, s.wrap(err)
	}
	r, err := decode[tokenV1]("token", v)
	return tokenDomain(r), err
}

func tokenDomain(r tokenV1) training.Token {
	return training.Token{ID: r.ID, Hash: r.Hash, Name: r.Name, Username: r.Username, Created: r.Created, Expires: r.Expires}
}

// TokenByHash finds a token by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (training.Token, error) {
	id, err := s.rdb.HGet(ctx, s.keys.tokenByHash, hash).Result()
	if errors.Is(err, goredis.Nil) {
		return training.Token{}, fmt.Errorf("token: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.Token{}, s.wrap(err)
	}
	return s.token(ctx, id)
}

// Tokens lists a user's tokens ("" lists all) sorted by creation then
// ID, without their hashes.
func (s *Store) Tokens(ctx context.Context, username string) ([]training.Token, error) {
	m, err := s.scanMap(ctx, s.keys.tokens)
	if err != nil {
		return nil, err
	}
	out := []training.Token{}
	for _, v := range m {
		r, err := decode[tokenV1]("token", v)
		if err != nil {
			return nil, err
		}
		if username != "" && r.Username != username {
			continue
		}
		t := tokenDomain(r)
		t.Hash = ""
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// DeleteToken revokes a token by ID.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	t, err := s.token(ctx, id)
	if err != nil {
		return err
	}
	ok, err := deleteTokenScript.Run(ctx, s.rdb, []string{s.keys.tokens, s.keys.tokenByHash}, id, t.Hash).Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return fmt.Errorf("token: %w", training.ErrNotFound)
	}
	return nil
}
