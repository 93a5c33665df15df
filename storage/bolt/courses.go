package bolt

import (
	"context"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// Courses returns every course sorted by ID (bbolt keeps keys sorted).
func (s *Store) Courses(ctx context.Context) ([]training.Course, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []training.Course
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		out, err = readCourses(tx)
		return err
	})
	return out, err
}

// PutCourses validates every course first, then writes them all and bumps
// the revision in one transaction.
func (s *Store) PutCourses(ctx context.Context, cs []training.Course) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	return s.update(func(tx *bbolt.Tx) error {
		if err := putCourses(tx, cs); err != nil {
			return err
		}
		_, err := s.bumpRevision(tx)
		return err
	})
}

func readCourses(tx *bbolt.Tx) ([]training.Course, error) {
	out := []training.Course{}
	err := tx.Bucket(bCourses).ForEach(func(k, v []byte) error {
		var r courseRec
		if err := decodeJSON(v, &r, "course"); err != nil {
			return err
		}
		out = append(out, r.domain())
		return nil
	})
	return out, err
}

func putCourses(tx *bbolt.Tx, cs []training.Course) error {
	b := tx.Bucket(bCourses)
	for _, c := range cs {
		if c.ID == "" {
			return training.Invalidf("course without ID")
		}
		if err := b.Put([]byte(c.ID), encodeJSON(toCourseRec(c))); err != nil {
			return err
		}
	}
	return nil
}
