package bolt

import (
	"bytes"
	"context"
	"fmt"

	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
	"time"
)

// Enqueue adds messages whose ledger keys were never enqueued before and
// records those keys, in one write transaction: bbolt has one writer at a
// time, so two racing enqueues of the same key cannot both win.
func (s *Store) Enqueue(ctx context.Context, msgs []training.Message) ([]training.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if m.ID == "" {
			return nil, training.Invalidf("message has no ID")
		}
	}
	var out []training.Message
	err := s.update(func(tx *bbolt.Tx) error {
		out = out[:0]
		ledger, outbox := tx.Bucket(bLedger), tx.Bucket(bOutbox)
		// Message IDs and their index keys ascend (jobs order them), so
		// pages fill from the left: split them nearly full rather than in
		// half, for fewer pages to write.
		for _, b := range []*bbolt.Bucket{outbox, tx.Bucket(bOutboxDue), tx.Bucket(bOutboxCreated), tx.Bucket(bOutboxState)} {
			b.FillPercent = 0.9
		}
	next:
		for _, m := range msgs {
			for _, k := range m.LedgerKeys {
				if ledger.Get([]byte(k)) != nil {
					continue next
				}
			}
			if outbox.Get([]byte(m.ID)) != nil {
				return training.Conflictf("message %s is already in the outbox", m.ID)
			}
			if m.State == "" {
				m.State = training.MessageQueued
			}
			for _, k := range m.LedgerKeys {
				if err := ledger.Put([]byte(k), []byte(m.ID)); err != nil {
					return err
				}
			}
			if err := putMessage(tx, m, nil); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []training.Message{}
	}
	return out, nil
}

func stateKey(state training.MessageState, created time.Time, id string) []byte {
	return append([]byte(string(state)+"\x00"), timeKey(created, id)...)
}

// putMessage writes m and its index entries, removing old's.
func putMessage(tx *bbolt.Tx, m training.Message, old *training.Message) error {
	due, created, state := tx.Bucket(bOutboxDue), tx.Bucket(bOutboxCreated), tx.Bucket(bOutboxState)
	if old != nil {
		if err := due.Delete(timeKey(old.NextAttempt, old.ID)); err != nil {
			return err
		}
		if err := created.Delete(timeKey(old.Created, old.ID)); err != nil {
			return err
		}
		if err := state.Delete(stateKey(old.State, old.Created, old.ID)); err != nil {
			return err
		}
	}
	if m.State == training.MessageQueued {
		if err := due.Put(timeKey(m.NextAttempt, m.ID), nil); err != nil {
			return err
		}
	}
	if err := created.Put(timeKey(m.Created, m.ID), nil); err != nil {
		return err
	}
	if err := state.Put(stateKey(m.State, m.Created, m.ID), nil); err != nil {
		return err
	}
	return tx.Bucket(bOutbox).Put([]byte(m.ID), encodeMessage(m))
}

// messageV2 marks a message record in the binary encoding of codec.go.
// A run writes about 100,000 messages in bulk, and JSON cost a third of
// the write; records written as JSON (messageRec, starting with '{')
// before still decode.
const messageV2 = 2

func encodeMessage(m training.Message) []byte {
	n := 64 + len(m.ID) + len(m.MessageID) + len(m.Kind) + len(m.To) + len(m.Subject) + len(m.Text) +
		len(m.HTML) + len(m.State) + len(m.LastError) + len(m.RunID)
	for _, k := range m.LedgerKeys {
		n += 2 + len(k)
	}
	e := encoder{varint.Writer{B: make([]byte, 0, n)}}
	e.Byte(messageV2)
	e.String(m.ID)
	e.String(m.MessageID)
	e.Uint(uint64(len(m.LedgerKeys)))
	for _, k := range m.LedgerKeys {
		e.String(k)
	}
	for _, s := range []string{m.Kind, m.To, m.Subject, m.Text, m.HTML, string(m.State)} {
		e.String(s)
	}
	e.Int(int64(m.Attempts))
	e.String(m.LastError)
	e.Instant(m.Created)
	e.Instant(m.NextAttempt)
	e.Instant(m.Sent)
	e.String(m.RunID)
	return e.B
}

func decodeMessage(v []byte) (training.Message, error) {
	if len(v) > 0 && v[0] == '{' {
		var r messageRec
		if err := decodeJSON(v, &r, "message"); err != nil {
			return training.Message{}, err
		}
		return r.domain(), nil
	}
	d := newDecoder(v, nil)
	if ver := d.Byte(); ver != messageV2 && d.Err() == nil {
		return training.Message{}, fmt.Errorf("decode message: record version %d not understood", ver)
	}
	var m training.Message
	m.ID = d.str()
	m.MessageID = d.str()
	if n := d.Count(); n > 0 {
		m.LedgerKeys = make([]string, n)
		for i := range m.LedgerKeys {
			m.LedgerKeys[i] = d.str()
		}
	}
	m.Kind = d.str()
	m.To = d.str()
	m.Subject = d.str()
	m.Text = d.str()
	m.HTML = d.str()
	m.State = training.MessageState(d.str())
	m.Attempts = int(d.Int())
	m.LastError = d.str()
	m.Created = d.Instant()
	m.NextAttempt = d.Instant()
	m.Sent = d.Instant()
	m.RunID = d.str()
	if err := d.done("message"); err != nil {
		return training.Message{}, err
	}
	return m, nil
}

func getMessage(tx *bbolt.Tx, id string) (training.Message, error) {
	v := tx.Bucket(bOutbox).Get([]byte(id))
	if v == nil {
		return training.Message{}, notFound("message")
	}
	return decodeMessage(v)
}

// DueMessages returns queued messages with NextAttempt <= now, by
// NextAttempt (then ID), at most limit (<= 0: all).
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]training.Message, error) {
	return s.dueMessages(ctx, nil, timeKey(now, ""), limit)
}

