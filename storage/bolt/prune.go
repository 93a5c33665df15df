package bolt

import (
	"bytes"
	"context"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// OutboxStats counts the state index by prefix and takes the oldest
// queued message from it (the index is ordered by creation time).
func (s *Store) OutboxStats(ctx context.Context) (training.OutboxStats, error) {
	out := training.OutboxStats{ByState: map[training.MessageState]int{}}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutboxState).Cursor()
		for _, st := range []training.MessageState{training.MessageQueued, training.MessageSent, training.MessageFailed} {
			prefix := []byte(string(st) + "\x00")
			n := 0
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
				if n == 0 && st == training.MessageQueued {
					m, err := getMessage(tx, keyID(k[len(prefix):]))
					if err != nil {
						return err
					}
					out.OldestQueued = m.Created
				}
				n++
			}
			out.ByState[st] = n
		}
		return nil
	})
	return out, err
}

// pruneChunk bounds one write transaction, so pruning a year's outbox
// does not hold the single writer for long.
const pruneChunk = 2000

// PruneMail strips bodies, deletes old sent and failed messages, and
// removes ledger keys that can no longer matter, in chunks of writes.
func (s *Store) PruneMail(ctx context.Context, p training.MailPrune) (training.MailPruned, error) {
	var out training.MailPruned
	// Messages are walked by creation time; one sent after a cutoff was
	// created after it too, so the walk stops at the later cutoff.
	limit := p.MessagesBefore
	if p.BodiesBefore.After(limit) {
		limit = p.BodiesBefore
	}
	var resume []byte
	for !limit.IsZero() {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		done := false
		err := s.update(func(tx *bbolt.Tx) error {
			c := tx.Bucket(bOutboxCreated).Cursor()
			k, _ := c.First()
			if resume != nil {
				k, _ = c.Seek(resume)
			}
			var ms []training.Message
			for ; k != nil && len(ms) < pruneChunk; k, _ = c.Next() {
				m, err := getMessage(tx, keyID(k))
				if err != nil {
					return err
				}
				if !m.Created.Before(limit) {
					done = true
					break
				}
				ms = append(ms, m)
			}
			if k == nil {
				done = true
			} else {
				resume = bytes.Clone(k)
			}
			for _, m := range ms {
				switch {
				case m.State == training.MessageQueued:
				case !p.MessagesBefore.IsZero() && m.Created.Before(p.MessagesBefore):
					if err := deleteMessage(tx, m); err != nil {
						return err
					}
					out.Messages++
				case m.State == training.MessageSent && !p.BodiesBefore.IsZero() && m.Sent.Before(p.BodiesBefore) && (m.Text != "" || m.HTML != ""):
					old := m
					m.Text, m.HTML = "", ""
					if err := putMessage(tx, m, &old); err != nil {
						return err
					}
					out.Bodies++
				}
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		if done {
			break
		}
	}
	if p.LedgerDone == nil {
		return out, nil
	}
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var last []byte
		seen := 0
		err := s.update(func(tx *bbolt.Tx) error {
			ledger := tx.Bucket(bLedger)
			c := ledger.Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			var drop [][]byte
			for ; k != nil && seen < pruneChunk; k, v = c.Next() {
				seen++
				last = bytes.Clone(k)
				if !p.LedgerDone(string(k)) {
					continue
				}
				if m, err := getMessage(tx, string(v)); err == nil && m.State == training.MessageQueued {
					continue
				}
				drop = append(drop, bytes.Clone(k))
			}
			for _, k := range drop {
				if err := ledger.Delete(k); err != nil {
					return err
				}
			}
			out.LedgerKeys += len(drop)
			return nil
		})
		if err != nil {
			return out, err
		}
		if seen < pruneChunk {
			return out, nil
		}
		after = last
	}
}

// deleteMessage removes m and its index entries (not its ledger keys).
func deleteMessage(tx *bbolt.Tx, m training.Message) error {
	for _, d := range []struct {
		b []byte
		k []byte
	}{
		{bOutboxDue, timeKey(m.NextAttempt, m.ID)},
		{bOutboxCreated, timeKey(m.Created, m.ID)},
		{bOutboxState, stateKey(m.State, m.Created, m.ID)},
		{bOutbox, []byte(m.ID)},
	} {
		if err := tx.Bucket(d.b).Delete(d.k); err != nil {
			return err
		}
	}
	return nil
}

// PruneJobRuns deletes runs that started before before and finished.
func (s *Store) PruneJobRuns(ctx context.Context, before time.Time) (int, error) {
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k := 0
		err := s.update(func(tx *bbolt.Tx) error {
			ix := tx.Bucket(bJobRunsByStart)
			end := timeKey(before, "")
			var drop [][]byte
			c := ix.Cursor()
			for key, _ := c.First(); key != nil && bytes.Compare(key[:timeKeyLen], end[:timeKeyLen]) < 0 && len(drop) < pruneChunk; key, _ = c.Next() {
				drop = append(drop, bytes.Clone(key))
			}
			for _, key := range drop {
				if err := ix.Delete(key); err != nil {
					return err
				}
				if err := tx.Bucket(bJobRuns).Delete(key[timeKeyLen:]); err != nil {
					return err
				}
			}
			k = len(drop)
			return nil
		})
		n += k
		if err != nil || k < pruneChunk {
			return n, err
		}
	}
}

// recoverAfterCrash runs at Open: only one process can have the file
// open (bbolt's flock), so every job lock in it belongs to a process
// that is gone, and every run without a finish time was interrupted.
// Without this, a killed process's lock held the jobs up until it
// expired and its runs showed "running" for ever.
func (s *Store) recoverAfterCrash(now time.Time) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		locks := tx.Bucket(bLocks)
		var names [][]byte
		if err := locks.ForEach(func(k, _ []byte) error { names = append(names, bytes.Clone(k)); return nil }); err != nil {
			return err
		}
		for _, k := range names {
			if err := locks.Delete(k); err != nil {
				return err
			}
		}
		var open []training.JobRun
		err := tx.Bucket(bJobRuns).ForEach(func(k, v []byte) error {
			var r jobRunRec
			if err := decodeJSON(v, &r, "job run"); err != nil {
				return err
			}
			if run := r.domain(); run.Finished.IsZero() {
				open = append(open, run)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range open {
			r.Finished = now
			if r.Error == "" {
				r.Error = "interrupted: the process stopped before the run finished"
			}
			if err := tx.Bucket(bJobRuns).Put([]byte(r.ID), encodeJSON(toJobRunRec(r))); err != nil {
				return err
			}
		}
		if len(names) > 0 || len(open) > 0 {
			s.log.Info("store: released locks and closed runs left by a stopped process", "locks", len(names), "runs", len(open))
		}
		return nil
	})
}

// Size returns the file's size and the bytes in its free pages: bbolt
// reuses free pages but never gives them back, and grows the file in
// large steps, so the file size alone overstates what the data takes.
func (s *Store) Size() (file, free int64, err error) {
	err = s.db.View(func(tx *bbolt.Tx) error {
		file = tx.Size()
		return nil
	})
	st := s.db.Stats()
	free = int64(st.FreePageN+st.PendingPageN) * int64(s.db.Info().PageSize)
	return file, free, err
}
