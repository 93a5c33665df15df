package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// Officers' requests live under one hash tag, {P:req}, so that creating
// one (the open-request check, the record, the certificate, the index) is
// one WATCH/MULTI transaction in one Cluster slot:
//
//	{P:req}:requests   hash: id -> requestV1 JSON (no certificate bytes)
//	{P:req}:cert:ID    string: the certificate as sent
//	{P:req}:last       hash: officer|course -> id of their latest request
//	{P:req}:waiting    sorted set: undecided request ids by when sent (ms),
//	                   so listing the open ones reads the last 30 days only

func (k keys) requests() string             { return "{" + k.prefix + ":req}:requests" }
func (k keys) requestCert(id string) string { return "{" + k.prefix + ":req}:cert:" + id }
func (k keys) requestLast() string          { return "{" + k.prefix + ":req}:last" }
func (k keys) requestsWaiting() string      { return "{" + k.prefix + ":req}:waiting" }

type requestV1 struct {
	V             int       `json:"v"`
	ID            string    `json:"id"`
	Kind          string    `json:"kind"`
	OfficerID     string    `json:"officer_id"`
	CourseID      string    `json:"course_id"`
	Until         dateV1    `json:"until"`
	Reason        string    `json:"reason,omitempty"`
	Done          dateV1    `json:"done"`
	Where         string    `json:"where,omitempty"`
	CertName      string    `json:"cert_name,omitempty"`
	CertType      string    `json:"cert_type,omitempty"`
	Due           dateV1    `json:"due"`
	Deciders      []string  `json:"deciders,omitempty"`
	Created       time.Time `json:"created"`
	State         string    `json:"state"`
	DecidedBy     string    `json:"decided_by,omitempty"`
	DecidedByName string    `json:"decided_by_name,omitempty"`
	Decided       time.Time `json:"decided,omitzero"`
	DeclineReason string    `json:"decline_reason,omitempty"`
}

func encodeRequest(q training.Request) string {
	r := requestV1{V: recordVersion, ID: q.ID, Kind: string(q.Kind), OfficerID: q.OfficerID, CourseID: q.CourseID,
		Until: toDateV1(q.Until), Reason: q.Reason, Done: toDateV1(q.Done), Where: q.Where, Due: toDateV1(q.Due),
		Deciders: q.Deciders, Created: q.Created.UTC(), State: string(q.State), DecidedBy: q.DecidedBy,
		DecidedByName: q.DecidedByName, DeclineReason: q.DeclineReason}
	if !q.Decided.IsZero() {
		r.Decided = q.Decided.UTC()
	}
	if q.Certificate != nil {
		r.CertName, r.CertType = q.Certificate.Name, q.Certificate.Type
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // plain fields only
	}
	return string(b)
}

func decodeRequest(s string) (training.Request, error) {
	var r requestV1
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return training.Request{}, fmt.Errorf("redis store: a stored request is damaged: %w", err)
	}
	if r.V != recordVersion {
		return training.Request{}, fmt.Errorf("redis store: request record version %d not understood", r.V)
	}
	q := training.Request{ID: r.ID, Kind: training.RequestKind(r.Kind), OfficerID: r.OfficerID, CourseID: r.CourseID,
		Until: r.Until.date(), Reason: r.Reason, Done: r.Done.date(), Where: r.Where, Due: r.Due.date(),
		Deciders: append([]string{}, r.Deciders...), Created: r.Created.UTC(), State: training.RequestState(r.State),
		DecidedBy: r.DecidedBy, DecidedByName: r.DecidedByName, DeclineReason: r.DeclineReason}
	if !r.Decided.IsZero() {
		q.Decided = r.Decided.UTC()
	}
	if r.CertType != "" {
		q.Certificate = &training.Certificate{Name: r.CertName, Type: r.CertType}
	}
	return q, nil
}

// watched runs fn in a WATCH transaction on keys, again when another
// client changed them in between.
func (s *Store) watched(ctx context.Context, what string, fn func(tx *goredis.Tx) error, keys ...string) error {
	for attempt := 0; ; attempt++ {
		err := s.rdb.Watch(ctx, fn, keys...)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, goredis.TxFailedErr) && attempt < casAttempts:
			continue
		case errors.Is(err, goredis.TxFailedErr):
			return training.Conflictf("%s is being changed by someone else; try again", what)
		default:
			return s.wrap(err)
		}
	}
}

// CreateRequest stores a new request unless the officer's latest request
// for the course is open at r.Created, atomically.
func (s *Store) CreateRequest(ctx context.Context, r training.Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := training.CheckRequestBounds(r); err != nil {
		return err
	}
	k := s.keys
	return s.watched(ctx, "this request", func(tx *goredis.Tx) error {
		exists, err := tx.HExists(ctx, k.requests(), r.ID).Result()
		if err != nil {
			return err
		}
		if exists {
			return training.Conflictf("request %s exists", r.ID)
		}
		last, err := tx.HGet(ctx, k.requestLast(), r.Key()).Result()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return err
		}
		if last != "" {
			v, err := tx.HGet(ctx, k.requests(), last).Result()
			if err != nil && !errors.Is(err, goredis.Nil) {
				return err
			}
			if v != "" {
				p, err := decodeRequest(v)
				if err != nil {
					return err
				}
				if p.OpenAt(r.Created) {
					return training.Conflictf("there is already a request about this course waiting for a decision (sent %s); wait for it, or for it to lapse on %s", training.DateOf(p.Created).UK(), training.DateOf(p.Lapses()).UK())
				}
			}
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HSet(ctx, k.requests(), r.ID, encodeRequest(r))
			if r.Certificate != nil && len(r.Certificate.Data) > 0 {
				p.Set(ctx, k.requestCert(r.ID), r.Certificate.Data, 0)
			}
			p.HSet(ctx, k.requestLast(), r.Key(), r.ID)
			if r.State == training.RequestOpen {
				p.ZAdd(ctx, k.requestsWaiting(), goredis.Z{Score: float64(r.Created.UnixMilli()), Member: r.ID})
			}
			return nil
		})
		return err
	}, k.requests(), k.requestLast())
}

