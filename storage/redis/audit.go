package redis

import (
	"context"
	"errors"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// The audit trail: {P:audit}:events (hash, training.AuditKey → event) and
// {P:audit}:by-time (sorted set, every score 0, member AuditKey), so that
// ZRANGEBYLEX walks the trail in time order in bounded batches and a
// prune removes a range. Both keys share a hash tag: one Cluster slot,
// written together in MULTI.

type auditV1 struct {
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

func (r auditV1) version() int { return r.V }

func (r auditV1) domain() training.AuditEvent {
	return training.AuditEvent{ID: r.ID, At: r.At, Actor: r.Actor, Action: training.AuditAction(r.Action),
		TargetKind: r.TargetKind, TargetID: r.TargetID, Outcome: r.Outcome, Detail: r.Detail, RequestID: r.RequestID}
}

// auditBatch is how many index entries one query or prune step reads.
const auditBatch = 500

// auditScanLimit bounds how many events one Audit call reads when the
// filters match few: past it the page ends early with a cursor to go on.
const auditScanLimit = 50_000

func (s *Store) auditKeys() (events, byTime string) {
	a := "{" + s.keys.prefix + ":audit}:"
	return a + "events", a + "by-time"
}

// auditTarget is the index of the events about one target: a sorted set
// like by-time, in the same slot.
func (s *Store) auditTarget(kind, id string) string {
	return "{" + s.keys.prefix + ":audit}:target:" + kind + ":" + id
}

// AppendAudit stores one event.
func (s *Store) AppendAudit(ctx context.Context, e training.AuditEvent) error {
	if err := e.Validate(); err != nil {
		return err
	}
	events, byTime := s.auditKeys()
	key := training.AuditKey(e.At, e.ID)
	rec := auditV1{recordVersion, e.ID, e.At.UTC(), e.Actor, string(e.Action), e.TargetKind, e.TargetID, e.Outcome, e.Detail, e.RequestID}
	var set *goredis.BoolCmd
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		set = p.HSetNX(ctx, events, key, encode(rec))
		p.ZAdd(ctx, byTime, goredis.Z{Member: key})
		if e.TargetKind != "" && e.TargetID != "" {
			p.ZAdd(ctx, s.auditTarget(e.TargetKind, e.TargetID), goredis.Z{Member: key})
		}
		return nil
	})
	if err != nil {
		return s.wrap(err)
	}
	if !set.Val() {
		return training.Conflictf("audit event %s exists", e.ID)
	}
	return nil
}

// Audit returns one page of matching events, newest first.
func (s *Store) Audit(ctx context.Context, q training.AuditQuery) (training.AuditPage, error) {
	events, byTime := s.auditKeys()
	size := q.PageSize()
	page := training.AuditPage{Events: []training.AuditEvent{}}
	max := "+"
	upper := ""
	if !q.To.IsZero() {
		upper = training.AuditKey(q.To, "")
	}
	if q.Cursor != "" && (upper == "" || q.Cursor < upper) {
		upper = q.Cursor
	}
	if upper != "" {
		max = "(" + upper
	}
	min := "-"
	if !q.From.IsZero() {
		min = "[" + training.AuditKey(q.From, "")
	}
	index := byTime
	if q.TargetKind != "" && q.TargetID != "" {
		index = s.auditTarget(q.TargetKind, q.TargetID)
	}
	scanned := 0
	for {
		keys, err := s.rdb.ZRevRangeByLex(ctx, index, &goredis.ZRangeBy{Max: max, Min: min, Count: auditBatch}).Result()
		if err != nil {
			return page, s.wrap(err)
		}
		if len(keys) == 0 {
			return page, nil
		}
		vals, err := s.hmget(ctx, events, keys)
		if err != nil {
			return page, err
		}
		for _, v := range vals {
			if v == "" {
				continue // pruned between the two reads
			}
			r, err := decode[auditV1]("audit event", v)
			if err != nil {
				return page, err
			}
			e := r.domain()
			if !q.Match(e) {
				continue
			}
			if len(page.Events) == size {
				page.Next = training.AuditKey(page.Events[size-1].At, page.Events[size-1].ID)
				return page, nil
			}
			page.Events = append(page.Events, e)
		}
		scanned += len(keys)
		max = "(" + keys[len(keys)-1]
		if len(keys) < auditBatch {
			return page, nil
		}
		if scanned >= auditScanLimit {
			// Few matches in many events: hand back what was found and
			// where to go on, rather than hold the caller for the whole trail.
			page.Next = keys[len(keys)-1]
			return page, nil
		}
	}
}

