package bolt

import (
	"bytes"
	"cmp"
	"context"
	"slices"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// ApplyChangeParts writes head and every part of parts in one bbolt
// transaction, as ApplyChanges writes a change set (see
// training.RosterStore). Each part is encoded as it comes and its values
// are let go: only the encoded records (which bbolt would hold until
// commit anyway) stay, so a large import never holds its change set and
// its encoding whole at once.
func (s *Store) ApplyChangeParts(ctx context.Context, head training.ChangeSet, parts training.ChangeParts) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := validateChangeSet(head); err != nil {
		return 0, err
	}
	var rev int64
	var w *staged
	err := s.update(func(tx *bbolt.Tx) error {
		if cur := revision(tx); !onlyPostsSince(tx, head.BaseRevision, cur) {
			return training.Conflictf("the data changed since this change was planned (revision %d, planned against %d)", cur, head.BaseRevision)
		}
		if isFileImport(head.Import) && tx.Bucket(bImportsByHash).Get([]byte(head.Import.FileHash)) != nil {
			return training.Conflictf("this file was already imported")
		}
		w = newStaged(tx)
		if err := w.add(head); err != nil {
			return err
		}
		if parts != nil {
			err := parts(func(p training.ChangeSet) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := validateRecords(p); err != nil {
					return err
				}
				return w.add(p)
			})
			if err != nil {
				return err
			}
		}
		if err := w.put(); err != nil {
			return err
		}
		if err := putImport(tx, head.Import); err != nil {
			return err
		}
		if isFileImport(head.Import) {
			if err := tx.Bucket(bImportsByHash).Put([]byte(head.Import.FileHash), []byte(head.Import.ID)); err != nil {
				return err
			}
		}
		var err error
		rev, err = s.bumpRevision(tx)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.log.Info("applied changes", "import", head.Import.ID, "officers", w.nOfficers,
		"completions", w.nCompletions, "exemptions", w.nExemptions, "revision", rev)
	return rev, nil
}

// staged holds the records of a change set being applied, encoded, by
// key, until put writes them in key order. bbolt keeps the slice given to
// Put, without a copy, until the transaction ends (go.etcd.io/bbolt
// v1.5.0, bucket.go, Bucket.Put: "Supplied value must remain valid for the
// life of the transaction"; node.go, node.put sets the inode's value to
// it), so holding the encoded records here costs nothing that the
// transaction would not hold; the change set's own values can go once a
// part is encoded. Putting in key order matters: a put shifts the rest of
// its node's inodes along (node.put's copy), and a fresh bucket is one
// node until commit, so 150,000 officers in file order would move
// gigabytes.
type staged struct {
	tx                                   *bbolt.Tx
	officers, completions, exemptions    map[string][]byte
	nOfficers, nCompletions, nExemptions int
}

func newStaged(tx *bbolt.Tx) *staged {
	return &staged{tx: tx, officers: map[string][]byte{}, completions: map[string][]byte{}, exemptions: map[string][]byte{}}
}

// add encodes one part: officers replace (the last of one ID wins),
// completions merge into the officer's history (the stored one, or the one
// an earlier part made), exemptions replace per course.
func (w *staged) add(p training.ChangeSet) error {
	w.nOfficers += len(p.Officers)
	w.nCompletions += len(p.Completions)
	w.nExemptions += len(p.Exemptions)
	for _, o := range p.Officers {
		w.officers[o.ID] = exact(encodeOfficer(o))
	}
	comps := slices.Clone(p.Completions)
	slices.SortStableFunc(comps, func(a, b training.Completion) int { return cmp.Compare(a.OfficerID, b.OfficerID) })
	err := forRuns(comps, func(c training.Completion) string { return c.OfficerID }, func(id string, run []training.Completion) error {
		have, err := w.history(id)
		if err != nil {
			return err
		}
		have, changed := training.MergeCompletions(have, run)
		if changed {
			w.completions[id] = exact(encodeCompletions(have))
		}
		return nil
	})
	if err != nil {
		return err
	}
	xs := slices.Clone(p.Exemptions)
	slices.SortStableFunc(xs, func(a, b training.Exemption) int { return cmp.Compare(a.OfficerID, b.OfficerID) })
	return forRuns(xs, func(x training.Exemption) string { return x.OfficerID }, func(id string, run []training.Exemption) error {
		var have []training.Exemption
		var err error
		if v, ok := w.exemptions[id]; ok {
			have, err = decodeExemptions(id, v, nil)
		} else {
			have, err = getExemptions(w.tx, id)
		}
		if err != nil {
			return err
		}
		w.exemptions[id] = exact(encodeExemptions(training.MergeExemptions(have, run)))
		return nil
	})
}

// exact returns b in a buffer of its own length. The encoders size their
// buffer for the longest varints (an officer's record is about 250 bytes
// in a buffer of 360), which costs nothing for a record written at once but
// a third more memory for records held until commit.
func exact(b []byte) []byte {
	if cap(b)-len(b) < 32 {
		return b
	}
	return bytes.Clone(b)
}

// history is an officer's completions as this change has them so far.
func (w *staged) history(id string) ([]training.Completion, error) {
	v, ok := w.completions[id]
	if !ok {
		return getCompletions(w.tx, id)
	}
	_, cs, err := decodeCompletions(id, v, nil, nil)
	return cs, err
}

// put writes the staged records, each bucket in key order.
func (w *staged) put() error {
	for _, b := range []struct {
		name []byte
		recs map[string][]byte
	}{{bOfficers, w.officers}, {bCompletions, w.completions}, {bExemptions, w.exemptions}} {
		bk := w.tx.Bucket(b.name)
		bulk(bk, len(b.recs))
		keys := make([]string, 0, len(b.recs))
		for k := range b.recs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := bk.Put([]byte(k), b.recs[k]); err != nil {
				return err
			}
		}
	}
	return nil
}
