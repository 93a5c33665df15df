package redis

import (
	"context"
	"errors"
	"fmt"
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
		if o.ID == id {
			id = o.ID // the key shares the officer's copy, not the scan's
		}
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
	wg.Go(func() {
		var cs []training.Course
		cs, errs[0] = s.Courses(ctx)
		ds.Courses = training.InUse(cs)
	})
	wg.Go(func() { errs[1] = s.scanHash(ctx, s.keys.officers, off) })
	wg.Go(func() { errs[2] = s.scanHash(ctx, s.keys.completions, comp) })
	wg.Go(func() { errs[3] = s.scanHash(ctx, s.keys.exemptions, ex) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, firstDomainError(errs)
	}
	shareOfficerIDs(ds)
	return ds, nil
}

// shareOfficerIDs makes the completions and exemptions of an officer on
// the roster (keys and OfficerID fields) use the officer's own ID string
// instead of the copies the scan of their hash made. (Assigning to an
// existing string key replaces the key too.)
func shareOfficerIDs(ds *training.Dataset) {
	for id, cs := range ds.Completions {
		if o, ok := ds.Officers[id]; ok {
			for i := range cs {
				cs[i].OfficerID = o.ID
			}
			ds.Completions[o.ID] = cs
		}
	}
	for id, xs := range ds.Exemptions {
		if o, ok := ds.Officers[id]; ok {
			for i := range xs {
				xs[i].OfficerID = o.ID
			}
			ds.Exemptions[o.ID] = xs
		}
	}
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
	cs, err := decodeCourses(c.Val())
	if err != nil {
		return nil, err
	}
	ds.Courses = training.InUse(cs)
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
	shareOfficerIDs(ds)
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

// scoreText formats a sorted-set score for ZRANGEBYSCORE bounds.
func scoreText(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
