package bolt

import (
	"bytes"
	"context"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// Imports lists the import log newest first.
func (s *Store) Imports(ctx context.Context, limit int) ([]training.ImportRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.ImportRecord{}
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bImportsByTime).Cursor()
		for k, _ := c.Last(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Prev() {
			rec, err := getImport(tx, keyID(k))
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

// Import returns one import log entry.
func (s *Store) Import(ctx context.Context, id string) (training.ImportRecord, error) {
	if err := ctx.Err(); err != nil {
		return training.ImportRecord{}, err
	}
	var rec training.ImportRecord
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		rec, err = getImport(tx, id)
		return err
	})
	return rec, err
}

// ImportByHash returns the applied import of the file with this hash.
func (s *Store) ImportByHash(ctx context.Context, hash string) (training.ImportRecord, error) {
	if err := ctx.Err(); err != nil {
		return training.ImportRecord{}, err
	}
	var rec training.ImportRecord
	err := s.view(func(tx *bbolt.Tx) error {
		id := tx.Bucket(bImportsByHash).Get([]byte(hash))
		if hash == "" || id == nil {
			return notFound("import")
		}
		var err error
		rec, err = getImport(tx, string(id))
		return err
	})
	return rec, err
}

// PutImport records an import attempt that changed nothing.
func (s *Store) PutImport(ctx context.Context, rec training.ImportRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if rec.ID == "" {
		return training.Invalidf("import record has no ID")
	}
	return s.update(func(tx *bbolt.Tx) error { return putImport(tx, rec) })
}

func getImport(tx *bbolt.Tx, id string) (training.ImportRecord, error) {
	v := tx.Bucket(bImports).Get([]byte(id))
	if v == nil {
		return training.ImportRecord{}, notFound("import")
	}
	var r importRec
	if err := decodeJSON(v, &r, "import"); err != nil {
		return training.ImportRecord{}, err
	}
	return r.domain(), nil
}

// putImport writes an import record and its time index entry, replacing
// any earlier record with the same ID.
func putImport(tx *bbolt.Tx, rec training.ImportRecord) error {
	b, ix := tx.Bucket(bImports), tx.Bucket(bImportsByTime)
	if old, err := getImport(tx, rec.ID); err == nil {
		if err := ix.Delete(timeKey(old.At, old.ID)); err != nil {
			return err
		}
	}
	if err := b.Put([]byte(rec.ID), encodeJSON(toImportRec(rec))); err != nil {
		return err
	}
	return ix.Put(timeKey(rec.At, rec.ID), nil)
}

// PutDailySnapshot stores or replaces one day's figures.
func (s *Store) PutDailySnapshot(ctx context.Context, snap training.DailySnapshot) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if snap.Date.IsZero() {
		return training.Invalidf("snapshot has no date")
	}
	return s.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bSnapshots).Put([]byte(snap.Date.String()), encodeJSON(toSnapshotRec(snap)))
	})
}

// DailySnapshots returns snapshots with from <= date <= to, oldest first.
func (s *Store) DailySnapshots(ctx context.Context, from, to training.Date) ([]training.DailySnapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []training.DailySnapshot{}
	err := s.view(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bSnapshots).Cursor()
		end := []byte(to.String())
		for k, v := c.Seek([]byte(from.String())); k != nil && bytes.Compare(k, end) <= 0; k, v = c.Next() {
			var r snapshotRec
			if err := decodeJSON(v, &r, "snapshot"); err != nil {
				return err
			}
			out = append(out, r.domain())
		}
		return nil
	})
	return out, err
}
