package live

import (
	"sync/atomic"
	"unsafe"

	"github.com/muster-police/muster/training"
)

// maxPastDates bounds the dates other than today whose figures the model
// keeps counted (the least recently read goes first). Each is a
// training.Index: the counts of every unit and course, a few hundred
// kilobytes at 150,000 officers, and a post costs each one the changed
// officers' re-evaluation.
const maxPastDates = 4

// pastIndex is the figures of one date other than today, kept current
// like today's index (applyLive) while the model is the same Dataset; a
// reload (an import, a course edit, a new day) drops them all.
//
// Without it, a report for another date (as_of in the past: last month's
// figures) was built from a snapshot of the model cloned at each new
// revision: under a stream of posts every read cloned the completions map
// (about 10 MB at 150,000 officers) and evaluated the unit again, and the
// garbage kept the process's memory far above what the model needs
// (README, "Ten minutes of posts with readers, again").
type pastIndex struct {
	ix   *training.Index
	used atomic.Int64 // Model.pastTick at the last read (the least recent is evicted)
}

// indexFor returns the index counting the figures as of asOf: today's,
// or a kept past date's; nil when there is none. The caller holds m.mu
// (read or write) and the model is loaded.
func (m *Model) indexFor(asOf training.Date) *training.Index {
	if m.ix.AsOf() == asOf {
		return m.ix
	}
	if p := m.past[asOf]; p != nil {
		p.used.Store(m.pastTick.Add(1))
		return p.ix
	}
	return nil
}

// lockedIndex returns the index for asOf with m.mu read-locked (the
// caller unlocks), counting the figures of a date other than today first
// if need be; nil (and m.mu not held) when the model is not loaded, or
// asOf is today while today's index is still being read again.
func (m *Model) lockedIndex(asOf training.Date) *training.Index {
	for range 2 {
		m.mu.RLock()
		if m.ds == nil {
			m.mu.RUnlock()
			return nil
		}
		if ix := m.indexFor(asOf); ix != nil {
			return ix
		}
		m.mu.RUnlock()
		if !m.addPast(asOf) {
			return nil
		}
	}
	return nil
}

// addPast counts the figures as of asOf (a date other than today) and
// keeps them with the model; false when it could not (the model was read
// again meanwhile: the caller builds its report the old way).
//
// The counting reads a snapshot (the last one when it is of this model
// and still in use, however old, else a new clone), without the model's locks, so that
// posts are not held up; then, under the write lock, the officers whose
// history changed since the snapshot are counted again. ApplyChange never
// changes a slice in place, so a history that changed is a different
// slice.
func (m *Model) addPast(asOf training.Date) bool {
	if asOf == m.today() {
		return false // today's index is being read again (a new day)
	}
	m.pastMu.Lock()
	defer m.pastMu.Unlock()
	m.mu.RLock()
	have := m.ds != nil && m.indexFor(asOf) != nil
	m.mu.RUnlock()
	if have {
		return true
	}
	var snap, of *training.Dataset
	if sn := m.snap.Load(); sn != nil {
		snap, of = sn.ds.Value(), sn.of
	}
	m.mu.RLock()
	if snap == nil || of != m.ds {
		snap = nil
	}
	m.mu.RUnlock()
	if snap == nil {
		snap, of = m.snapshotOf()
	}
	ix := training.NewIndex(snap, asOf)
	m.mu.Lock()
	defer m.mu.Unlock()
	if of != m.ds {
		return false // read again meanwhile
	}
	if snap.Revision != m.ds.Revision {
		then, now := snap.Completions, m.ds.Completions
		for id, c := range now {
			if was := then[id]; !sameSlice(was, c) {
				ix.Remove(m.ds.Officers[id], was, m.ds.Exemptions[id])
				ix.Add(m.ds.Officers[id], c, m.ds.Exemptions[id])
			}
		}
		for id, was := range then {
			if _, ok := now[id]; !ok {
				ix.Remove(m.ds.Officers[id], was, m.ds.Exemptions[id])
				ix.Add(m.ds.Officers[id], nil, m.ds.Exemptions[id])
			}
		}
	}
	if m.past == nil {
		m.past = map[training.Date]*pastIndex{}
	}
	if len(m.past) >= maxPastDates {
		var oldest training.Date
		least := int64(-1)
		for d, p := range m.past {
			if u := p.used.Load(); least < 0 || u < least {
				oldest, least = d, u
			}
		}
		delete(m.past, oldest)
	}
	p := &pastIndex{ix: ix}
	p.used.Store(m.pastTick.Add(1))
	m.past[asOf] = p
	return true
}

// sameSlice reports whether a and b are the same slice (not merely equal).
func sameSlice(a, b []training.Completion) bool {
	return len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}
