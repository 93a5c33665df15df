package bolt

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"sync/atomic"

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
		w.officersAside()
		defer w.abandon()
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
		w.officersDone()
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
	officers, completions, exemptions    records
	nOfficers, nCompletions, nExemptions int
	// aside, when set, takes the officers to a goroutine of their own
	// (officersAside); officers and slab are then that goroutine's until
	// officersDone.
	aside chan []training.Officer
	// asideDone is closed when the goroutine has staged what it was given.
	asideDone chan struct{}
	// stop tells the goroutine to drop what is left: the change failed.
	stop atomic.Bool
	slab slab
}

func newStaged(tx *bbolt.Tx) *staged {
	return &staged{tx: tx, completions: records{at: map[string]int{}}, exemptions: records{at: map[string]int{}}}
}

// records are one bucket's staged records.
type records struct {
	kvs []kv
	// at indexes kvs by key, for records that merge with what an earlier
	// part staged; nil when a key may repeat (the last one wins).
	at map[string]int
}

type kv struct {
	key string
	val []byte
	seq int
}

func (r *records) set(key string, val []byte) {
	if r.at != nil {
		if i, ok := r.at[key]; ok {
			r.kvs[i].val = val
			return
		}
		r.at[key] = len(r.kvs)
	}
	r.kvs = append(r.kvs, kv{key: key, val: val, seq: len(r.kvs)})
}

func (r *records) get(key string) ([]byte, bool) {
	i, ok := r.at[key]
	if !ok {
		return nil, false
	}
	return r.kvs[i].val, true
}

// add encodes one part: officers replace (the last of one ID wins),
// completions merge into the officer's history (the stored one, or the one
// an earlier part made), exemptions replace per course.
func (w *staged) add(p training.ChangeSet) error {
	w.nOfficers += len(p.Officers)
	w.nCompletions += len(p.Completions)
	w.nExemptions += len(p.Exemptions)
	if len(p.Officers) > 0 {
		if w.aside != nil {
			w.aside <- p.Officers
		} else {
			w.addOfficers(p.Officers)
		}
	}
	cs := p.Completions
	idx := sortedIndex(len(cs), func(i int) string { return cs[i].OfficerID })
	var run []training.Completion // one officer's, in input order (the sort is stable)
	for i := 0; i < len(idx); {
		id := cs[idx[i]].OfficerID
		run = run[:0]
		for ; i < len(idx) && cs[idx[i]].OfficerID == id; i++ {
			run = append(run, cs[idx[i]])
		}
		have, err := w.history(id)
		if err != nil {
			return err
		}
		have, changed := training.MergeCompletions(have, run)
		if changed {
			w.completions.set(id, exact(encodeCompletions(have)))
		}
	}
	xs := slices.Clone(p.Exemptions)
	slices.SortStableFunc(xs, func(a, b training.Exemption) int { return cmp.Compare(a.OfficerID, b.OfficerID) })
	return forRuns(xs, func(x training.Exemption) string { return x.OfficerID }, func(id string, run []training.Exemption) error {
		var have []training.Exemption
		var err error
		if v, ok := w.exemptions.get(id); ok {
			have, err = decodeExemptions(id, v, nil)
		} else {
			have, err = getExemptions(w.tx, id)
		}
		if err != nil {
			return err
		}
		w.exemptions.set(id, exact(encodeExemptions(training.MergeExemptions(have, run))))
		return nil
	})
}

// addOfficers stages officers: of one ID, the last wins.
func (w *staged) addOfficers(os []training.Officer) {
	for _, o := range os {
		w.officers.set(o.ID, w.slab.officer(o))
	}
}

// officersAside stages the officers on a goroutine of their own, beside
// the completions, which come after them in an import's parts (the
// officers' records depend on nothing else the change holds, and nothing
// else depends on them until put). An import of 150,000 officers spends
// about as long on each; measured in the README ("Import time, staged on
// two cores"). The goroutine takes the parts in order, so the last officer
// of one ID still wins. At most asideQueue parts wait for it: the parts
// it holds are the store's (training.ChangeParts), let go once staged.
func (w *staged) officersAside() {
	w.aside = make(chan []training.Officer, asideQueue)
	w.asideDone = make(chan struct{})
	go func() {
		defer close(w.asideDone)
		for os := range w.aside {
			if !w.stop.Load() {
				w.addOfficers(os)
			}
		}
	}()
}

// asideQueue is how many parts of officers may wait to be staged.
const asideQueue = 8

// abandon lets the officers' goroutine go when the change failed before
// officersDone: it drops the parts still in hand instead of staging them.
func (w *staged) abandon() {
	w.stop.Store(true)
	w.officersDone()
}

// officersDone waits for the officers' goroutine, if one runs, to stage
// every part it was given, and lets it go; once it has, it does nothing.
func (w *staged) officersDone() {
	if w.aside == nil {
		return
	}
	close(w.aside)
	<-w.asideDone
	w.aside = nil
}

// slab holds officers' records back to back in large buffers: a record is
// held until the transaction ends (see staged), and 150,000 of them each
// in a buffer of its own cost as much again in allocating and copying
// (exact) as in encoding.
type slab struct{ buf []byte }

// slabSize is the size of one buffer: a few thousand officers' records.
const slabSize = 1 << 20

// officer returns o's record, in the current buffer or a new one.
func (s *slab) officer(o training.Officer) []byte {
	n := officerSize(o)
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]byte, 0, max(n, slabSize))
	}
	start := len(s.buf)
	b := appendOfficer(s.buf[start:start], o)
	if &b[0] != &s.buf[start : start+1][0] {
		return exact(b) // longer than officerSize (extensions) and than the room left: appended elsewhere
	}
	s.buf = s.buf[:start+len(b)]
	return b[:len(b):len(b)]
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
	v, ok := w.completions.get(id)
	if !ok {
		return getCompletions(w.tx, id)
	}
	_, cs, err := decodeCompletions(id, v, nil, nil)
	return cs, err
}

// put writes the staged records, each bucket in key order; of one key
// staged twice, the later.
func (w *staged) put() error {
	for _, b := range []struct {
		name []byte
		recs *records
	}{{bOfficers, &w.officers}, {bCompletions, &w.completions}, {bExemptions, &w.exemptions}} {
		kvs := b.recs.kvs
		bk := w.tx.Bucket(b.name)
		bulk(bk, len(kvs))
		slices.SortFunc(kvs, func(a, b kv) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.seq, b.seq)
		})
		for i, r := range kvs {
			if i+1 < len(kvs) && kvs[i+1].key == r.key {
				continue // a later record of this key follows
			}
			if err := bk.Put([]byte(r.key), r.val); err != nil {
				return err
			}
		}
	}
	return nil
}
