package bolt

import (
	"context"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/muster-police/muster/training"
)

// mappingRec is a saved column mapping on the wire.
type mappingRec struct {
	V       int              `json:"v"`
	Name    string           `json:"name"`
	Headers []string         `json:"headers"`
	Rules   []mappingRuleRec `json:"rules"`
	Course  string           `json:"course,omitempty"`
	By      string           `json:"by"`
	At      time.Time        `json:"at"`
}

type mappingRuleRec struct {
	Header string `json:"header"`
	Field  string `json:"field"`
}

func (r *mappingRec) version() int { return r.V }

func toMappingRec(m training.ColumnMapping) *mappingRec {
	r := &mappingRec{V: recordV1, Name: m.Name, Headers: m.Headers, Course: m.Course, By: m.By, At: m.At.UTC()}
	for _, x := range m.Rules {
		r.Rules = append(r.Rules, mappingRuleRec{x.Header, x.Field})
	}
	return r
}

func (r *mappingRec) domain() training.ColumnMapping {
	m := training.ColumnMapping{Name: r.Name, Headers: r.Headers, Course: r.Course, By: r.By, At: r.At}
	for _, x := range r.Rules {
		m.Rules = append(m.Rules, training.MappingRule{Header: x.Header, Field: x.Field})
	}
	return m
}

// Mappings returns every saved mapping, sorted by name (bbolt keeps keys sorted).
func (s *Store) Mappings(ctx context.Context) ([]training.ColumnMapping, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.ColumnMapping{}
	err := s.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bMappings).ForEach(func(_, v []byte) error {
			var r mappingRec
			if err := decodeJSON(v, &r, "mapping"); err != nil {
				return err
			}
			out = append(out, r.domain())
			return nil
		})
	})
	return out, err
}

// PutMapping validates m and creates or replaces the mapping of its name.
// Mappings are not figures: the revision stays as it is.
func (s *Store) PutMapping(ctx context.Context, m training.ColumnMapping) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMappings)
		if b.Get([]byte(m.Name)) == nil && b.Stats().KeyN >= training.MaxMappings {
			return training.ErrTooManyMappings
		}
		return b.Put([]byte(m.Name), encodeJSON(toMappingRec(m)))
	})
}

// DeleteMapping removes the mapping of that name.
func (s *Store) DeleteMapping(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bMappings)
		if b.Get([]byte(name)) == nil {
			return training.ErrNotFound
		}
		return b.Delete([]byte(name))
	})
}
