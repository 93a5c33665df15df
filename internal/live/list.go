package live

import (
	"encoding/json"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/muster-police/muster/training"
)

// listIndex answers a page of an officers list without copying the
// model or evaluating anyone off the page. Every officer of the model has
// a position: their place in list order (training.ListKey), which only an
// import changes (and an import rebuilds the index). For each course and
// status, a bitset holds the positions of the officers with that status
// on that course today; another set per status holds those with it on any
// course, and one the leavers. A completion post moves one officer's bits
// (apply); a page is a walk over the set bits of the filter's sets, within
// the position ranges of the filter's unit subtree, from the cursor's
// position; a list's size is a population count over the same words.
//
// At 150,000 officers and two courses that is 19 bitsets of 18 KiB, and
// the officers' IDs in list order (string headers shared with the model's
// officers; a position's unit and name are read from the officer, so that
// the index keeps 16 bytes a person, not a 48-byte key). Like the
// model, it changes under Model.mu's write lock and is read under its
// read lock. Statuses come from training.EvaluateOfficer and the order
// from training.ListKey: the index stores them, it decides neither.
type listIndex struct {
	asOf    training.Date
	courses []training.Course
	ids     []string   // officer IDs by position
	course  [][]bitset // [course][status slot]
	any     []bitset   // [status slot]: on any course
	leavers bitset

	// rowJSON is each position's row as the API encodes it, kept once
	// made (half of a list request's time was encoding 100 rows), and
	// dropped when the officer is evaluated again; jsonBytes counts what
	// is kept, up to maxRowJSON. Filled under the read lock (hence
	// atomic), emptied under the write lock.
	rowJSON   []atomic.Pointer[[]byte]
	jsonBytes atomic.Int64
}

// maxRowJSON bounds the memory of kept rows (about 20,000 rows of two
// courses): the pages people read, not a walk over the force.
const maxRowJSON = 16 << 20

// listStatuses are the statuses the index keeps a set for (slots).
var listStatuses = append(slices.Clone(training.Statuses), training.StatusNotRequired)

// statusSlot is s's slot in listStatuses, or -1.
func statusSlot(s training.Status) int { return slices.Index(listStatuses, s) }

// newListIndex places and evaluates every officer of ds as of asOf.
func newListIndex(ds *training.Dataset, asOf training.Date) *listIndex {
	keys := make([]training.ListKey, 0, len(ds.Officers))
	for id, o := range ds.Officers {
		k := training.ListKeyOf(o)
		k.ID = id
		keys = append(keys, k)
	}
	slices.SortFunc(keys, training.ListKey.Compare)
	lx := &listIndex{asOf: asOf, courses: ds.Courses, ids: make([]string, len(keys))}
	for pos, k := range keys {
		lx.ids[pos] = k.ID
	}
	n := len(keys)
	lx.course = make([][]bitset, len(ds.Courses))
	for i := range lx.course {
		lx.course[i] = make([]bitset, len(listStatuses))
		for s := range listStatuses {
			lx.course[i][s] = newBitset(n)
		}
	}
	lx.any = make([]bitset, len(listStatuses))
	for s := range listStatuses {
		lx.any[s] = newBitset(n)
	}
	lx.leavers = newBitset(n)
	for pos, id := range lx.ids {
		if !ds.Officers[id].Active() {
			lx.leavers.set(pos)
		}
		lx.mark(pos, lx.evaluate(ds, id))
	}
	lx.rowJSON = make([]atomic.Pointer[[]byte], n)
	return lx
}

// rowJSONAt is os's JSON at position pos, made and kept once.
func (lx *listIndex) rowJSONAt(pos int, os training.OfficerStatus) ([]byte, error) {
	if b := lx.rowJSON[pos].Load(); b != nil {
		return *b, nil
	}
	b, err := json.Marshal(os)
	if err != nil {
		return nil, err
	}
	if lx.jsonBytes.Load() < maxRowJSON && lx.rowJSON[pos].CompareAndSwap(nil, &b) {
		lx.jsonBytes.Add(int64(len(b)))
	}
	return b, nil
}

