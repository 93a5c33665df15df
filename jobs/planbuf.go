package jobs

import (
	"slices"
	"strings"

	"github.com/muster-police/muster/training"
)

// This file holds what lets PlanReminders grow in step with the roster
// (README, "The cost curve"): it visits people in the map's own order and
// sorts only the people it plans for, a unit at a time; it works out each
// due date's stage, each status's words and each reason's sentence once;
// and it keeps the plan's items and ledger keys in shared blocks rather
// than an allocation or two each. Measured at 1,000,000 people, a walk in
// the plan's order cost a cache miss per map look-up, the whole-plan sort
// n log n string comparisons, and the per-item allocations a collector
// scanning the whole roster on every cycle.

// reminderPlanner is what one PlanReminders call reuses from person to
// person. Everything in it is a pure function of the call's arguments.
type reminderPlanner struct {
	courses []training.Course
	asOf    training.Date
	p       Policy
	sent    func(key string) bool

	stages  map[training.Date]dueStage
	words   map[wordsKey]string
	whys    map[whyKey]string
	keys    keyChunk
	slab    itemSlab
	scratch []Item
}

// dueStage is Policy.StageAt for one due date on the run's date, with the
// due date as its ledger key writes it.
type dueStage struct {
	stage Stage
	ok    bool
	iso   string
}

// wordsKey is everything training.Describe reads of a status that has
// neither an exemption nor an extension.
type wordsKey struct {
	status                training.Status
	due, expires, renewBy training.Date
	lapsed                bool
}

func newReminderPlanner(courses []training.Course, asOf training.Date, p Policy, sent func(string) bool, people int) *reminderPlanner {
	return &reminderPlanner{courses: courses, asOf: asOf, p: p, sent: sent,
		stages: make(map[training.Date]dueStage), words: make(map[wordsKey]string), whys: make(map[whyKey]string),
		// Blocks no larger than a small plan needs: a plan for a handful
		// of people (a test, a request) keeps a handful of bytes.
		keys: keyChunk{size: min(64<<10, max(people, 1)*128)}, slab: itemSlab{size: min(1024, max(people, 1))}}
}

// items returns the courses officer o (ID id) must be reminded of now,
// in course order, and counts the ones already sent. The slice is the
// planner's scratch: keep it with r.slab.keep.
func (r *reminderPlanner) items(id string, o training.Officer, comps []training.Completion, exs []training.Exemption, counts *PlanCounts) []Item {
	items := r.scratch[:0]
	for _, c := range r.courses {
		st := training.Evaluate(o, c, comps, exs, r.asOf)
		// For a compliant officer this is the expiry date: the "before"
		// stages then announce the renewal, and the cycle carries on with
		// the same due date once it lapses.
		due := st.ActionDate()
		if due.IsZero() { // exempt, not required, or never expires
			continue
		}
		ds, ok := r.stages[due]
		if !ok {
			ds.stage, ds.ok = r.p.StageAt(due, r.asOf)
			ds.iso = due.String()
			r.stages[due] = ds
		}
		if !ds.ok {
			continue
		}
		stage := ds.stage
		key := r.keys.reminderKey(id, c.ID, stage.Name, ds.iso)
		if r.sent != nil && r.sent(key) {
			counts.AlreadySent++
			continue
		}
		items = append(items, Item{Course: c.ID, Title: c.Title, Status: st.Status, Words: r.describe(st), Due: due,
			Lapsed: st.Completion != nil && st.Status != training.StatusCompliant, Stage: stage.Name, URL: c.URL,
			Why: r.why(stage, st, due), Key: key})
	}
	r.scratch = items
	return items
}

// describe is training.Describe(st).Words, worked out once for each
// status and set of dates.
func (r *reminderPlanner) describe(st training.CourseStatus) string {
	if st.Exemption != nil || st.Extension != nil {
		return training.Describe(st).Words
	}
	k := wordsKey{st.Status, st.Due, st.Expires, st.RenewBy, st.Completion != nil}
	w, ok := r.words[k]
	if !ok {
		w = training.Describe(st).Words
		r.words[k] = w
	}
	return w
}

// why is why's sentence, built once for each stage, due date and kind.
func (r *reminderPlanner) why(stage Stage, st training.CourseStatus, due training.Date) string {
	k := whyKey{stage.Name, stage.Day, due, st.Completion != nil}
	w, ok := r.whys[k]
	if !ok {
		w = why(stage, st, due, r.asOf)
		r.whys[k] = w
	}
	return w
}