// Request returns one request with its certificate's bytes.
func (s *Store) Request(ctx context.Context, id string) (training.Request, error) {
	if err := ctx.Err(); err != nil {
		return training.Request{}, err
	}
	v, err := s.rdb.HGet(ctx, s.keys.requests(), id).Result()
	if errors.Is(err, goredis.Nil) {
		return training.Request{}, training.NotFoundf("request")
	}
	if err != nil {
		return training.Request{}, s.wrap(err)
	}
	r, err := decodeRequest(v)
	if err != nil {
		return r, err
	}
	if r.Certificate != nil {
		b, err := s.rdb.Get(ctx, s.keys.requestCert(id)).Bytes()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return r, s.wrap(err)
		}
		r.Certificate.Data = b
	}
	return r, nil
}

// Requests lists the requests q matches, newest first.
func (s *Store) Requests(ctx context.Context, q training.RequestQuery) ([]training.Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []string
	if q.Open {
		// Only those sent in the last 30 days can still be open.
		from := q.Now.AddDate(0, 0, -training.RequestLapseDays).UnixMilli() - 1
		ids, err := s.rdb.ZRangeByScore(ctx, s.keys.requestsWaiting(), &goredis.ZRangeBy{Min: strconv.FormatInt(from, 10), Max: "+inf"}).Result()
		if err != nil {
			return nil, s.wrap(err)
		}
		if len(ids) > 0 {
			vs, err := s.rdb.HMGet(ctx, s.keys.requests(), ids...).Result()
			if err != nil {
				return nil, s.wrap(err)
			}
			for _, v := range vs {
				if v, ok := v.(string); ok {
					all = append(all, v)
				}
			}
		}
	} else {
		m, err := s.rdb.HGetAll(ctx, s.keys.requests()).Result()
		if err != nil {
			return nil, s.wrap(err)
		}
		for _, v := range m {
			all = append(all, v)
		}
	}
	out := []training.Request{}
	for _, v := range all {
		r, err := decodeRequest(v)
		if err != nil {
			return nil, err
		}
		if q.Match(r) {
			out = append(out, r)
		}
	}
	training.SortRequests(out)
	return out, nil
}

// UpdateRequest changes one request atomically.
func (s *Store) UpdateRequest(ctx context.Context, id string, fn func(*training.Request) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	k := s.keys
	return s.watched(ctx, "request "+id, func(tx *goredis.Tx) error {
		v, err := tx.HGet(ctx, k.requests(), id).Result()
		if errors.Is(err, goredis.Nil) {
			return training.NotFoundf("request")
		}
		if err != nil {
			return err
		}
		old, err := decodeRequest(v)
		if err != nil {
			return err
		}
		d, _ := decodeRequest(v)
		if err := fn(&d); err != nil {
			return err
		}
		d.ID, d.Kind, d.OfficerID, d.CourseID, d.Certificate = old.ID, old.Kind, old.OfficerID, old.CourseID, old.Certificate
		d.Created = old.Created // the waiting index is scored on it
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HSet(ctx, k.requests(), id, encodeRequest(d))
			if d.State == training.RequestOpen {
				p.ZAdd(ctx, k.requestsWaiting(), goredis.Z{Score: float64(d.Created.UnixMilli()), Member: id})
			} else {
				p.ZRem(ctx, k.requestsWaiting(), id)
			}
			return nil
		})
		return err
	}, k.requests())
}

// DeleteRequestsOf deletes the officers' requests, their certificates and
// their index entries in one transaction (every key is in the {P:req}
// slot).
func (s *Store) DeleteRequestsOf(ctx context.Context, officerIDs []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	gone := make(map[string]bool, len(officerIDs))
	for _, id := range officerIDs {
		gone[id] = true
	}
	k := s.keys
	n := 0
	err := s.watched(ctx, "the requests", func(tx *goredis.Tx) error {
		all, err := tx.HGetAll(ctx, k.requests()).Result()
		if err != nil {
			return err
		}
		var drop []training.Request
		for _, v := range all {
			r, err := decodeRequest(v)
			if err != nil {
				return err
			}
			if gone[r.OfficerID] {
				drop = append(drop, r)
			}
		}
		n = len(drop)
		if n == 0 {
			return nil
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			for _, r := range drop {
				p.HDel(ctx, k.requests(), r.ID)
				p.Del(ctx, k.requestCert(r.ID))
				p.ZRem(ctx, k.requestsWaiting(), r.ID)
				p.HDel(ctx, k.requestLast(), r.Key())
			}
			return nil
		})
		return err
	}, k.requests())
	return n, err
}
