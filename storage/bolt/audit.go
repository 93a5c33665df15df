package bolt

import (
	"bytes"
	"context"
	"time"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// The audit trail: bucket "audit", keyed by training.AuditKey (time, then
// ID), so that a cursor walks it newest first and a prune deletes a prefix.

type auditRec struct {
	V          int       `json:"v"`
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	TargetKind string    `json:"target_kind,omitempty"`
	TargetID   string    `json:"target_id,omitempty"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail,omitempty"`
	RequestID  string    `json:"request_id,omitempty"`
}

func (r *auditRec) version() int { return r.V }

func (r *auditRec) domain() training.AuditEvent {
	return training.AuditEvent{ID: r.ID, At: r.At, Actor: r.Actor, Action: training.AuditAction(r.Action),
		TargetKind: r.TargetKind, TargetID: r.TargetID, Outcome: r.Outcome, Detail: r.Detail, RequestID: r.RequestID}
}

// AppendAudit stores one event.
func (s *Store) AppendAudit(ctx context.Context, e training.AuditEvent) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	rec := &auditRec{V: recordV1, ID: e.ID, At: utc(e.At), Actor: e.Actor, Action: string(e.Action),
		TargetKind: e.TargetKind, TargetID: e.TargetID, Outcome: e.Outcome, Detail: e.Detail, RequestID: e.RequestID}
	key := []byte(training.AuditKey(e.At, e.ID))
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bAudit)
		if b.Get(key) != nil {
			return training.Conflictf("audit event %s exists", e.ID)
		}
		if e.TargetKind != "" && e.TargetID != "" {
			if err := tx.Bucket(bAuditTarget).Put(targetKey(e.TargetKind, e.TargetID, key), nil); err != nil {
				return err
			}
		}
		return b.Put(key, encodeJSON(rec))
	})
}

// Audit returns one page of matching events, newest first.
func (s *Store) Audit(ctx context.Context, q training.AuditQuery) (training.AuditPage, error) {
	if err := ctx.Err(); err != nil {
		return training.AuditPage{}, err
	}
	size := q.PageSize()
	page := training.AuditPage{Events: []training.AuditEvent{}}
	var from []byte
	if !q.From.IsZero() {
		from = []byte(training.AuditKey(q.From, ""))
	}
	// Start below the cursor and To, whichever is lower.
	upper := ""
	if !q.To.IsZero() {
		upper = training.AuditKey(q.To, "")
	}
	if q.Cursor != "" && (upper == "" || q.Cursor < upper) {
		upper = q.Cursor
	}
	err := s.view(func(tx *bbolt.Tx) error {
		events := tx.Bucket(bAudit)
		// With a target, walk that target's index; else the whole trail.
		var prefix []byte
		c := events.Cursor()
		if q.TargetKind != "" && q.TargetID != "" {
			prefix = targetKey(q.TargetKind, q.TargetID, nil)
			c = tx.Bucket(bAuditTarget).Cursor()
		}
		// stop is the first key not to return: the cursor or To within
		// the prefix, or past every key of the prefix (keys are hex digits).
		stop := append([]byte(nil), prefix...)
		if upper != "" {
			stop = append(stop, upper...)
		} else {
			stop = append(stop, 0xff)
		}
		k, _ := c.Seek(stop)
		if k == nil {
			k, _ = c.Last()
		}
		for k != nil && bytes.Compare(k, stop) >= 0 {
			k, _ = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
			key := k[len(prefix):]
			if from != nil && bytes.Compare(key, from) < 0 {
				return nil
			}
			v := events.Get(key)
			if v == nil {
				continue
			}
			var r auditRec
			if err := decodeJSON(v, &r, "audit event"); err != nil {
				return err
			}
			e := r.domain()
			if !q.Match(e) {
				continue
			}
			if len(page.Events) == size {
				page.Next = training.AuditKey(page.Events[size-1].At, page.Events[size-1].ID)
				return nil
			}
			page.Events = append(page.Events, e)
		}
		return nil
	})
	return page, err
}

// targetKey is the index key of an event about kind/id: kind, 0, id, 0,
// then the event's AuditKey (nil: the prefix of all of them).
func targetKey(kind, id string, key []byte) []byte {
	b := make([]byte, 0, len(kind)+len(id)+2+len(key))
	b = append(append(append(append(b, kind...), 0), id...), 0)
	return append(b, key...)
}

// PruneAudit deletes events before before.
func (s *Store) PruneAudit(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	end := []byte(training.AuditKey(before, ""))
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		c, ix := tx.Bucket(bAudit).Cursor(), tx.Bucket(bAuditTarget)
		for k, v := c.First(); k != nil && bytes.Compare(k, end) < 0; k, v = c.First() {
			var r auditRec
			if err := decodeJSON(v, &r, "audit event"); err != nil {
				return err
			}
			if r.TargetKind != "" && r.TargetID != "" {
				if err := ix.Delete(targetKey(r.TargetKind, r.TargetID, k)); err != nil {
					return err
				}
			}
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// AnonymiseOfficers replaces officers by their anonymised records in one
// transaction.
func (s *Store) AnonymiseOfficers(ctx context.Context, pseudonyms map[string]string) (training.AnonymiseCounts, error) {
	var n training.AnonymiseCounts
	if err := ctx.Err(); err != nil {
		return n, err
	}
	for id, p := range pseudonyms {
		if !training.IsPseudonym(p) || id == "" {
			return n, training.Invalidf("%q is not a pseudonym", p)
		}
	}
	err := s.update(func(tx *bbolt.Tx) error {
		ob, cb, xb := tx.Bucket(bOfficers), tx.Bucket(bCompletions), tx.Bucket(bExemptions)
		for id, p := range pseudonyms {
			if ob.Get([]byte(p)) != nil || cb.Get([]byte(p)) != nil || xb.Get([]byte(p)) != nil {
				return training.Conflictf("pseudonym %s is already in use", p)
			}
			v := ob.Get([]byte(id))
			if v == nil {
				continue
			}
			var rec training.OfficerRecord
			var err error
			if rec.Officer, err = decodeOfficer(v, nil); err != nil {
				return err
			}
			if rec.Completions, err = getCompletions(tx, id); err != nil {
				return err
			}
			if rec.Exemptions, err = getExemptions(tx, id); err != nil {
				return err
			}
			a := training.Anonymise(rec, p)
			for _, b := range []*bbolt.Bucket{ob, cb, xb} {
				if err := b.Delete([]byte(id)); err != nil {
					return err
				}
			}
			if err := ob.Put([]byte(p), encodeOfficer(a.Officer)); err != nil {
				return err
			}
			if len(a.Completions) > 0 {
				if err := cb.Put([]byte(p), encodeCompletions(a.Completions)); err != nil {
					return err
				}
			}
			if len(a.Exemptions) > 0 {
				if err := xb.Put([]byte(p), encodeExemptions(a.Exemptions)); err != nil {
					return err
				}
			}
			n.Officers++
			n.Completions += len(a.Completions)
			n.Exemptions += len(a.Exemptions)
		}
		if n.Officers == 0 {
			return nil
		}
		_, err := s.bumpRevision(tx)
		return err
	})
	if err != nil {
		return training.AnonymiseCounts{}, err
	}
	return n, nil
}
