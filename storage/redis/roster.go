package redis

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// Revision returns the roster revision (0 for an empty store).
func (s *Store) Revision(ctx context.Context) (int64, error) {
	n, err := s.rdb.Get(ctx, s.keys.rev).Int64()
	if errors.Is(err, goredis.Nil) {
		return 0, nil
	}
	return n, s.wrap(err)
}

// datasetAttempts is how often Dataset re-reads when an import lands
// while it scans, before it reads in one MULTI (which holds Redis for
// the whole read but cannot be overtaken).
const datasetAttempts = 3

// Dataset reads the whole roster at one revision. It reads the revision,
// scans the hashes with HSCAN (so Redis serves other clients in
// between), and reads the revision again: every write bumps it in the
// same atomic step, so an unchanged revision proves the scan saw one
// state. The hashes are scanned and decoded concurrently.
func (s *Store) Dataset(ctx context.Context) (*training.Dataset, error) {
	for range datasetAttempts {
		before, err := s.Revision(ctx)
		if err != nil {
			return nil, err
		}
		ds, err := s.scanRoster(ctx)
		if err != nil {
			return nil, err
		}
		after, err := s.Revision(ctx)
		if err != nil {
			return nil, err
		}
		if before == after {
			ds.Revision = before
			return ds, nil
		}
	}
	return s.readRosterTx(ctx)
}

func newDataset() *training.Dataset {
	return &training.Dataset{
		Officers:    map[string]training.Officer{},
		Completions: map[string][]training.Completion{},
		Exemptions:  map[string][]training.Exemption{},
	}
}

// rosterDecoders returns, per roster hash, a function that decodes one
// field into ds. Each writes only its own map and interns strings in its
// own table, so the three may run concurrently.
func rosterDecoders(ds *training.Dataset) (officers, completions, exemptions func(id, v string) error) {
	oi, ci, ei := map[string]string{}, map[string]string{}, map[string]string{}
	officers = func(id, v string) error {
		o, err := decodeOfficer(v, oi)
		ds.Officers[id] = o
		return err
	}
	completions = func(id, v string) error {
		cs, err := decodeCompletions(id, v, ci)
		ds.Completions[id] = cs
		return err
	}
	exemptions = func(id, v string) error {
		es, err := decodeExemptions(id, v, ei)
		ds.Exemptions[id] = es
		return err
	}
	return officers, completions, exemptions
}

func (s *Store) scanRoster(ctx context.Context) (*training.Dataset, error) {
	// Size the maps first: growing a 150,000-entry map costs more than a round trip.
	var lens [3]*goredis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, k := range []string{s.keys.officers, s.keys.completions, s.keys.exemptions} {
			lens[i] = p.HLen(ctx, k)
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap(err)
	}
	ds := &training.Dataset{
		Officers:    make(map[string]training.Officer, lens[0].Val()),
		Completions: make(map[string][]training.Completion, lens[1].Val()),
		Exemptions:  make(map[string][]training.Exemption, lens[2].Val()),
	}
	off, comp, ex := rosterDecoders(ds)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	wg.Go(func() { ds.Courses, errs[0] = s.Courses(ctx) })
	wg.Go(func() { errs[1] = s.scanHash(ctx, s.keys.officers, off) })
	wg.Go(func() { errs[2] = s.scanHash(ctx, s.keys.completions, comp) })
	wg.Go(func() { errs[3] = s.scanHash(ctx, s.keys.exemptions, ex) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, firstDomainError(errs)
	}
	return ds, nil
}

// scanHash reads a whole hash with HSCAN cursors, passing each field to fn.
func (s *Store) scanHash(ctx context.Context, key string, fn func(field, value string) error) error {
	var cursor uint64
	for {
		kv, next, err := s.rdb.HScan(ctx, key, cursor, "", int64(s.scanCount)).Result()
		if err != nil {
			return s.wrap(err)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if err := fn(kv[i], kv[i+1]); err != nil {
				return err
			}
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}

// scanMap reads a whole hash into a map.
func (s *Store) scanMap(ctx context.Context, key string) (map[string]string, error) {
	m := map[string]string{}
	err := s.scanHash(ctx, key, func(k, v string) error { m[k] = v; return nil })
	return m, err
}

// readRosterTx reads the roster in one MULTI/EXEC: used when imports
// keep landing while Dataset scans.
func (s *Store) readRosterTx(ctx context.Context) (*training.Dataset, error) {
	var rev *goredis.StringCmd
	var c, o, cp, ex *goredis.MapStringStringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		rev = p.Get(ctx, s.keys.rev)
		c = p.HGetAll(ctx, s.keys.courses)
		o = p.HGetAll(ctx, s.keys.officers)
		cp = p.HGetAll(ctx, s.keys.completions)
		ex = p.HGetAll(ctx, s.keys.exemptions)
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, s.wrap(err)
	}
	ds := newDataset()
	if ds.Revision, err = rev.Int64(); err != nil && !errors.Is(err, goredis.Nil) {
		return nil, s.wrap(err)
	}
	if ds.Courses, err = decodeCourses(c.Val()); err != nil {
		return nil, err
	}
	off, comp, exf := rosterDecoders(ds)
	for _, part := range []struct {
		m  map[string]string
		fn func(id, v string) error
	}{{o.Val(), off}, {cp.Val(), comp}, {ex.Val(), exf}} {
		for k, v := range part.m {
			if err := part.fn(k, v); err != nil {
				return nil, err
			}
		}
	}
	return ds, nil
}

// Officer returns one officer with their completions and exemptions,
// read in one MULTI so that the three parts belong together.
func (s *Store) Officer(ctx context.Context, id string) (training.OfficerRecord, error) {
	var o, c, e *goredis.StringCmd
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		o = p.HGet(ctx, s.keys.officers, id)
		c = p.HGet(ctx, s.keys.completions, id)
		e = p.HGet(ctx, s.keys.exemptions, id)
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return training.OfficerRecord{}, s.wrap(err)
	}
	if errors.Is(o.Err(), goredis.Nil) {
		return training.OfficerRecord{}, fmt.Errorf("officer %q: %w", id, training.ErrNotFound)
	}
	off, err := decodeOfficer(o.Val(), nil)
	if err != nil {
		return training.OfficerRecord{}, err
	}
	rec := training.OfficerRecord{Officer: off, Completions: []training.Completion{}, Exemptions: []training.Exemption{}}
	if c.Err() == nil {
		if rec.Completions, err = decodeCompletions(id, c.Val(), nil); err != nil {
			return training.OfficerRecord{}, err
		}
	}
	if e.Err() == nil {
		if rec.Exemptions, err = decodeExemptions(id, e.Val(), nil); err != nil {
			return training.OfficerRecord{}, err
		}
	}
	return rec, nil
}

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
		args = append(args, c.ID, encode(courseRec(c)))
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
		args = append(args, c.ID, encode(courseRec(c)))
	}
	return s.wrap(seedCoursesScript.Run(ctx, s.rdb, []string{s.keys.courses}, args...).Err())
}

