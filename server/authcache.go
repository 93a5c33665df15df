package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"github.com/muster-police/muster/training"
)

// Checking a credential read the session (or token) and its user from the
// store, and decoded both, on every request: about a third of the CPU of
// serving the force-wide JSON compressed. authCache keeps what a check
// read, by the hash of the credential, for a short time.
//
// It never decides alone: every request still checks expiry, the one-time
// password's age, a password changed since the session began, and the
// role, against the cached records. What it can miss is a change made
// elsewhere:
//
//   - through this process (the accounts use cases, sign-out, a forwarded
//     CLI command): the store the server writes through (authStore) drops
//     the entries of the user, session or token it changes, so the change
//     holds from the next request;
//   - through another replica or process: an entry is used for at most
//     DefaultAuthCacheTTL after it was read (README, Security).
//
// Only credentials that passed are kept; a refused one is read again
// every time, so nothing is refused from the cache.
type authCache struct {
	ttl time.Duration
	max int
	// now is the real clock, not the server's (tests fix that one): the
	// TTL bounds how stale an entry may be.
	now func() time.Time

	mu  sync.Mutex
	gen uint64 // moved by every drop: a check that read before it keeps nothing
	m   map[string]authEntry
}

// DefaultAuthCacheTTL is how long a checked credential is trusted without
// reading the store again: the longest a change made through another
// replica takes to apply here.
const DefaultAuthCacheTTL = 2 * time.Second

// authCacheMax bounds the entries (credentials used within the TTL).
const authCacheMax = 10_000

// authEntry is one checked credential: a session or a token, and its user.
type authEntry struct {
	user    training.User
	session training.Session // keys "s:"
	token   training.Token   // keys "t:"
	until   time.Time
}

func newAuthCache(ttl time.Duration) *authCache {
	return &authCache{ttl: ttl, max: authCacheMax, now: time.Now, m: map[string]authEntry{}}
}

// get returns an entry younger than the TTL.
func (c *authCache) get(key string) (authEntry, bool) {
	if c.ttl <= 0 {
		return authEntry{}, false
	}
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	return c.fresh(e, ok)
}

// getBytes is get with the key in bytes (a credKey on the caller's
// stack): the map lookup m[string(key)] makes no string.
func (c *authCache) getBytes(key []byte) (authEntry, bool) {
	if c.ttl <= 0 {
		return authEntry{}, false
	}
	c.mu.Lock()
	e, ok := c.m[string(key)]
	c.mu.Unlock()
	return c.fresh(e, ok)
}

// lookup is begin and getBytes under one lock: the generation to put
// with, taken before the entry was read (see begin).
func (c *authCache) lookup(key []byte) (authEntry, bool, uint64) {
	var (
		e  authEntry
		ok bool
	)
	c.mu.Lock()
	gen := c.gen
	if c.ttl > 0 {
		e, ok = c.m[string(key)]
	}
	c.mu.Unlock()
	e, ok = c.fresh(e, ok)
	return e, ok, gen
}

func (c *authCache) fresh(e authEntry, ok bool) (authEntry, bool) {
	if !ok || !c.now().Before(e.until) {
		return authEntry{}, false
	}
	e.user.Units = slices.Clone(e.user.Units) // the caller's to keep
	return e, true
}

// begin is called before the store is read for a check; put keeps the
// result only if nothing was dropped meanwhile (a sign-out or a disable
// racing the check must not be undone by it).
func (c *authCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *authCache) put(key string, gen uint64, e authEntry) {
	if c.ttl <= 0 {
		return
	}
	e.until = c.now().Add(c.ttl)
	e.user.Units = slices.Clone(e.user.Units)
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= c.max {
		now := c.now()
		for k, old := range c.m {
			if !now.Before(old.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= c.max {
			clear(c.m) // all recent: start again rather than scan on every put
		}
	}
	c.m[key] = e
}

// drop removes the entries for which gone is true.
func (c *authCache) drop(gone func(key string, e authEntry) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.m {
		if gone(k, e) {
			delete(c.m, k)
		}
	}
}

func (c *authCache) dropUser(username string) {
	c.drop(func(_ string, e authEntry) bool { return e.user.Username == username })
}

func (c *authCache) dropSession(idHash string) {
	key := sessionKey(idHash) // once, not per cached entry under the lock
	c.drop(func(k string, _ authEntry) bool { return k == key })
}

func (c *authCache) dropToken(id string) {
	c.drop(func(k string, e authEntry) bool { return k[0] == 't' && e.token.ID == id })
}

func sessionKey(idHash string) string { return "s:" + idHash }
func tokenKey(hash string) string     { return "t:" + hash }

// credKey is a cache key built without allocating: kind ('s' or 't'),
// ':' and the hex SHA-256 of the credential (training.SecretHash), so
// that string(k[:]) == tokenKey(SecretHash(secret)) for kind 't' and
// sessionKey(SecretHash(cookie)) for kind 's'.
type credKey [2 + 2*sha256.Size]byte

func newCredKey(kind byte, secret string) credKey {
	var k credKey
	k[0], k[1] = kind, ':'
	// Through a stack buffer: a []byte conversion of a string longer
	// than 32 bytes (a token is) is made on the heap.
	var buf [128]byte
	var sum [sha256.Size]byte
	if len(secret) <= len(buf) {
		sum = sha256.Sum256(buf[:copy(buf[:], secret)])
	} else {
		sum = sha256.Sum256([]byte(secret))
	}
	hex.Encode(k[2:], sum[:])
	return k
}

// hash is the credential's hash as the store keys it (allocates).
func (k *credKey) hash() string { return string(k[2:]) }

// authStore is the store as the server writes through it: each write
// that can take a credential away (a user changed, disabled or deleted,
// credentials revoked, a session ended, a token revoked) drops what the
// cache holds of it, whether or not the write succeeded.
type authStore struct {
	training.Store
	cache *authCache
}

// UpdateUser changes a user (role, units, password, disabled) and drops
// their cached credentials.
func (a authStore) UpdateUser(ctx context.Context, username string, fn func(*training.User) error) error {
	defer a.cache.dropUser(username)
	return a.Store.UpdateUser(ctx, username, fn)
}

// DeleteUser deletes a user and drops their cached credentials.
func (a authStore) DeleteUser(ctx context.Context, username string) error {
	defer a.cache.dropUser(username)
	return a.Store.DeleteUser(ctx, username)
}

// RevokeCredentials ends a user's sessions and tokens, here at once.
func (a authStore) RevokeCredentials(ctx context.Context, username string) error {
	defer a.cache.dropUser(username)
	return a.Store.RevokeCredentials(ctx, username)
}

// DeleteSession ends a session (sign-out), here at once.
func (a authStore) DeleteSession(ctx context.Context, idHash string) error {
	defer a.cache.dropSession(idHash)
	return a.Store.DeleteSession(ctx, idHash)
}

// DeleteToken revokes a token, here at once.
func (a authStore) DeleteToken(ctx context.Context, id string) error {
	defer a.cache.dropToken(id)
	return a.Store.DeleteToken(ctx, id)
}
