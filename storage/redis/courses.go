package redis

import (
	"context"
	"sort"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// Courses returns every course sorted by ID.
func (s *Store) Courses(ctx context.Context) ([]training.Course, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.courses).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	return decodeCourses(m)
}

func decodeCourses(m map[string]string) ([]training.Course, error) {
	if len(m) == 0 {
		return training.DefaultCourses(), nil
	}
	out := make([]training.Course, 0, len(m))
	for _, v := range m {
		r, err := decode[courseV1]("course", v)
		if err != nil {
			return nil, err
		}
		out = append(out, r.domain())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// PutCourses creates or replaces courses and bumps the revision, in one MULTI.
func (s *Store) PutCourses(ctx context.Context, cs []training.Course) error {
	if len(cs) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(cs))
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			return err
		}
		args = append(args, c.ID, encode(toCourseRec(c)))
	}
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, s.keys.courses, args...)
		p.Incr(ctx, s.keys.rev)
		return nil
	})
	return s.wrap(err)
}

// seedCourses stores the default courses when the store has none, so
// that later PutCourses calls add to them as on the embedded store.
func (s *Store) seedCourses(ctx context.Context) error {
	var args []any
	for _, c := range training.DefaultCourses() {
		args = append(args, c.ID, encode(toCourseRec(c)))
	}
	return s.wrap(seedCoursesScript.Run(ctx, s.rdb, []string{s.keys.courses}, args...).Err())
}
