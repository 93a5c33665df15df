package redis

import (
	"context"
	"errors"
	"fmt"
	"sort"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

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
		return training.Invalidf("an import log entry needs an ID")
	}
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.HSet(ctx, s.keys.imports, rec.ID, encode(toImportRec(rec)))
		p.ZAdd(ctx, s.keys.importsByTime, goredis.Z{Score: score(rec.At), Member: rec.ID})
		return nil
	})
	return s.wrap(err)
}

// PutDailySnapshot stores or replaces one day's figures.
func (s *Store) PutDailySnapshot(ctx context.Context, d training.DailySnapshot) error {
	if d.Date.IsZero() {
		return training.Invalidf("a daily snapshot needs a date")
	}
	rec := toSnapshotRec(d)
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
		d := r.domain()
		if (!from.IsZero() && d.Date.Before(from)) || (!to.IsZero() && d.Date.After(to)) {
			continue
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}
