// Package live is the live read model: the roster and today's figures in
// memory, kept current from the store's change feed (live index, change
// feed tail, group commit of completion posts, and the caches of
// datasets, scopes and reports). The server reads through it; it knows
// nothing of HTTP, and its tests need no server.
package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/muster-police/muster/training"
)

// Model is the roster and today's figures in memory, kept current by
// applying each change (training.Index, training.ApplyChange) rather than
// re-reading 150,000 officers per revision:
//
//   - completions posted through the API (this replica's or another's)
//     arrive as deltas from the store's change feed and cost one
//     officer's re-evaluation each;
//   - any other write (a file import, a course edit) leaves a gap in the
//     feed: the model is read again in the background while reads keep
//     using the old one, and swapped in when ready;
//   - the figures of a report for today, for someone who sees the whole
//     force, come from the index (a walk over the units asked for), never
//     from a rebuild; so do those of a few other dates once asked for
//     (past.go), each counted once and then kept current like today's.
//     Other reports (a manager's scoped figures) are built from an
//     immutable snapshot of the Dataset, cloned at most once per revision
//     when asked for.
type Model struct {
	store    training.Store
	now      func() time.Time
	log      *slog.Logger
	onCommit func(posts int)
	// afterRefresh runs after a write through this replica refreshed the
	// model (Config.AfterRefresh).
	afterRefresh func(ctx context.Context)

	// catchUp is held while the model is brought forward (one at a time);
	// mu guards ds, ix, lx and past, which change in place under it.
	catchUp  sync.Mutex
	mu       sync.RWMutex
	ds       *training.Dataset // nil until the first load
	ix       *training.Index
	lx       *listIndex                   // officers lists (list.go)
	past     map[training.Date]*pastIndex // figures of other dates (past.go)
	pastTick atomic.Int64                 // orders the past dates' reads
	pastMu   sync.Mutex                   // held while a past date is counted
	// pastChunk (0: the constant) and betweenChunks are for tests: how
	// many officers addPast counts at a time, and what runs between.
	pastChunk     int
	betweenChunks func()

	snap      atomic.Pointer[liveSnapshot]
	reloading atomic.Bool
	reloads   sync.WaitGroup // background reloads, waited for by Close

	jsonMu sync.Mutex
	jsonAt int64 // revision of the reports kept in json
	json   map[ReportKey]*Entry
	// same keeps the last JSON entry of each report (its key without the
	// revision) with the index version it was made at (see ReportJSON).
	same map[ReportKey]sameEntry

	fragMu sync.Mutex
	frags  map[*training.Index]map[string]*training.JSONCache // by index, then course selection

	cache   *dataCache
	commits *committer
}

// Config is what a Model reads from and reports to.
type Config struct {
	// Store is the store itself (not Model.Store, which wraps it).
	Store training.Store
	Clock func() time.Time
	Log   *slog.Logger
	// OnCommit, if set, is told how many posts each written batch of
	// completions held (for metrics).
	OnCommit func(posts int)
	// AfterRefresh, if set, runs after a roster write through this
	// replica (an import, a course edit) has refreshed the model, outside
	// its locks: the server looks at waiting xAPI statements again.
	AfterRefresh func(ctx context.Context)
}

// New makes a Model; nothing is read until the first Current.
func New(cfg Config) *Model {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	m := &Model{store: cfg.Store, now: cfg.Clock, log: cfg.Log, onCommit: cfg.OnCommit, afterRefresh: cfg.AfterRefresh,
		json: map[ReportKey]*Entry{}, frags: map[*training.Index]map[string]*training.JSONCache{}, cache: newDataCache()}
	m.commits = &committer{m: m}
	return m
}

// today is the civil date now in Europe/London.
func (m *Model) today() training.Date { return training.DateOf(m.now()) }

// Close waits for a reload of the figures that may be running.
func (m *Model) Close() { m.reloads.Wait() }

// liveSnapshot is an immutable copy of the model at one revision, held
// weakly: it lives while a reader uses it, but the model alone does not
// keep it (its completions map is about 10 MB at 150,000 officers, and
// after the next post nobody asks for it again).
type liveSnapshot struct {
	of  *training.Dataset // the model it was cloned from (a reload brings a new one)
	rev int64
	ds  weak.Pointer[training.Dataset]
}