// evaluate is officer id's standing today, as training evaluates it.
func (lx *listIndex) evaluate(ds *training.Dataset, id string) training.OfficerStatus {
	return training.EvaluateOfficer(ds.Officers[id], lx.courses, ds.Completions[id], ds.Exemptions[id], lx.asOf)
}

// mark puts position pos in the sets of the statuses os has.
func (lx *listIndex) mark(pos int, os training.OfficerStatus) {
	if lx.rowJSON != nil {
		if b := lx.rowJSON[pos].Swap(nil); b != nil {
			lx.jsonBytes.Add(-int64(len(*b)))
		}
	}
	var has [8]bool
	for i, cs := range os.Courses {
		slot := statusSlot(cs.Status)
		for s := range listStatuses {
			lx.course[i][s].put(pos, s == slot)
		}
		if slot >= 0 {
			has[slot] = true
		}
	}
	for s := range listStatuses {
		lx.any[s].put(pos, has[s])
	}
}

// apply re-evaluates the officers ids after their completions changed
// in ds (ids not on the roster are no one's row: skipped).
func (lx *listIndex) apply(ds *training.Dataset, ids []string) {
	for _, id := range ids {
		if pos, ok := lx.position(ds, id); ok {
			lx.mark(pos, lx.evaluate(ds, id))
		}
	}
}

// position is where officer id of ds stands (false: not on the roster).
func (lx *listIndex) position(ds *training.Dataset, id string) (int, bool) {
	o, ok := ds.Officers[id]
	if !ok {
		return 0, false
	}
	k := training.ListKeyOf(o)
	k.ID = id
	return lx.search(ds, k)
}

// key is the list key at position pos (ds is the Dataset the index was
// made for, or a snapshot of it: the officers are the same).
func (lx *listIndex) key(ds *training.Dataset, pos int) training.ListKey {
	k := training.ListKeyOf(ds.Officers[lx.ids[pos]])
	k.ID = lx.ids[pos]
	return k
}

// search is where k stands or would stand in list order, and whether it
// is there.
func (lx *listIndex) search(ds *training.Dataset, k training.ListKey) (int, bool) {
	return slices.BinarySearchFunc(lx.ids, k, func(id string, k training.ListKey) int {
		o := ds.Officers[id]
		return training.ListKey{Unit: o.Unit, Name: o.Name, ID: id}.Compare(k)
	})
}

// after is the first position whose key is after k (k itself need not
// be in the list).
func (lx *listIndex) after(ds *training.Dataset, k training.ListKey) int {
	pos, found := lx.search(ds, k)
	if found {
		pos++
	}
	return pos
}

// before is the last position whose key is before k, or -1.
func (lx *listIndex) before(ds *training.Dataset, k training.ListKey) int {
	pos, _ := lx.search(ds, k)
	return pos - 1
}

// subtree is the position ranges [lo, hi) of the officers in unit u and
// below it (training.InUnit: the unit itself, then the paths that start
// with u and the separator; in list order these are two runs, not always
// side by side: "A / B C" sorts between "A / B" and "A / B / C").
func (lx *listIndex) subtree(ds *training.Dataset, u string) [][2]int {
	if u == "" {
		return [][2]int{{0, len(lx.ids)}}
	}
	run := func(from func(string) bool, to func(string) bool) [2]int {
		lo, _ := slices.BinarySearchFunc(lx.ids, true, func(id string, _ bool) int { return b2i(from(ds.Officers[id].Unit)) })
		hi, _ := slices.BinarySearchFunc(lx.ids, true, func(id string, _ bool) int { return b2i(to(ds.Officers[id].Unit)) })
		return [2]int{lo, hi}
	}
	prefix := u + training.UnitSep
	same := run(func(p string) bool { return p >= u }, func(p string) bool { return p > u })
	below := run(func(p string) bool { return p >= prefix },
		func(p string) bool { return p >= prefix && !strings.HasPrefix(p, prefix) })
	return [][2]int{same, below}
}