// PruneAudit deletes events before before, a batch at a time.
func (s *Store) PruneAudit(ctx context.Context, before time.Time) (int, error) {
	events, byTime := s.auditKeys()
	max := "(" + training.AuditKey(before, "")
	n := 0
	for {
		keys, err := s.rdb.ZRangeByLex(ctx, byTime, &goredis.ZRangeBy{Min: "-", Max: max, Count: auditBatch}).Result()
		if err != nil {
			return n, s.wrap(err)
		}
		if len(keys) == 0 {
			return n, nil
		}
		members := make([]any, len(keys))
		for i, k := range keys {
			members[i] = k
		}
		// Each event's target index loses it too.
		vals, err := s.hmget(ctx, events, keys)
		if err != nil {
			return n, err
		}
		targets := map[string][]any{}
		for i, v := range vals {
			if v == "" {
				continue
			}
			r, err := decode[auditV1]("audit event", v)
			if err != nil {
				return n, err
			}
			if r.TargetKind != "" && r.TargetID != "" {
				ix := s.auditTarget(r.TargetKind, r.TargetID)
				targets[ix] = append(targets[ix], keys[i])
			}
		}
		if _, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HDel(ctx, events, keys...)
			p.ZRem(ctx, byTime, members...)
			for ix, ms := range targets {
				p.ZRem(ctx, ix, ms...)
			}
			return nil
		}); err != nil {
			return n, s.wrap(err)
		}
		n += len(keys)
	}
}

// AnonymiseOfficers replaces officers by their anonymised records in one
// MULTI, watched on the roster keys: any other roster write in between
// (which always bumps the revision) makes it start again.
func (s *Store) AnonymiseOfficers(ctx context.Context, pseudonyms map[string]string) (training.AnonymiseCounts, error) {
	ids := make([]string, 0, len(pseudonyms))
	for id, p := range pseudonyms {
		if !training.IsPseudonym(p) || id == "" {
			return training.AnonymiseCounts{}, training.Invalidf("%q is not a pseudonym", p)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return training.AnonymiseCounts{}, nil
	}
	var n training.AnonymiseCounts
	fn := func(tx *goredis.Tx) error {
		n = training.AnonymiseCounts{}
		var recs []training.OfficerRecord
		for i := 0; i < len(ids); i += s.chunk {
			part := ids[i:min(i+s.chunk, len(ids))]
			pseud := make([]string, len(part))
			for j, id := range part {
				pseud[j] = pseudonyms[id]
			}
			var o, c, x, po *goredis.SliceCmd
			if _, err := tx.Pipelined(ctx, func(p goredis.Pipeliner) error {
				o = p.HMGet(ctx, s.keys.officers, part...)
				c = p.HMGet(ctx, s.keys.completions, part...)
				x = p.HMGet(ctx, s.keys.exemptions, part...)
				po = p.HMGet(ctx, s.keys.officers, pseud...)
				return nil
			}); err != nil {
				return err
			}
			for j, id := range part {
				if v, _ := po.Val()[j].(string); v != "" {
					return training.Conflictf("pseudonym %s is already in use", pseud[j])
				}
				ov, _ := o.Val()[j].(string)
				if ov == "" {
					continue
				}
				off, err := decodeOfficer(ov, nil)
				off.ID = id
				if err != nil {
					return err
				}
				rec := training.OfficerRecord{Officer: off}
				if cv, _ := c.Val()[j].(string); cv != "" {
					if rec.Completions, err = decodeCompletions(id, cv, nil); err != nil {
						return err
					}
				}
				if xv, _ := x.Val()[j].(string); xv != "" {
					if rec.Exemptions, err = decodeExemptions(id, xv, nil); err != nil {
						return err
					}
				}
				recs = append(recs, rec)
			}
		}
		if len(recs) == 0 {
			return nil
		}
		_, err := tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			for _, rec := range recs {
				id := rec.Officer.ID
				a := training.Anonymise(rec, pseudonyms[id])
				p.HDel(ctx, s.keys.officers, id)
				p.HDel(ctx, s.keys.completions, id)
				p.HDel(ctx, s.keys.exemptions, id)
				p.HSet(ctx, s.keys.officers, a.Officer.ID, encodeOfficer(a.Officer))
				if len(a.Completions) > 0 {
					p.HSet(ctx, s.keys.completions, a.Officer.ID, encodeCompletions(a.Completions))
				}
				if len(a.Exemptions) > 0 {
					p.HSet(ctx, s.keys.exemptions, a.Officer.ID, encodeExemptions(a.Exemptions))
				}
				n.Officers++
				n.Completions += len(a.Completions)
				n.Exemptions += len(a.Exemptions)
			}
			p.Incr(ctx, s.keys.rev)
			return nil
		})
		return err
	}
	for attempt := 0; ; attempt++ {
		err := s.rdb.Watch(ctx, fn, s.keys.rev, s.keys.officers, s.keys.completions, s.keys.exemptions)
		switch {
		case err == nil:
			return n, nil
		case errors.Is(err, goredis.TxFailedErr) && attempt < 5:
			continue
		case errors.Is(err, goredis.TxFailedErr):
			return training.AnonymiseCounts{}, training.Conflictf("the roster kept changing while leavers were being anonymised; try again")
		case errors.Is(err, training.ErrConflict) || errors.Is(err, training.ErrInvalid):
			return training.AnonymiseCounts{}, err
		default:
			return training.AnonymiseCounts{}, s.wrap(err)
		}
	}
}
