package bolt

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// AddCompletions writes a batch of API completions, their history entries
// and the change log entry in one bbolt transaction (one fsync for every
// post of the batch), with no revision check: see training.ChangeFeed.
func (s *Store) AddCompletions(ctx context.Context, b training.CompletionBatch) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := validateBatch(b); err != nil {
		return 0, err
	}
	var rev int64
	err := s.update(func(tx *bbolt.Tx) error {
		if err := putStatements(tx, b.Statements); err != nil {
			return err
		}
		if err := removeCompletions(tx, b.Removed); err != nil {
			return err
		}
		if err := addCompletions(tx, b.Completions); err != nil {
			return err
		}
		for _, rec := range b.Imports {
			if old, err := getImport(tx, rec.ID); err == nil {
				rec = training.MergeImportCounts(old, rec)
			}
			if err := putImport(tx, rec); err != nil {
				return err
			}
		}
		var err error
		rev, err = s.logChange(tx, b.Completions, b.Removed)
		return err
	})
	return rev, err
}

// logChange bumps the revision and logs the change it makes (the log
// keeps the last training.ChangeLogSize).
func (s *Store) logChange(tx *bbolt.Tx, added, removed []training.Completion) (int64, error) {
	rev, err := s.bumpRevision(tx)
	if err != nil {
		return 0, err
	}
	log := tx.Bucket(bChanges)
	if rev > training.ChangeLogSize {
		if err := log.Delete(u64(uint64(rev - training.ChangeLogSize))); err != nil {
			return 0, err
		}
	}
	return rev, log.Put(u64(uint64(rev)), encodeChange(added, removed))
}

func validateBatch(b training.CompletionBatch) error {
	for i, c := range b.Completions {
		if c.OfficerID == "" || c.CourseID == "" {
			return training.Invalidf("completion %d of the batch has no officer or course", i+1)
		}
	}
	for _, r := range b.Imports {
		if r.ID == "" {
			return training.Invalidf("an import record of the batch has no ID")
		}
	}
	return nil
}

// pollEvery is how often Changes looks at the revision while it waits: the
// file has one process, whose own writes its server applies at once, so
// waiting only matters to notice writes made through other paths.
const pollEvery = 20 * time.Millisecond

// Changes returns the logged changes after since (see training.ChangeFeed).
func (s *Store) Changes(ctx context.Context, since int64, wait time.Duration) ([]training.Change, error) {
	deadline := time.Now().Add(wait)
	for {
		out, rev, err := s.changes(ctx, since)
		if err != nil || rev > since || wait <= 0 || time.Now().After(deadline) {
			return out, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

func (s *Store) changes(ctx context.Context, since int64) ([]training.Change, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var out []training.Change
	var rev int64
	err := s.view(func(tx *bbolt.Tx) error {
		rev = revision(tx)
		b := tx.Bucket(bChanges)
		for r := since + 1; r <= rev; r++ {
			v := b.Get(u64(uint64(r)))
			if v == nil {
				return fmt.Errorf("revision %d: %w", r, training.ErrChangesGone)
			}
			cs, rm, err := decodeChange(v)
			if err != nil {
				return err
			}
			out = append(out, training.Change{Revision: r, Completions: cs, Removed: rm})
		}
		return nil
	})
	return out, rev, err
}

// A logged change is, per officer: uvarint length, officer ID, uvarint
// length, that officer's new completions in the roster codec; then the
// same for the completions taken back, the officer ID prefixed with
// removedMark (StatementMatcher refuses account names with control characters,
// so no officer ID of a statement holds it).
func encodeChange(cs, removed []training.Completion) []byte {
	var w varint.Writer
	for _, part := range []struct {
		mark string
		cs   []training.Completion
	}{{"", cs}, {removedMark, removed}} {
		byOfficer := map[string][]training.Completion{}
		var order []string
		for _, c := range part.cs {
			if _, ok := byOfficer[c.OfficerID]; !ok {
				order = append(order, c.OfficerID)
			}
			byOfficer[c.OfficerID] = append(byOfficer[c.OfficerID], c)
		}
		for _, id := range order {
			w.String(part.mark + id)
			w.String(string(encodeCompletions(byOfficer[id])))
		}
	}
	return w.B
}

// removedMark prefixes an officer's removed completions in a logged change.
const removedMark = "\x00-"

func decodeChange(b []byte) (added, removed []training.Completion, err error) {
	r := varint.NewReader(b)
	for r.Len() > 0 && r.Err() == nil {
		id, rec := r.Raw(), r.Raw()
		if r.Err() != nil {
			break
		}
		if rid, ok := strings.CutPrefix(string(id), removedMark); ok {
			removed, _, err = decodeCompletions(rid, rec, nil, removed)
		} else {
			added, _, err = decodeCompletions(string(id), rec, nil, added)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	if err := r.Err(); err != nil {
		return nil, nil, training.Unavailablef("decode change: %v", err)
	}
	return added, removed, nil
}