// keyChunk writes ledger keys into shared blocks of bytes: one allocation
// for hundreds of keys instead of one each. A key is a substring of its
// block's string; a block is freed when no key of it is left.
type keyChunk struct {
	b    strings.Builder
	size int
}

// reminderKey is ReminderKey(officerID, courseID, stage, due) with the
// due date given as YYYY-MM-DD.
func (k *keyChunk) reminderKey(officerID, courseID, stage, dueISO string) string {
	n := reminderKeyLen(officerID, courseID, stage, dueISO)
	if k.b.Cap()-k.b.Len() < n {
		// A new block: the strings of the old one stay valid (a Builder
		// never rewrites bytes it has handed out).
		k.b = strings.Builder{}
		k.b.Grow(max(n, k.size))
	}
	start := k.b.Len()
	writeReminderKey(&k.b, officerID, courseID, stage, dueISO)
	return k.b.String()[start:]
}

// itemSlab hands out the plan's item lists from shared blocks.
type itemSlab struct {
	free []Item
	size int
}

// keep copies items into the slab and returns the copy, whose capacity is
// its length: appending to it never writes over another person's items.
func (s *itemSlab) keep(items []Item) []Item {
	if len(s.free) < len(items) {
		s.free = make([]Item, max(s.size, len(items)))
	}
	out := s.free[:len(items):len(items)]
	copy(out, items)
	s.free = s.free[len(items):]
	return out
}

// blocks is a list that grows a block at a time: growing it never copies
// what it holds (appending to one slice copies it at every growth, about
// four times its final size in all).
type blocks[T any] struct {
	full [][]T
	last []T
	n    int
	size int // a block's length
}

func newBlocks[T any](size int) *blocks[T] { return &blocks[T]{size: max(size, 1)} }

func (b *blocks[T]) add(v T) {
	if len(b.last) == cap(b.last) {
		if b.last != nil {
			b.full = append(b.full, b.last)
		}
		b.last = make([]T, 0, b.size)
	}
	b.last = append(b.last, v)
	b.n++
}

func (b *blocks[T]) at(i int) *T {
	if q := i / b.size; q < len(b.full) {
		return &b.full[q][i%b.size]
	}
	return &b.last[i%b.size]
}

// sortedByUnitNameID returns b's entries in the plan's order, by unit,
// then name, then ID (the ID is unique, so the order is total), as one
// sort of the whole list would: the units are sorted, and each unit's
// people among themselves. With teams of a roughly fixed size that is
// linear in the number of people, where a sort of the whole list grows
// as n log n and compares the long unit paths again at every step. The
// result is one slice of exactly the entries' number.
func sortedByUnitNameID[T any](b *blocks[T], key func(*T) (unit, name, id string)) []T {
	n := b.n
	index := make(map[string]int32)
	var units []string
	var sizes []int32
	unitOf := make([]int32, n)
	for i := range n {
		u, _, _ := key(b.at(i))
		x, ok := index[u]
		if !ok {
			x = int32(len(units))
			index[u] = x
			units = append(units, u)
			sizes = append(sizes, 0)
		}
		unitOf[i] = x
		sizes[x]++
	}
	byName := make([]int32, len(units))
	for i := range byName {
		byName[i] = int32(i)
	}
	slices.SortFunc(byName, func(a, b int32) int { return strings.Compare(units[a], units[b]) })
	next := make([]int32, len(units)) // where the unit's next person goes
	at := int32(0)
	for _, x := range byName {
		next[x] = at
		at += sizes[x]
	}
	perm := make([]int32, n) // perm[k]: the index in b of the plan's k-th entry
	for i, x := range unitOf {
		perm[next[x]] = int32(i)
		next[x]++
	}
	for lo := 0; lo < n; {
		hi := lo + int(sizes[unitOf[perm[lo]]])
		slices.SortFunc(perm[lo:hi], func(i, j int32) int {
			_, in, iid := key(b.at(int(i)))
			_, jn, jid := key(b.at(int(j)))
			if c := strings.Compare(in, jn); c != 0 {
				return c
			}
			return strings.Compare(iid, jid)
		})
		lo = hi
	}
	out := make([]T, n)
	for k, i := range perm {
		out[k] = *b.at(int(i))
	}
	return out
}
