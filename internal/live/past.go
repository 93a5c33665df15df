package live

import (
	"sync/atomic"

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
	// counted is how many officers (in list order) addPast has counted so
	// far, of total: the index is served once they are all counted.
	counted atomic.Int64
	total   int
}

// indexFor returns the index counting the figures as of asOf: today's,
// or a kept past date's; nil when there is none. The caller holds m.mu
// (read or write) and the model is loaded.
func (m *Model) indexFor(asOf training.Date) *training.Index {
	if m.ix.AsOf() == asOf {
		return m.ix
	}
	if p := m.past[asOf]; p != nil && int(p.counted.Load()) >= p.total {
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

// pastChunk is how many officers addPast counts under one hold of the
// read lock (about 15 ms at 150,000 officers on the 2-core VM: a post
// waits at most that long for it).
const pastChunk = 5000

// addPast counts the figures as of asOf (a date other than today) and
// keeps them with the model; false when it could not (the model was read
// again meanwhile: the caller builds its report the old way).
//
// It counts the model itself, no copy of it (a snapshot's completions
// map is ~10 MB at 150,000 officers), a chunk of officers at a time in
// list order (listIndex positions) under the read lock, so that posts are
// held up for a chunk at most, never for the whole force. Meanwhile the
// index is in m.past but not served, and applyLive keeps current the
// officers already counted (those at positions before counted); the
// others are counted later with their history as it is then.
func (m *Model) addPast(asOf training.Date) bool {
	if asOf == m.today() {
		return false // today's index is being read again (a new day)
	}
	m.pastMu.Lock()
	defer m.pastMu.Unlock()
	m.mu.Lock()
	if m.ds == nil {
		m.mu.Unlock()
		return false
	}
	if m.indexFor(asOf) != nil {
		m.mu.Unlock()
		return true
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
	ds, lx := m.ds, m.lx
	p := &pastIndex{ix: training.NewIndex(&training.Dataset{Courses: ds.Courses}, asOf), total: len(lx.ids)}
	m.past[asOf] = p
	m.mu.Unlock()
	chunk := pastChunk
	if m.pastChunk > 0 {
		chunk = m.pastChunk
	}
	for done := 0; done < p.total; {
		if done > 0 && m.betweenChunks != nil {
			m.betweenChunks()
		}
		m.mu.RLock()
		if m.ds != ds {
			m.mu.RUnlock()
			return false // read again meanwhile (which dropped p)
		}
		end := min(done+chunk, p.total)
		for _, id := range lx.ids[done:end] {
			p.ix.Add(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
		}
		done = end
		p.counted.Store(int64(done))
		m.mu.RUnlock()
	}
	p.used.Store(m.pastTick.Add(1))
	return true
}

// counts reports whether p counts officer id of ds yet (see addPast); the
// caller holds m.mu, so counted does not move.
func (p *pastIndex) counts(ds *training.Dataset, lx *listIndex, id string) bool {
	n := int(p.counted.Load())
	if n >= p.total {
		return true
	}
	pos, ok := lx.position(ds, id)
	return ok && pos < n
}