// MessagesDueBetween returns the queued messages due after from and at
// or before until, by next attempt.
func (s *Store) MessagesDueBetween(ctx context.Context, from, until time.Time) ([]training.Message, error) {
	return s.dueMessages(ctx, timeKey(from, ""), timeKey(until, ""), 0)
}

// dueMessages reads the due index after the time key after (nil: from
// the start) up to end, at most limit (<= 0: all).
func (s *Store) dueMessages(ctx context.Context, after, end []byte, limit int) ([]training.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.Message{}
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bOutboxDue).Cursor()
		k, _ := c.First()
		if after != nil {
			k, _ = c.Seek(after)
		}
		for ; k != nil && bytes.Compare(k[:timeKeyLen], end) <= 0 && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
			if after != nil && bytes.Equal(k[:timeKeyLen], after) {
				continue // due at after itself
			}
			m, err := getMessage(tx, keyID(k))
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// UpdateMessage runs fn on a stored message inside a write transaction.
func (s *Store) UpdateMessage(ctx context.Context, id string, fn func(*training.Message) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		old, err := getMessage(tx, id)
		if err != nil {
			return err
		}
		m := old
		m.LedgerKeys = append([]string(nil), old.LedgerKeys...)
		if err := fn(&m); err != nil {
			return err
		}
		if m.ID != id {
			return training.Invalidf("a message ID cannot be changed")
		}
		return putMessage(tx, m, &old)
	})
}

// Message returns one message by ID.
func (s *Store) Message(ctx context.Context, id string) (training.Message, error) {
	if err := ctx.Err(); err != nil {
		return training.Message{}, err
	}
	var m training.Message
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		m, err = getMessage(tx, id)
		return err
	})
	return m, err
}

// Messages lists messages newest first (by Created, then ID descending),
// in one state or all, at most limit (<= 0: all).
func (s *Store) Messages(ctx context.Context, state training.MessageState, limit int) ([]training.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.Message{}
	err := s.view(func(tx *bbolt.Tx) error {
		ix, prefix := tx.Bucket(bOutboxCreated), []byte(nil)
		if state != "" {
			ix, prefix = tx.Bucket(bOutboxState), []byte(string(state)+"\x00")
		}
		c := ix.Cursor()
		k, _ := c.Last()
		if prefix != nil {
			// Position after the last key with the prefix.
			end := append(bytes.Clone(prefix[:len(prefix)-1]), 1)
			if k, _ = c.Seek(end); k == nil {
				k, _ = c.Last()
			} else {
				k, _ = c.Prev()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix) && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			m, err := getMessage(tx, keyID(k[len(prefix):]))
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// LedgerHas reports whether a ledger key was ever enqueued.
func (s *Store) LedgerHas(ctx context.Context, key string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var has bool
	err := s.view(func(tx *bbolt.Tx) error {
		has = tx.Bucket(bLedger).Get([]byte(key)) != nil
		return nil
	})
	return has, err
}

// LedgerHasKeys reports which of keys were ever enqueued, in one read
// transaction.
func (s *Store) LedgerHasKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	has := make(map[string]bool)
	err := s.view(func(tx *bbolt.Tx) error {
		ledger := tx.Bucket(bLedger)
		for _, k := range keys {
			if ledger.Get([]byte(k)) != nil {
				has[k] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return has, nil
}