// b2i is a search's comparison for a predicate that is false, then true:
// -1 before the first true (so the search lands on it).
func b2i(b bool) int {
	if b {
		return 1
	}
	return -1
}

// scopeMask is the positions a manager's scope shows: their units'
// subtrees and their reporting line; nil for the whole force.
func (lx *listIndex) scopeMask(ds *training.Dataset, sc training.Scope) bitset {
	if sc.All {
		return nil
	}
	b := newBitset(len(lx.ids))
	for _, u := range sc.Units {
		for _, r := range lx.subtree(ds, u) {
			b.fill(r[0], r[1])
		}
	}
	for id := range sc.Officers {
		if pos, ok := lx.position(ds, id); ok {
			b.set(pos)
		}
	}
	return b
}

// selection is the positions of one list: the set bits of base (nil:
// everyone) and scope (nil: everyone), less those of drop (nil: no one),
// within ranges (sorted, disjoint).
type selection struct {
	base, scope, drop bitset
	ranges            [][2]int
}

// word is the selection's i'th word, before ranges are applied.
func (s *selection) word(i int) uint64 {
	w := ^uint64(0)
	if s.base != nil {
		w &= s.base[i]
	}
	if s.scope != nil {
		w &= s.scope[i]
	}
	if s.drop != nil {
		w &^= s.drop[i]
	}
	return w
}

// inRange masks word i to the positions in [lo, hi).
func inRange(w uint64, i, lo, hi int) uint64 {
	if first := i * 64; lo > first {
		w &= ^uint64(0) << uint(lo-first)
	}
	if end := (i + 1) * 64; hi < end {
		w &= ^uint64(0) >> uint(end-hi)
	}
	return w
}

// next is the first selected position at or after p, or -1.
func (s *selection) next(p int) int {
	for _, r := range s.ranges {
		lo, hi := max(r[0], p), r[1]
		if lo >= hi {
			continue
		}
		for i := lo / 64; i*64 < hi; i++ {
			if w := inRange(s.word(i), i, lo, hi); w != 0 {
				return i*64 + bits.TrailingZeros64(w)
			}
		}
	}
	return -1
}

// prev is the last selected position at or before p, or -1.
func (s *selection) prev(p int) int {
	for j := len(s.ranges) - 1; j >= 0; j-- {
		lo, hi := s.ranges[j][0], min(s.ranges[j][1], p+1)
		if lo >= hi {
			continue
		}
		for i := (hi - 1) / 64; i >= 0 && (i+1)*64 > lo; i-- {
			if w := inRange(s.word(i), i, lo, hi); w != 0 {
				return i*64 + 63 - bits.LeadingZeros64(w)
			}
		}
	}
	return -1
}

// count is the number of selected positions.
func (s *selection) count() int { return s.countBefore(math.MaxInt) }

// countBefore is the number of selected positions before p.
func (s *selection) countBefore(p int) int {
	n := 0
	for _, r := range s.ranges {
		lo, hi := r[0], min(r[1], p)
		for i := lo / 64; i*64 < hi; i++ {
			n += bits.OnesCount64(inRange(s.word(i), i, lo, hi))
		}
	}
	return n
}

// bitset is a set of positions.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << uint(i%64) }

func (b bitset) put(i int, on bool) {
	if on {
		b[i/64] |= 1 << uint(i%64)
	} else {
		b[i/64] &^= 1 << uint(i%64)
	}
}

// fill sets the positions [lo, hi).
func (b bitset) fill(lo, hi int) {
	for i := lo / 64; i*64 < hi; i++ {
		b[i] |= inRange(^uint64(0), i, lo, hi)
	}
}
