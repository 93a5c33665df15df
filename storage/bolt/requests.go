package bolt

import (
	"context"
	"time"

	"go.etcd.io/bbolt"

	"github.com/muster-police/muster/training"
)

// Officers' requests: one record per request (without the certificate's
// bytes, so that listing never reads them), the certificate apart, and an
// index of the latest request per officer and course, which is how
// CreateRequest keeps one open request per person and course.
var (
	bRequests     = []byte("requests")        // id -> requestRec
	bRequestCerts = []byte("request-certs")   // id -> certificate bytes as sent
	bRequestOpen  = []byte("ix-request-last") // officer|course -> id of their latest request
	// Undecided requests by when they were sent (timeKey(created, id) ->
	// nil): the open ones are those sent in the last 30 days, so listing
	// them (the count in every manager's navigation) seeks past the
	// lapsed ones instead of reading every request ever made.
	bRequestsWaiting = []byte("ix-requests-waiting")
)

// requestRec is a request on disk.
type requestRec struct {
	V             int       `json:"v"`
	ID            string    `json:"id"`
	Kind          string    `json:"kind"`
	OfficerID     string    `json:"officer_id"`
	CourseID      string    `json:"course_id"`
	Until         *dateRec  `json:"until,omitempty"`
	Reason        string    `json:"reason,omitempty"`
	Done          *dateRec  `json:"done,omitempty"`
	Where         string    `json:"where,omitempty"`
	CertName      string    `json:"cert_name,omitempty"`
	CertType      string    `json:"cert_type,omitempty"`
	Due           *dateRec  `json:"due,omitempty"`
	Deciders      []string  `json:"deciders,omitempty"`
	Created       time.Time `json:"created"`
	State         string    `json:"state"`
	DecidedBy     string    `json:"decided_by,omitempty"`
	DecidedByName string    `json:"decided_by_name,omitempty"`
	Decided       time.Time `json:"decided,omitzero"`
	DeclineReason string    `json:"decline_reason,omitempty"`
}

func (r *requestRec) version() int { return r.V }

func toRequestRec(q training.Request) *requestRec {
	r := &requestRec{V: recordV1, ID: q.ID, Kind: string(q.Kind), OfficerID: q.OfficerID, CourseID: q.CourseID,
		Until: toDateRec(q.Until), Reason: q.Reason, Done: toDateRec(q.Done), Where: q.Where, Due: toDateRec(q.Due),
		Deciders: q.Deciders, Created: q.Created.UTC(), State: string(q.State), DecidedBy: q.DecidedBy,
		DecidedByName: q.DecidedByName, Decided: q.Decided.UTC(), DeclineReason: q.DeclineReason}
	if q.Decided.IsZero() {
		r.Decided = time.Time{}
	}
	if q.Certificate != nil {
		r.CertName, r.CertType = q.Certificate.Name, q.Certificate.Type
	}
	return r
}

func (r *requestRec) domain() training.Request {
	q := training.Request{ID: r.ID, Kind: training.RequestKind(r.Kind), OfficerID: r.OfficerID, CourseID: r.CourseID,
		Until: r.Until.domain(), Reason: r.Reason, Done: r.Done.domain(), Where: r.Where, Due: r.Due.domain(),
		Deciders: append([]string{}, r.Deciders...), Created: r.Created.UTC(), State: training.RequestState(r.State),
		DecidedBy: r.DecidedBy, DecidedByName: r.DecidedByName, DeclineReason: r.DeclineReason}
	if !r.Decided.IsZero() {
		q.Decided = r.Decided.UTC()
	}
	if r.CertType != "" {
		q.Certificate = &training.Certificate{Name: r.CertName, Type: r.CertType}
	}
	return q
}