// Imports lists the import log newest first.
func (s *Store) Imports(ctx context.Context, limit int) ([]training.ImportRecord, error) {
	stop := int64(limit) - 1
	if limit <= 0 {
		stop = -1
	}
	ids, err := s.rdb.ZRevRange(ctx, s.keys.importsByTime, 0, stop).Result()
	if err != nil || len(ids) == 0 {
		return []training.ImportRecord{}, s.wrap(err)
	}
	vals, err := s.rdb.HMGet(ctx, s.keys.imports, ids...).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]training.ImportRecord, 0, len(vals))
	for _, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue // removed between the two reads: never happens today, harmless
		}
		r, err := decode[importV1]("import", str)
		if err != nil {
			return nil, err
		}
		out = append(out, r.domain())
	}
	return out, nil
}

// Import returns one import log entry.
func (s *Store) Import(ctx context.Context, id string) (training.ImportRecord, error) {
	v, err := s.rdb.HGet(ctx, s.keys.imports, id).Result()
	if errors.Is(err, goredis.Nil) {
		return training.ImportRecord{}, fmt.Errorf("import %q: %w", id, training.ErrNotFound)
	}
	if err != nil {
		return training.ImportRecord{}, s.wrap(err)
	}
	r, err := decode[importV1]("import", v)
	return r.domain(), err
}

// ImportByHash returns the applied import of the file with this SHA-256.
func (s *Store) ImportByHash(ctx context.Context, hash string) (training.ImportRecord, error) {
	id, err := s.rdb.HGet(ctx, s.keys.importByHash, hash).Result()
	if errors.Is(err, goredis.Nil) {
		return training.ImportRecord{}, fmt.Errorf("no applied import of a file with this hash: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.ImportRecord{}, s.wrap(err)
	}
	return s.Import(ctx, id)
}

// PutImport stores an import log entry that changed nothing.
func (s *Store) PutImport(ctx context.Context, rec training.ImportRecord) error {
	if rec.ID == "" {
		return fmt.Errorf("%w: an import log entry needs an ID", training.ErrInvalid)
	}
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, s.keys.imports, rec.ID, encode(importRec(rec)))
		p.ZAdd(ctx, s.keys.importsByTime, goredis.Z{Score: score(rec.At), Member: rec.ID})
		return nil
	})
	return s.wrap(err)
}

// PutDailySnapshot stores or replaces one day's figures.
func (s *Store) PutDailySnapshot(ctx context.Context, d training.DailySnapshot) error {
	if d.Date.IsZero() {
		return fmt.Errorf("%w: a daily snapshot needs a date", training.ErrInvalid)
	}
	rec := snapshotV1{V: recordVersion, Date: d.Date, Units: d.Units}
	return s.wrap(s.rdb.HSet(ctx, s.keys.snapshots, d.Date.String(), encode(rec)).Err())
}

// DailySnapshots returns the snapshots with from <= date <= to, oldest first.
func (s *Store) DailySnapshots(ctx context.Context, from, to training.Date) ([]training.DailySnapshot, error) {
	m, err := s.scanMap(ctx, s.keys.snapshots)
	if err != nil {
		return nil, err
	}
	out := []training.DailySnapshot{}
	for _, v := range m {
		r, err := decode[snapshotV1]("daily snapshot", v)
		if err != nil {
			return nil, err
		}
		if (!from.IsZero() && r.Date.Before(from)) || (!to.IsZero() && r.Date.After(to)) {
			continue
		}
		out = append(out, training.DailySnapshot{Date: r.Date, Units: r.Units})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// scoreText formats a sorted-set score for ZRANGEBYSCORE bounds.
func scoreText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
