package bolt

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// CreateUser adds a user; ErrConflict if the username is taken.
func (s *Store) CreateUser(ctx context.Context, u training.User) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if u.Username == "" {
		return training.Invalidf("user has no username")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bUsers)
		if b.Get([]byte(u.Username)) != nil {
			return training.Conflictf("that username is taken")
		}
		return b.Put([]byte(u.Username), encodeJSON(toUserRec(u)))
	})
}

// User returns a user by username.
func (s *Store) User(ctx context.Context, username string) (training.User, error) {
	if err := ctx.Err(); err != nil {
		return training.User{}, err
	}
	var u training.User
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		u, err = getUser(tx, username)
		return err
	})
	return u, err
}

func getUser(tx *bbolt.Tx, username string) (training.User, error) {
	v := tx.Bucket(bUsers).Get([]byte(username))
	if v == nil {
		return training.User{}, notFound("user")
	}
	var r userRec
	if err := decodeJSON(v, &r, "user"); err != nil {
		return training.User{}, err
	}
	return r.domain(), nil
}

// Users lists every user sorted by username.
func (s *Store) Users(ctx context.Context) ([]training.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.User{}
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
			var r userRec
			if err := decodeJSON(v, &r, "user"); err != nil {
				return err
			}
			out = append(out, r.domain())
			return nil
		})
	})
	return out, err
}

// UpdateUser runs fn on the stored user inside a write transaction, so
// concurrent updates are serialised and none is lost.
func (s *Store) UpdateUser(ctx context.Context, username string, fn func(*training.User) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		u, err := getUser(tx, username)
		if err != nil {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		if u.Username != username {
			return training.Invalidf("a username cannot be changed")
		}
		return tx.Bucket(bUsers).Put([]byte(username), encodeJSON(toUserRec(u)))
	})
}

// DeleteUser removes a user with their sessions and tokens.
func (s *Store) DeleteUser(ctx context.Context, username string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		users := tx.Bucket(bUsers)
		if users.Get([]byte(username)) == nil {
			return notFound("user")
		}
		if err := users.Delete([]byte(username)); err != nil {
			return err
		}
		return revokeCredentials(tx, username)
	})
}

// RevokeCredentials removes a user's sessions and tokens in one transaction.
func (s *Store) RevokeCredentials(ctx context.Context, username string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error { return revokeCredentials(tx, username) })
}

func revokeCredentials(tx *bbolt.Tx, username string) error {
	if err := deleteSessionsOf(tx, username, time.Time{}); err != nil {
		return err
	}
	var ids []string
	err := tx.Bucket(bTokens).ForEach(func(k, v []byte) error {
		var r tokenRec
		if err := decodeJSON(v, &r, "token"); err != nil {
			return err
		}
		if r.Username == username {
			ids = append(ids, r.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := deleteToken(tx, id); err != nil {
			return err
		}
	}
	return nil
}

func sessionUserKey(username, idHash string) []byte {
	return []byte(username + "\x00" + idHash)
}

// deleteSessionsOf removes the user's sessions that expired before
// cutoff, or all of them when cutoff is zero.
func deleteSessionsOf(tx *bbolt.Tx, username string, cutoff time.Time) error {
	sessions, ix := tx.Bucket(bSessions), tx.Bucket(bSessionsByUser)
	prefix := []byte(username + "\x00")
	var keys [][]byte
	c := ix.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		hash := k[len(prefix):]
		if !cutoff.IsZero() {
			v := sessions.Get(hash)
			var r sessionRec
			if v != nil && decodeJSON(v, &r, "session") == nil && !r.Expires.Before(cutoff) {
				continue
			}
		}
		if err := sessions.Delete(hash); err != nil {
			return err
		}
		if err := ix.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// CreateSession stores a session. Sessions of the same user that expired
// before this one was created are removed on the way.
func (s *Store) CreateSession(ctx context.Context, sess training.Session) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if sess.IDHash == "" {
		return training.Invalidf("session has no ID hash")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSessions)
		if b.Get([]byte(sess.IDHash)) != nil {
			return training.Conflictf("session exists")
		}
		if !sess.Created.IsZero() {
			if err := deleteSessionsOf(tx, sess.Username, sess.Created); err != nil {
				return err
			}
		}
		if err := b.Put([]byte(sess.IDHash), encodeJSON(toSessionRec(sess))); err != nil {
			return err
		}
		return tx.Bucket(bSessionsByUser).Put(sessionUserKey(sess.Username, sess.IDHash), nil)
	})
}

// Session returns a session that has not expired at now.
func (s *Store) Session(ctx context.Context, idHash string, now time.Time) (training.Session, error) {
	if err := ctx.Err(); err != nil {
		return training.Session{}, err
	}
	var sess training.Session
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSessions).Get([]byte(idHash))
		if v == nil {
			return notFound("session")
		}
		var r sessionRec
		if err := decodeJSON(v, &r, "session"); err != nil {
			return err
		}
		if !now.Before(r.Expires) {
			return notFound("session")
		}
		sess = r.domain()
		return nil
	})
	return sess, err
}

