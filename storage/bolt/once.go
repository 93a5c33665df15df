package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// UseOnce records key as used until expires (bucket once: key -> expiry;
// ix-once-expires: expiry|key -> nil, so that expired keys are dropped in
// order, a few at each call, without a scan).
func (s *Store) UseOnce(ctx context.Context, key string, expires, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" {
		return training.Invalidf("a once-only key must not be empty")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b, ix := tx.Bucket(bOnce), tx.Bucket(bOnceByExpiry)
		// Forget what has expired at now.
		c := ix.Cursor()
		limit := timeKey(now, "")
		for k, _ := c.First(); k != nil && bytes.Compare(k[:timeKeyLen], limit[:timeKeyLen]) <= 0; k, _ = c.First() {
			id := k[timeKeyLen:]
			if v := b.Get(id); v != nil && bytes.Equal(v, k[:timeKeyLen]) {
				if err := b.Delete(id); err != nil {
					return err
				}
			}
			if err := ix.Delete(k); err != nil {
				return err
			}
		}
		if v := b.Get([]byte(key)); len(v) == timeKeyLen && onceExpiry(v).After(now) {
			return training.Conflictf("already used")
		}
		tk := timeKey(expires, key)
		if err := b.Put([]byte(key), tk[:timeKeyLen]); err != nil {
			return err
		}
		return ix.Put(tk, nil)
	})
}

// onceExpiry reads the expiry timeKey wrote.
func onceExpiry(v []byte) time.Time {
	sec := int64(binary.BigEndian.Uint64(v) ^ 1<<63)
	return time.Unix(sec, int64(binary.BigEndian.Uint32(v[8:])))
}