// revision returns the revision the model is at (-1 before the first load).
func (m *Model) Revision() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.ds == nil {
		return -1
	}
	return m.ds.Revision
}

// Current brings the model to the store's revision as far as it can
// without making the caller wait for a full read: the first load is
// waited for; logged changes are applied at once; a gap starts a
// background reload and the caller goes on with the model it has.
func (m *Model) Current(ctx context.Context) error {
	rev, err := m.store.Revision(ctx)
	if err != nil {
		return fmt.Errorf("revision: %w", err)
	}
	m.mu.RLock()
	loaded, cur, asOf := m.ds != nil, int64(-1), training.Date{}
	if loaded {
		cur, asOf = m.ds.Revision, m.ix.AsOf()
	}
	m.mu.RUnlock()
	if loaded && asOf != m.today() {
		m.startReload() // a new day: statuses move with the date
	}
	if loaded && cur >= rev {
		return nil
	}
	if !loaded {
		m.catchUp.Lock()
		defer m.catchUp.Unlock()
		if m.Revision() >= 0 {
			return nil
		}
		return m.loadLive(ctx, true)
	}
	if !m.catchUp.TryLock() {
		return nil // someone is bringing it forward; use what we have
	}
	defer m.catchUp.Unlock()
	return m.follow(ctx, 0)
}

