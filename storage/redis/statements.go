package redis

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/muster-police/muster/training"
)

// statementV1 is a stored xAPI statement on disk (training.Statement).
type statementV1 struct {
	V            int               `json:"v"`
	ID           string            `json:"id"`
	Hash         string            `json:"hash"`
	Verb         string            `json:"verb"`
	HomePage     string            `json:"home_page,omitempty"`
	Name         string            `json:"name,omitempty"`
	Email        string            `json:"email,omitempty"`
	Activity     string            `json:"activity,omitempty"`
	ActivityName string            `json:"activity_name,omitempty"`
	Voids        string            `json:"voids,omitempty"`
	Completed    bool              `json:"completed,omitempty"`
	Waived       bool              `json:"waived,omitempty"`
	Reason       string            `json:"reason,omitempty"`
	Timestamp    time.Time         `json:"timestamp"`
	ImportID     string            `json:"import_id,omitempty"`
	By           string            `json:"by,omitempty"`
	At           time.Time         `json:"at"`
	Raw          string            `json:"raw,omitempty"`
	Status       string            `json:"status"`
	Problem      string            `json:"problem,omitempty"`
	Recorded     *statementV1orded `json:"recorded,omitempty"`
}

// statementV1orded is the completion a statement recorded.
type statementV1orded struct {
	Officer string `json:"officer"`
	Course  string `json:"course"`
	Date    dateV1 `json:"date"`
}

func (r statementV1) version() int { return r.V }

func toStatementV1(s training.Statement) statementV1 {
	r := statementV1{V: recordVersion, ID: s.ID, Hash: s.Hash, Verb: s.Verb, HomePage: s.Actor.HomePage, Name: s.Actor.Name,
		Email: s.Actor.Email, Activity: s.Activity, ActivityName: s.ActivityName, Voids: s.Voids, Completed: s.Completed,
		Waived: s.Waived, Reason: s.Reason, Timestamp: s.Timestamp.UTC(), ImportID: s.Source.ImportID, By: s.Source.By,
		At: s.Source.At.UTC(), Raw: string(s.Raw), Status: string(s.Status), Problem: s.Problem}
	if c := s.Recorded; c != nil {
		r.Recorded = &statementV1orded{Officer: c.OfficerID, Course: c.CourseID, Date: toDateV1(c.Date)}
	}
	return r
}

func (r statementV1) statement() training.Statement {
	src := training.Source{ImportID: r.ImportID, By: r.By, At: r.At}
	s := training.Statement{ID: r.ID, Hash: r.Hash, Verb: r.Verb,
		Actor:    training.StatementActor{HomePage: r.HomePage, Name: r.Name, Email: r.Email},
		Activity: r.Activity, ActivityName: r.ActivityName, Voids: r.Voids, Completed: r.Completed, Waived: r.Waived,
		Reason: r.Reason, Timestamp: r.Timestamp, Source: src, Status: training.StatementStatus(r.Status), Problem: r.Problem}
	if r.Raw != "" {
		s.Raw = []byte(r.Raw)
	}
	if c := r.Recorded; c != nil {
		s.Recorded = &training.Completion{OfficerID: c.Officer, CourseID: c.Course, Date: c.Date.date(), Source: src}
	}
	return s
}

// statementArgs checks a batch's statements against the stored ones
// (a stored ID with another hash is ErrConflict) and returns the script's
// arguments: per statement its ID, the record read (or ""), the new record
// "1" when it waits for HR (else "0"), and the ID it voids (or "").
func (s *Store) statementArgs(ctx context.Context, sts []training.Statement) ([]any, error) {
	ids := make([]string, len(sts))
	for i, st := range sts {
		if st.ID == "" {
			return nil, training.Invalidf("statement %d of the batch has no ID", i+1)
		}
		ids[i] = st.ID
	}
	old, err := s.hmget(ctx, s.keys.statements, ids)
	if err != nil {
		return nil, err
	}
	var args []any
	for i, st := range sts {
		if old[i] != "" {
			o, err := decode[statementV1]("statement", old[i])
			if err != nil {
				return nil, err
			}
			if o.Hash != st.Hash {
				return nil, training.Conflictf("a different statement with id %s is already stored", st.ID)
			}
		}
		waiting := "0"
		if st.Status.Waiting() {
			waiting = "1"
		}
		args = append(args, st.ID, old[i], encode(toStatementV1(st)), waiting, st.Voids)
	}
	return args, nil
}

// Statements returns the stored statements with these IDs.
func (s *Store) Statements(ctx context.Context, ids []string) (map[string]training.Statement, error) {
	vals, err := s.hmget(ctx, s.keys.statements, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]training.Statement{}
	for i, v := range vals {
		if v == "" {
			continue
		}
		r, err := decode[statementV1]("statement", v)
		if err != nil {
			return nil, err
		}
		out[ids[i]] = r.statement()
	}
	return out, nil
}

// VoidedBy returns the voiding statements stored for these IDs.
func (s *Store) VoidedBy(ctx context.Context, ids []string) (map[string]string, error) {
	vals, err := s.hmget(ctx, s.keys.statementsVoided, ids)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, v := range vals {
		if v != "" {
			out[ids[i]] = v
		}
	}
	return out, nil
}

// WaitingStatements lists the statements waiting for a person or a course.
func (s *Store) WaitingStatements(ctx context.Context, limit int) ([]training.Statement, error) {
	ids, err := s.rdb.SMembers(ctx, s.keys.statementsWaiting).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	m, err := s.Statements(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]training.Statement, 0, len(m))
	for _, st := range m {
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b training.Statement) int {
		return cmp.Or(a.Source.At.Compare(b.Source.At), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
