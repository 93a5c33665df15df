package bolt

import (
	"cmp"
	"context"
	"slices"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// Revision returns the roster revision (0 for a new store).
func (s *Store) Revision(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if s.closed.Load() {
		return 0, training.Unavailablef("store is closed")
	}
	return s.rev.Load(), nil
}

// Dataset reads the whole roster in one read transaction.
func (s *Store) Dataset(ctx context.Context) (*training.Dataset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var ds *training.Dataset
	err := s.view(func(tx *bbolt.Tx) error {
		var err error
		ds, err = readDataset(tx)
		return err
	})
	return ds, err
}

// readDataset decodes the roster. Completions come in one backing array
// (counted first, which only reads each record's header) and repeated
// strings are shared through intern: at 150,000 officers most of the cost
// of a Dataset is allocation and the garbage collector, not decoding.
func readDataset(tx *bbolt.Tx) (*training.Dataset, error) {
	courses, err := readCourses(tx)
	if err != nil {
		return nil, err
	}
	ob, cb, xb := tx.Bucket(bOfficers), tx.Bucket(bCompletions), tx.Bucket(bExemptions)
	ds := &training.Dataset{
		Revision:    revision(tx),
		Courses:     training.InUse(courses),
		Officers:    make(map[string]training.Officer, ob.Stats().KeyN),
		Completions: make(map[string][]training.Completion, cb.Stats().KeyN),
		Exemptions:  make(map[string][]training.Exemption),
	}
	intern := make(map[string]string)
	err = ob.ForEach(func(k, v []byte) error {
		o, err := decodeOfficer(v, intern)
		if err != nil {
			return err
		}
		ds.Officers[o.ID] = o
		return nil
	})
	if err != nil {
		return nil, err
	}
	total := 0
	err = cb.ForEach(func(k, v []byte) error {
		total += completionCount(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	all := make([]training.Completion, 0, total)
	err = cb.ForEach(func(k, v []byte) error {
		id := officerKey(k, ds.Officers)
		var part []training.Completion
		var err error
		all, part, err = decodeCompletions(id, v, intern, all)
		ds.Completions[id] = part
		return err
	})
	if err != nil {
		return nil, err
	}
	err = xb.ForEach(func(k, v []byte) error {
		id := officerKey(k, ds.Officers)
		xs, err := decodeExemptions(id, v, intern)
		ds.Exemptions[id] = xs
		return err
	})
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// officerKey returns k as a string, sharing the officer's ID string when
// the officer is on the roster.
func officerKey(k []byte, officers map[string]training.Officer) string {
	if o, ok := officers[string(k)]; ok {
		return o.ID
	}
	return string(k)
}

// Officer returns one officer with their completions and exemptions.
func (s *Store) Officer(ctx context.Context, id string) (training.OfficerRecord, error) {
	if err := ctx.Err(); err != nil {
		return training.OfficerRecord{}, err
	}
	var rec training.OfficerRecord
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bOfficers).Get([]byte(id))
		if v == nil {
			return notFound("officer")
		}
		var err error
		if rec.Officer, err = decodeOfficer(v, nil); err != nil {
			return err
		}
		if rec.Completions, err = getCompletions(tx, id); err != nil {
			return err
		}
		rec.Exemptions, err = getExemptions(tx, id)
		return err
	})
	return rec, err
}

func getCompletions(tx *bbolt.Tx, id string) ([]training.Completion, error) {
	v := tx.Bucket(bCompletions).Get([]byte(id))
	if v == nil {
		return []training.Completion{}, nil
	}
	_, cs, err := decodeCompletions(id, v, nil, nil)
	return cs, err
}

func getExemptions(tx *bbolt.Tx, id string) ([]training.Exemption, error) {
	v := tx.Bucket(bExemptions).Get([]byte(id))
	if v == nil {
		return []training.Exemption{}, nil
	}
	return decodeExemptions(id, v, nil)
}

// ApplyChanges writes cs in one bbolt transaction: bbolt commits by
// writing the meta page last, so a crash at any point leaves the old state.
// It is ApplyChangeParts with no parts (parts.go).
func (s *Store) ApplyChanges(ctx context.Context, cs training.ChangeSet) (int64, error) {
	return s.ApplyChangeParts(ctx, cs, nil)
}

// onlyPostsSince reports whether the roster moved from revision base to
// cur by logged completion posts only (or not at all): a change planned
// against base still applies, since adding completions never disagrees
// with it, and this transaction reads the completions they added.
func onlyPostsSince(tx *bbolt.Tx, base, cur int64) bool {
	if base > cur || base < 0 {
		return false
	}
	log := tx.Bucket(bChanges)
	for r := base + 1; r <= cur; r++ {
		if log.Get(u64(uint64(r))) == nil {
			return false
		}
	}
	return true
}

func isFileImport(r training.ImportRecord) bool {
	return r.FileHash != "" && (r.Kind == training.ImportFull || r.Kind == training.ImportPartial)
}

func validateChangeSet(cs training.ChangeSet) error {
	if cs.Import.ID == "" {
		return training.Invalidf("change set has no import ID")
	}
	return validateRecords(cs)
}

// validateRecords refuses records without a key.
func validateRecords(cs training.ChangeSet) error {
	for i, o := range cs.Officers {
		if o.ID == "" {
			return training.Invalidf("officer %d of the change set has no ID", i+1)
		}
	}
	for i, c := range cs.Completions {
		if c.OfficerID == "" || c.CourseID == "" {
			return training.Invalidf("completion %d of the change set has no officer or course", i+1)
		}
	}
	for i, x := range cs.Exemptions {
		if x.OfficerID == "" || x.CourseID == "" {
			return training.Invalidf("exemption %d of the change set has no officer or course", i+1)
		}
	}
	return nil
}

// bulk packs pages fuller when a change writes many keys at once: imports
// insert in key order, where bbolt's default half-full split would leave
// every page half empty.
func bulk(b *bbolt.Bucket, n int) {
	if n >= 1000 {
		b.FillPercent = 0.9
	}
}

// sortedIndex returns 0..n-1 ordered by key(i), stably.
func sortedIndex(n int, key func(int) string) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	return idx
}

// addCompletions merges new completions into each officer's history,
// keeping the first record of a (course, date, date_unknown).
func addCompletions(tx *bbolt.Tx, cs []training.Completion) error {
	b := tx.Bucket(bCompletions)
	bulk(b, len(cs))
	idx := sortedIndex(len(cs), func(i int) string { return cs[i].OfficerID })
	var add []training.Completion // one officer's, in input order (the sort is stable)
	for i := 0; i < len(idx); {
		id := cs[idx[i]].OfficerID
		have, err := getCompletions(tx, id)
		if err != nil {
			return err
		}
		j := i
		for j < len(idx) && cs[idx[j]].OfficerID == id {
			j++
		}
		add = add[:0]
		for ; i < j; i++ {
			add = append(add, cs[idx[i]])
		}
		have, changed := training.MergeCompletions(have, add)
		if !changed {
			continue
		}
		if err := b.Put([]byte(id), encodeCompletions(have)); err != nil {
			return err
		}
	}
	return nil
}

// forRuns calls fn for each run of consecutive elements with the same key.
func forRuns[T any](xs []T, key func(T) string, fn func(string, []T) error) error {
	for i := 0; i < len(xs); {
		k := key(xs[i])
		j := i + 1
		for j < len(xs) && key(xs[j]) == k {
			j++
		}
		if err := fn(k, xs[i:j]); err != nil {
			return err
		}
		i = j
	}
	return nil
}
