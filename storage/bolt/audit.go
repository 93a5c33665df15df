package bolt

import (
	"bytes"
	"context"
	"fmt"
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

func (r *auditRec) event() training.AuditEvent {
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
			return fmt.Errorf("%w: audit event %s exists", training.ErrConflict, e.ID)
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
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		// Start below the cursor and To, whichever is lower.
		upper := ""
		if !q.To.IsZero() {
			upper = training.AuditKey(q.To, "")
		}
		if q.Cursor != "" && (upper == "" || q.Cursor < upper) {
			upper = q.Cursor
		}
		var k, v []byte
		if upper == "" {
			k, v = c.Last()
		} else {
			k, v = c.Seek([]byte(upper))
			if k == nil {
				k, v = c.Last()
			}
			for k != nil && bytes.Compare(k, []byte(upper)) >= 0 {
				k, v = c.Prev()
			}
		}
		for ; k != nil; k, v = c.Prev() {
			if from != nil && bytes.Compare(k, from) < 0 {
				return nil
			}
			var r auditRec
			if err := decodeJSON(v, &r, "audit event"); err != nil {
				return err
			}
			e := r.event()
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

// PruneAudit deletes events before before.
func (s *Store) PruneAudit(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	end := []byte(training.AuditKey(before, ""))
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bAudit).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.First() {
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
			return n, fmt.Errorf("%w: %q is not a pseudonym", training.ErrInvalid, p)
		}
	}
	err := s.update(func(tx *bbolt.Tx) error {
		ob, cb, xb := tx.Bucket(bOfficers), tx.Bucket(bCompletions), tx.Bucket(bExemptions)
		for id, p := range pseudonyms {
			if ob.Get([]byte(p)) != nil || cb.Get([]byte(p)) != nil || xb.Get([]byte(p)) != nil {
				return fmt.Errorf("%w: pseudonym %s is already in use", training.ErrConflict, p)
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
		_, err := bumpRevision(tx)
		return err
	})
	if err != nil {
		return training.AnonymiseCounts{}, err
	}
	return n, nil
}
