package bolt

import (
	"cmp"
	"context"
	"slices"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/muster-police/muster/training"
)

// statementRec is a stored xAPI statement on disk (training.Statement).
type statementRec struct {
	V            int                `json:"v"`
	ID           string             `json:"id"`
	Hash         string             `json:"hash"`
	Verb         string             `json:"verb"`
	HomePage     string             `json:"home_page,omitempty"`
	Name         string             `json:"name,omitempty"`
	Email        string             `json:"email,omitempty"`
	Activity     string             `json:"activity,omitempty"`
	ActivityName string             `json:"activity_name,omitempty"`
	Voids        string             `json:"voids,omitempty"`
	Completed    bool               `json:"completed,omitempty"`
	Waived       bool               `json:"waived,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	Timestamp    time.Time          `json:"timestamp"`
	ImportID     string             `json:"import_id,omitempty"`
	By           string             `json:"by,omitempty"`
	At           time.Time          `json:"at"`
	Raw          string             `json:"raw,omitempty"`
	Status       string             `json:"status"`
	Problem      string             `json:"problem,omitempty"`
	Recorded     *statementRecorded `json:"recorded,omitempty"`
}

// statementRecorded is the completion a statement recorded.
type statementRecorded struct {
	Officer string   `json:"officer"`
	Course  string   `json:"course"`
	Date    *dateRec `json:"date"`
}

func (r *statementRec) version() int { return r.V }

func toStatementRec(s training.Statement) *statementRec {
	r := &statementRec{V: recordV1, ID: s.ID, Hash: s.Hash, Verb: s.Verb, HomePage: s.Actor.HomePage, Name: s.Actor.Name,
		Email: s.Actor.Email, Activity: s.Activity, ActivityName: s.ActivityName, Voids: s.Voids, Completed: s.Completed,
		Waived: s.Waived, Reason: s.Reason, Timestamp: s.Timestamp.UTC(), ImportID: s.Source.ImportID, By: s.Source.By,
		At: s.Source.At.UTC(), Raw: string(s.Raw), Status: string(s.Status), Problem: s.Problem}
	if c := s.Recorded; c != nil {
		r.Recorded = &statementRecorded{Officer: c.OfficerID, Course: c.CourseID, Date: toDateRec(c.Date)}
	}
	return r
}

func (r *statementRec) statement() training.Statement {
	src := training.Source{ImportID: r.ImportID, By: r.By, At: r.At}
	s := training.Statement{ID: r.ID, Hash: r.Hash, Verb: r.Verb,
		Actor:    training.StatementActor{HomePage: r.HomePage, Name: r.Name, Email: r.Email},
		Activity: r.Activity, ActivityName: r.ActivityName, Voids: r.Voids, Completed: r.Completed, Waived: r.Waived,
		Reason: r.Reason, Timestamp: r.Timestamp, Source: src, Status: training.StatementStatus(r.Status), Problem: r.Problem}
	if r.Raw != "" {
		s.Raw = []byte(r.Raw)
	}
	if c := r.Recorded; c != nil {
		s.Recorded = &training.Completion{OfficerID: c.Officer, CourseID: c.Course, Date: c.Date.domain(), Source: src}
	}
	return s
}

// putStatements stores a batch's statements (see training.CompletionBatch).
func putStatements(tx *bbolt.Tx, sts []training.Statement) error {
	all, waiting := tx.Bucket(bStatements), tx.Bucket(bStatementsWaiting)
	for i, st := range sts {
		if st.ID == "" {
			return training.Invalidf("statement %d of the batch has no ID", i+1)
		}
		if v := all.Get([]byte(st.ID)); v != nil {
			var old statementRec
			if err := decodeJSON(v, &old, "statement"); err != nil {
				return err
			}
			if old.Hash != st.Hash {
				return training.Conflictf("a different statement with id %s is already stored", st.ID)
			}
		}
		if err := all.Put([]byte(st.ID), encodeJSON(toStatementRec(st))); err != nil {
			return err
		}
		if st.Voids != "" {
			if err := tx.Bucket(bStatementsVoidedBy).Put([]byte(st.Voids), []byte(st.ID)); err != nil {
				return err
			}
		}
		var err error
		if st.Status.Waiting() {
			err = waiting.Put([]byte(st.ID), nil)
		} else {
			err = waiting.Delete([]byte(st.ID))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// removeCompletions takes back a batch's removed completions.
func removeCompletions(tx *bbolt.Tx, rm []training.Completion) error {
	done := map[string]bool{}
	for _, r := range rm {
		if done[r.OfficerID] {
			continue
		}
		done[r.OfficerID] = true
		have, err := getCompletions(tx, r.OfficerID)
		if err != nil {
			return err
		}
		left, changed := training.RemoveCompletions(have, rm)
		if !changed {
			continue
		}
		if len(left) == 0 {
			err = tx.Bucket(bCompletions).Delete([]byte(r.OfficerID))
		} else {
			err = tx.Bucket(bCompletions).Put([]byte(r.OfficerID), encodeCompletions(left))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Statements returns the stored statements with these IDs.
func (s *Store) Statements(ctx context.Context, ids []string) (map[string]training.Statement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]training.Statement{}
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bStatements)
		for _, id := range ids {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			var r statementRec
			if err := decodeJSON(v, &r, "statement"); err != nil {
				return err
			}
			out[id] = r.statement()
		}
		return nil
	})
	return out, err
}

// VoidedBy returns the voiding statements stored for these IDs.
func (s *Store) VoidedBy(ctx context.Context, ids []string) (map[string]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	err := s.view(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bStatementsVoidedBy)
		for _, id := range ids {
			if v := b.Get([]byte(id)); v != nil {
				out[id] = string(v)
			}
		}
		return nil
	})
	return out, err
}

// WaitingStatements lists the statements waiting for a person or a course.
func (s *Store) WaitingStatements(ctx context.Context, limit int) ([]training.Statement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.Statement{}
	err := s.view(func(tx *bbolt.Tx) error {
		all := tx.Bucket(bStatements)
		return tx.Bucket(bStatementsWaiting).ForEach(func(k, _ []byte) error {
			var r statementRec
			if err := decodeJSON(all.Get(k), &r, "statement"); err != nil {
				return err
			}
			out = append(out, r.statement())
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b training.Statement) int {
		return cmp.Or(a.Source.At.Compare(b.Source.At), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}