// TouchSession updates the expiry of a live session inside one write
// transaction; a missing or expired session stays missing.
func (s *Store) TouchSession(ctx context.Context, idHash string, expires, now time.Time) (training.Session, error) {
	if err := ctx.Err(); err != nil {
		return training.Session{}, err
	}
	var sess training.Session
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSessions)
		v := b.Get([]byte(idHash))
		if v == nil {
			return notFound("session")
		}
		var r sessionRec
		if err := decodeJSON(v, &r, "session"); err != nil {
			return err
		}
		if !now.Before(r.Expires) {
			return notFound("session")
		}
		sess = r.domain()
		sess.Expires = expires
		return b.Put([]byte(idHash), encodeJSON(toSessionRec(sess)))
	})
	return sess, err
}

// DeleteSession removes a session; deleting a missing one is not an error
// (logging out twice is fine).
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bSessions)
		v := b.Get([]byte(idHash))
		if v == nil {
			return nil
		}
		var r sessionRec
		if err := decodeJSON(v, &r, "session"); err != nil {
			return err
		}
		if err := tx.Bucket(bSessionsByUser).Delete(sessionUserKey(r.Username, idHash)); err != nil {
			return err
		}
		return b.Delete([]byte(idHash))
	})
}

// CreateToken stores an API token; ErrConflict if its ID or hash exists.
func (s *Store) CreateToken(ctx context.Context, t training.Token) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.ID == "" || t.Hash == "" {
		return training.Invalidf("token needs an ID and a hash")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b, ix := tx.Bucket(bTokens), tx.Bucket(bTokensByHash)
		if b.Get([]byte(t.ID)) != nil || ix.Get([]byte(t.Hash)) != nil {
			return training.Conflictf("token exists")
		}
		if err := b.Put([]byte(t.ID), encodeJSON(toTokenRec(t))); err != nil {
			return err
		}
		return ix.Put([]byte(t.Hash), []byte(t.ID))
	})
}

// TokenByHash finds a token by the hash of its secret.
func (s *Store) TokenByHash(ctx context.Context, hash string) (training.Token, error) {
	if err := ctx.Err(); err != nil {
		return training.Token{}, err
	}
	var t training.Token
	err := s.view(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bTokensByHash).Get([]byte(hash))
		if hash == "" || id == nil {
			return notFound("token")
		}
		var err error
		t, err = getToken(tx, id)
		return err
	})
	return t, err
}

func getToken(tx *bbolt.Tx, id []byte) (training.Token, error) {
	v := tx.Bucket(bTokens).Get(id)
	if v == nil {
		return training.Token{}, notFound("token")
	}
	var r tokenRec
	if err := decodeJSON(v, &r, "token"); err != nil {
		return training.Token{}, err
	}
	return r.domain(), nil
}

// Tokens lists a user's tokens ("" for everyone's) sorted by creation
// time then ID, with Hash left empty.
func (s *Store) Tokens(ctx context.Context, username string) ([]training.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.Token{}
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bTokens).ForEach(func(k, v []byte) error {
			var r tokenRec
			if err := decodeJSON(v, &r, "token"); err != nil {
				return err
			}
			if username == "" || r.Username == username {
				t := r.domain()
				t.Hash = ""
				out = append(out, t)
			}
			return nil
		})
	})
	sortTokens(out)
	return out, err
}

// DeleteToken revokes a token; ErrNotFound if there is none with this ID.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error { return deleteToken(tx, id) })
}

func deleteToken(tx *bbolt.Tx, id string) error {
	t, err := getToken(tx, []byte(id))
	if err != nil {
		return err
	}
	if err := tx.Bucket(bTokensByHash).Delete([]byte(t.Hash)); err != nil {
		return err
	}
	return tx.Bucket(bTokens).Delete([]byte(id))
}

func sortTokens(ts []training.Token) {
	slices.SortFunc(ts, func(a, b training.Token) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
