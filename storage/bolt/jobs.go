package bolt

import (
	"context"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// AcquireLock takes the named lock for owner until now+ttl when it is
// free, expired at now, or already owner's.
func (s *Store) AcquireLock(ctx context.Context, name, owner string, ttl time.Duration, now time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if name == "" || owner == "" {
		return false, training.Invalidf("a lock needs a name and an owner")
	}
	var ok bool
	err := s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bLocks)
		if v := b.Get([]byte(name)); v != nil {
			var r lockRec
			if err := decodeJSON(v, &r, "lock"); err != nil {
				return err
			}
			if r.Owner != owner && now.Before(r.Until) {
				return nil
			}
		}
		ok = true
		return b.Put([]byte(name), encodeJSON(&lockRec{V: recordV1, Owner: owner, Until: utc(now.Add(ttl))}))
	})
	return ok, err
}

// ReleaseLock frees the lock if owner holds it; otherwise it does nothing.
func (s *Store) ReleaseLock(ctx context.Context, name, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bLocks)
		v := b.Get([]byte(name))
		if v == nil {
			return nil
		}
		var r lockRec
		if err := decodeJSON(v, &r, "lock"); err != nil {
			return err
		}
		if r.Owner != owner {
			return nil
		}
		return b.Delete([]byte(name))
	})
}

// PutJobRun creates or replaces a job run record.
func (s *Store) PutJobRun(ctx context.Context, r training.JobRun) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.ID == "" {
		return training.Invalidf("job run has no ID")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b, ix := tx.Bucket(bJobRuns), tx.Bucket(bJobRunsByStart)
		if old, err := getJobRun(tx, []byte(r.ID)); err == nil {
			if err := ix.Delete(timeKey(old.Started, old.ID)); err != nil {
				return err
			}
		}
		if err := b.Put([]byte(r.ID), encodeJSON(toJobRunRec(r))); err != nil {
			return err
		}
		return ix.Put(timeKey(r.Started, r.ID), []byte(r.Job))
	})
}

func getJobRun(tx *bbolt.Tx, id []byte) (training.JobRun, error) {
	v := tx.Bucket(bJobRuns).Get(id)
	if v == nil {
		return training.JobRun{}, notFound("job run")
	}
	var r jobRunRec
	if err := decodeJSON(v, &r, "job run"); err != nil {
		return training.JobRun{}, err
	}
	return r.domain(), nil
}

// JobRuns lists runs newest first by Started (then ID descending),
// filtered by job ("" = all), at most limit (<= 0: all).
func (s *Store) JobRuns(ctx context.Context, job string, limit int) ([]training.JobRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.JobRun{}
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bJobRunsByStart).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Prev() {
			if job != "" && string(v) != job {
				continue
			}
			r, err := getJobRun(tx, k[timeKeyLen:])
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// Setting returns a stored setting, ErrNotFound when there is none.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	var val string
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bSettings).Get([]byte(key))
		if v == nil {
			return notFound("setting")
		}
		val = string(v)
		return nil
	})
	return val, err
}

// PutSetting stores a setting; an empty value deletes it.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" {
		return training.Invalidf("setting has no key")
	}
	return s.update(func(tx *bbolt.Tx) error {
		if value == "" {
			return tx.Bucket(bSettings).Delete([]byte(key))
		}
		return tx.Bucket(bSettings).Put([]byte(key), []byte(value))
	})
}