// follow applies the logged changes after the model's revision (waiting
// up to wait for one); on a gap it starts a background reload. The caller
// holds catchUp.
func (m *Model) follow(ctx context.Context, wait time.Duration) error {
	changes, err := m.store.Changes(ctx, m.Revision(), wait)
	if errors.Is(err, training.ErrChangesGone) {
		m.startReload()
		return nil
	}
	if err != nil {
		return fmt.Errorf("changes: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ch := range changes {
		if !applyLive(m.ds, m.ix, m.lx, m.past, ch) {
			m.startReload()
			return nil
		}
	}
	return nil
}

// applyLive applies ch to ds, ix, lx and the indexes of past dates if it
// is the next revision (true), or ignores it if already applied (true);
// false on a gap.
func applyLive(ds *training.Dataset, ix *training.Index, lx *listIndex, past map[training.Date]*pastIndex, ch training.Change) bool {
	switch {
	case ch.Revision <= ds.Revision:
		return true
	case ch.Revision != ds.Revision+1:
		return false
	}
	var ids []string
	seen := map[string]bool{}
	for _, c := range append(slices.Clone(ch.Removed), ch.Completions...) {
		if !seen[c.OfficerID] {
			seen[c.OfficerID] = true
			ids = append(ids, c.OfficerID)
		}
	}
	for _, id := range ids {
		ix.Remove(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
		for _, p := range past {
			if p.counts(ds, lx, id) {
				p.ix.Remove(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
			}
		}
	}
	training.ApplyChange(ds, ch)
	for _, id := range ids {
		ix.Add(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
		for _, p := range past {
			if p.counts(ds, lx, id) {
				p.ix.Add(ds.Officers[id], ds.Completions[id], ds.Exemptions[id])
			}
		}
	}
	lx.apply(ds, ids)
	return true
}

// applyOwn applies a batch this replica just wrote, so that its poster
// reads its own write: directly when it is the next revision, else by
// following the feed.
func (m *Model) applyOwn(ctx context.Context, ch training.Change) error {
	m.catchUp.Lock()
	defer m.catchUp.Unlock()
	m.mu.Lock()
	if m.ds == nil {
		m.mu.Unlock()
		return nil // loaded later, with this change in it
	}
	if applyLive(m.ds, m.ix, m.lx, m.past, ch) {
		m.mu.Unlock()
		return nil
	}
	m.mu.Unlock()
	return m.follow(ctx, 0)
}

// startReload reads the whole model again in the background (once at a
// time); reads use the old model meanwhile.
func (m *Model) startReload() {
	if !m.reloading.CompareAndSwap(false, true) {
		return
	}
	m.reloads.Go(func() {
		defer m.reloading.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := m.loadLive(ctx, false); err != nil {
			m.log.Error("live figures: reload failed; serving the previous figures", "err", err)
		}
	})
}

// Refresh brings the model up to date and waits for it, for a writer
// of this replica (an import, a course edit) whose next page must show
// its change: the writer waits, readers do not.
func (m *Model) Refresh(ctx context.Context) error { return m.refresh(ctx, true) }

// Reload is Refresh without the AfterRefresh hook, for that hook's own
// work when a person asks for it (HR's "match waiting statements again"):
// it needs the model at the store's revision, and must not run itself.
func (m *Model) Reload(ctx context.Context) error {
	if m.Revision() < 0 {
		return m.Current(ctx) // the first load reads the store
	}
	return m.refresh(ctx, false)
}

func (m *Model) refresh(ctx context.Context, hook bool) error {
	if m.Revision() < 0 {
		return nil // not loaded yet: the first read loads it
	}
	ds, ix, lx, err := m.readLive(ctx)
	if err != nil {
		return err
	}
	m.catchUp.Lock()
	err = m.swapLive(ctx, ds, ix, lx)
	m.catchUp.Unlock()
	if err != nil {
		return err
	}
	if hook && m.afterRefresh != nil {
		// People or courses may have changed (docs/xapi.md: waiting
		// statements may match now).
		m.afterRefresh(ctx)
	}
	return nil
}

// loadLive reads and swaps in the model; the caller holds catchUp only
// when held is true.
func (m *Model) loadLive(ctx context.Context, held bool) error {
	ds, ix, lx, err := m.readLive(ctx)
	if err != nil {
		return err
	}
	if !held {
		m.catchUp.Lock()
		defer m.catchUp.Unlock()
	}
	return m.swapLive(ctx, ds, ix, lx)
}

// readLive reads the Dataset, counts it and places it in list order as
// of today (the long part, done without any lock).
func (m *Model) readLive(ctx context.Context) (*training.Dataset, *training.Index, *listIndex, error) {
	ds, err := m.store.Dataset(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("dataset: %w", err)
	}
	m.releasePages(m.store)
	today := m.today()
	return ds, training.NewIndex(ds, today), newListIndex(ds, today), nil
}

// swapLive applies what was logged since ds was read, then makes ds, ix
// and lx the model. The caller holds catchUp, so nothing moves the old model
// meanwhile.
func (m *Model) swapLive(ctx context.Context, ds *training.Dataset, ix *training.Index, lx *listIndex) error {
	changes, err := m.store.Changes(ctx, ds.Revision, 0)
	if err != nil && !errors.Is(err, training.ErrChangesGone) {
		return fmt.Errorf("changes: %w", err)
	}
	for _, ch := range changes { // on a gap: none, and the next read reloads again
		applyLive(ds, ix, lx, nil, ch)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ds == nil || ds.Revision >= m.ds.Revision || ix.AsOf() != m.ix.AsOf() {
		m.ds, m.ix, m.lx = ds, ix, lx
		m.past = nil // counted on the previous Dataset: counted again when asked for
	}
	return nil
}

// View calls fn with the model's Dataset as it is now, under the read
// lock (fn must not keep or change it); with nil before the first load.
func (m *Model) View(fn func(ds *training.Dataset)) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	fn(m.ds)
}

// snapshot returns an immutable Dataset at the model's revision (shared:
// never modify it), cloning the model at most once per revision. The
// model must be loaded.
func (m *Model) snapshot() *training.Dataset {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if sn := m.snap.Load(); sn != nil && sn.of == m.ds && sn.rev == m.ds.Revision {
		if ds := sn.ds.Value(); ds != nil {
			return ds
		}
	}
	ds := training.CloneDataset(m.ds)
	m.snap.Store(&liveSnapshot{of: m.ds, rev: ds.Revision, ds: weak.Make(ds)})
	return ds
}

// Report returns the report and JSON for the whole force's view,
// from the index of asOf: today's, or another date's, counted on its first
// read and kept (past.go). ok is false before the first load, and for
// today while a new day's figures are being read.
func (m *Model) Report(asOf training.Date, unit string, courses []string) (*Entry, bool) {
	ix := m.lockedIndex(asOf)
	if ix == nil {
		return nil, false
	}
	rev := m.ds.Revision
	key := ReportKey{Rev: rev, AsOf: asOf, Unit: unit, Courses: strings.Join(courses, ",")}
	m.jsonMu.Lock()
	e, ok := m.json[key]
	m.jsonMu.Unlock()
	if ok && e.Report != nil {
		m.mu.RUnlock()
		return e, true
	}
	rep, err := ix.Report(unit, courses)
	m.mu.RUnlock()
	e = &Entry{Report: rep, Err: err}
	if err != nil {
		return e, true
	}
	var buf bytes.Buffer
	if e.Err = json.NewEncoder(&buf).Encode(rep); e.Err != nil {
		return e, true
	}
	e.JSON = buf.Bytes()
	m.jsonMu.Lock()
	if rev > m.jsonAt || len(m.json) >= maxCachedReports {
		m.json, m.jsonAt = map[ReportKey]*Entry{}, rev
	}
	if rev == m.jsonAt {
		m.json[key] = e // replaces a JSON-only entry: same bytes
	}
	m.jsonMu.Unlock()
	return e, true
}

// ReportJSON returns the compliance JSON for the whole force's view from
// the index of asOf (as Report), in an Entry kept for the revision (so
// what a reader Keeps with it, compressed forms, is made once). After a
// change only the units on the changed officers' paths are encoded again.
func (m *Model) ReportJSON(asOf training.Date, unit string, courses []string) (*Entry, bool, error) {
	ix := m.lockedIndex(asOf)
	if ix == nil {
		return nil, false, nil
	}
	defer m.mu.RUnlock()
	rev := m.ds.Revision
	key := ReportKey{Rev: rev, AsOf: asOf, Unit: unit, Courses: strings.Join(courses, ",")}
	m.jsonMu.Lock()
	e, ok := m.json[key]
	m.jsonMu.Unlock()
	if ok && e.JSON != nil {
		return e, true, nil
	}
	// A post elsewhere in the force makes a new revision but leaves this
	// unit's figures as they were: its last entry serves again, with the
	// compressed forms a reader made of it, instead of the same bytes
	// encoded and compressed once more per post.
	ver, hasVer := ix.Version(unit)
	sk := key
	sk.Rev = 0
	m.jsonMu.Lock()
	if s, ok := m.same[sk]; ok && hasVer && s.ix == ix && s.ver == ver {
		m.jsonMu.Unlock()
		return s.e, true, nil
	}
	m.jsonMu.Unlock()
	m.fragMu.Lock()
	fs := m.frags[ix] // a JSONCache serves one index
	if fs == nil {
		for old := range m.frags { // those of indexes no longer kept
			if old != m.ix && (m.past[old.AsOf()] == nil || m.past[old.AsOf()].ix != old) {
				delete(m.frags, old)
			}
		}
		fs = map[string]*training.JSONCache{}
		m.frags[ix] = fs
	}
	c := fs[key.Courses]
	if c == nil {
		if len(fs) >= maxCachedReports {
			clear(fs)
		}
		c = &training.JSONCache{}
		fs[key.Courses] = c
	}
	js, err := ix.ReportJSON(unit, courses, c)
	m.fragMu.Unlock()
	if err != nil {
		return nil, true, err
	}
	m.jsonMu.Lock()
	if rev > m.jsonAt || len(m.json) >= maxCachedReports {
		m.json, m.jsonAt = map[ReportKey]*Entry{}, rev
	}
	e = &Entry{JSON: js}
	if rev == m.jsonAt {
		if kept := m.json[key]; kept != nil && kept.JSON != nil {
			e = kept // same bytes, perhaps already compressed
		} else if kept == nil {
			m.json[key] = e
		}
	}
	if hasVer {
		if m.same == nil || len(m.same) >= maxCachedReports {
			m.same = map[ReportKey]sameEntry{}
		}
		m.same[sk] = sameEntry{ix: ix, ver: ver, e: e}
	}
	m.jsonMu.Unlock()
	return e, true, nil
}

// sameEntry is an entry of ReportJSON with the index and version of the
// unit's figures it was made from.
type sameEntry struct {
	ix  *training.Index
	ver uint64
	e   *Entry
}