func readRequest(tx *bbolt.Tx, id string) (*requestRec, error) {
	v := tx.Bucket(bRequests).Get([]byte(id))
	if v == nil {
		return nil, notFound("request")
	}
	var r requestRec
	if err := decodeJSON(v, &r, "request"); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRequest stores a new request unless the officer's latest request
// for the course is still open at r.Created, in one write transaction.
func (s *Store) CreateRequest(ctx context.Context, r training.Request) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := training.CheckRequestBounds(r); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bRequests).Get([]byte(r.ID)) != nil {
			return training.Conflictf("request %s exists", r.ID)
		}
		ix := tx.Bucket(bRequestOpen)
		if last := ix.Get([]byte(r.Key())); last != nil {
			prev, err := readRequest(tx, string(last))
			if err != nil {
				return err
			}
			if p := prev.domain(); p.OpenAt(r.Created) {
				return training.Conflictf("there is already a request about this course waiting for a decision (sent %s); wait for it, or for it to lapse on %s", training.DateOf(p.Created).UK(), training.DateOf(p.Lapses()).UK())
			}
		}
		if err := tx.Bucket(bRequests).Put([]byte(r.ID), encodeJSON(toRequestRec(r))); err != nil {
			return err
		}
		if r.Certificate != nil && len(r.Certificate.Data) > 0 {
			if err := tx.Bucket(bRequestCerts).Put([]byte(r.ID), r.Certificate.Data); err != nil {
				return err
			}
		}
		if r.State == training.RequestOpen {
			if err := tx.Bucket(bRequestsWaiting).Put(timeKey(r.Created, r.ID), nil); err != nil {
				return err
			}
		}
		return ix.Put([]byte(r.Key()), []byte(r.ID))
	})
}

// Request returns one request with its certificate's bytes.
func (s *Store) Request(ctx context.Context, id string) (training.Request, error) {
	if err := ctx.Err(); err != nil {
		return training.Request{}, err
	}
	var out training.Request
	err := s.view(func(tx *bbolt.Tx) error {
		r, err := readRequest(tx, id)
		if err != nil {
			return err
		}
		out = r.domain()
		if out.Certificate != nil {
			out.Certificate.Data = append([]byte{}, tx.Bucket(bRequestCerts).Get([]byte(id))...)
		}
		return nil
	})
	return out, err
}

// Requests lists the requests q matches, newest first.
func (s *Store) Requests(ctx context.Context, q training.RequestQuery) ([]training.Request, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.Request{}
	err := s.view(func(tx *bbolt.Tx) error {
		if q.Open {
			// Only those sent in the last 30 days can still be open.
			c := tx.Bucket(bRequestsWaiting).Cursor()
			for k, _ := c.Seek(timeKey(q.Now.AddDate(0, 0, -training.RequestLapseDays), "")); k != nil; k, _ = c.Next() {
				r, err := readRequest(tx, string(k[timeKeyLen:]))
				if err != nil {
					return err
				}
				if d := r.domain(); q.Match(d) {
					out = append(out, d)
				}
			}
			return nil
		}
		return tx.Bucket(bRequests).ForEach(func(k, v []byte) error {
			var r requestRec
			if err := decodeJSON(v, &r, "request"); err != nil {
				return err
			}
			if d := r.domain(); q.Match(d) {
				out = append(out, d)
			}
			return nil
		})
	})
	training.SortRequests(out)
	return out, err
}

// UpdateRequest changes one request in a write transaction.
func (s *Store) UpdateRequest(ctx context.Context, id string, fn func(*training.Request) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		r, err := readRequest(tx, id)
		if err != nil {
			return err
		}
		d := r.domain()
		if err := fn(&d); err != nil {
			return err
		}
		// What the request is about never changes.
		d.ID, d.Kind, d.OfficerID, d.CourseID = r.ID, training.RequestKind(r.Kind), r.OfficerID, r.CourseID
		d.Certificate = r.domain().Certificate
		d.Created = r.Created // the waiting index is keyed on it
		ix := tx.Bucket(bRequestsWaiting)
		if d.State == training.RequestOpen {
			err = ix.Put(timeKey(d.Created, id), nil)
		} else {
			err = ix.Delete(timeKey(d.Created, id))
		}
		if err != nil {
			return err
		}
		return tx.Bucket(bRequests).Put([]byte(id), encodeJSON(toRequestRec(d)))
	})
}

// DeleteRequestsOf deletes the officers' requests, their certificates and
// their index entries in one write transaction.
func (s *Store) DeleteRequestsOf(ctx context.Context, officerIDs []string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	gone := make(map[string]bool, len(officerIDs))
	for _, id := range officerIDs {
		gone[id] = true
	}
	n := 0
	err := s.update(func(tx *bbolt.Tx) error {
		n = 0
		var drop []*requestRec
		if err := tx.Bucket(bRequests).ForEach(func(k, _ []byte) error {
			r, err := readRequest(tx, string(k))
			if err != nil {
				return err
			}
			if gone[r.OfficerID] {
				drop = append(drop, r)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, r := range drop {
			for _, del := range []struct{ b, k []byte }{
				{bRequests, []byte(r.ID)},
				{bRequestCerts, []byte(r.ID)},
				{bRequestsWaiting, timeKey(r.Created, r.ID)},
				{bRequestOpen, []byte(r.domain().Key())},
			} {
				if err := tx.Bucket(del.b).Delete(del.k); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}
