package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"
	"weak"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// maxCachedReports bounds the report cache of one revision; past it the
// cache starts again (reports are cheap to rebuild, memory is not free).
const maxCachedReports = 256

// maxCachedBytes bounds the memory of the report cache (JSON counted
// three times over, for the report values beside it): a force-wide report
// of 150,000 officers is close to a megabyte of JSON.
const maxCachedBytes = 256 << 20

// dataCache keeps the Dataset of the store's current revision, the scopes
// of managers, and built reports (with their JSON), so that the force-wide
// report for 150,000 officers is computed once per revision and date, not
// once per request. Everything is dropped when the revision changes.
type dataCache struct {
	mu sync.Mutex
	// ds is the snapshot of the revision rev whose reports are kept, held
	// weakly as the model holds it (liveSnapshot): a clone made again at
	// the same revision has the same figures, so the reports stay.
	ds     weak.Pointer[training.Dataset]
	rev    int64
	has    bool
	scopes map[string]training.Scope
	units  reports.Units // of officers, made on first use
	// officers is the roster map that scopes and units were made from: a
	// completion post makes a new revision but shares the Officers map
	// (training.CloneDataset), and the unit paths and managers' scopes,
	// which depend on the officers alone, are kept across it. Otherwise a
	// stream of posts would rebuild them over the whole roster per read.
	officers unsafe.Pointer
	reports  map[ReportKey]*Entry
	bytes    int // of the reports now cached
}

// ReportKey names one report of one revision: the date, unit, course
// selection and, for a manager, whose scope.
type ReportKey struct {
	Rev     int64
	AsOf    training.Date
	Unit    string
	Courses string // the course IDs, joined by ","
	Scope   string // "" for everything; else "user:" + the manager's scope
}

// Entry is one built report and its JSON encoding, or why it failed.
type Entry struct {
	done    chan struct{}
	Report  *training.Report
	JSON    []byte
	Err     error
	waiters int // callers that found the entry and wait on done (under dataCache.mu; for tests)

	// kept is what the reader made of JSON once (Keep), as long as the
	// entry lives: the server's compressed bodies.
	keptOnce sync.Once
	kept     any
}

// Keep returns make(e.JSON), made on the first call and kept with the
// entry, so that whatever a reader derives from a cached report (the
// server's compressed forms of it) is made once per revision too.
func (e *Entry) Keep(make func(json []byte) any) any {
	e.keptOnce.Do(func() { e.kept = make(e.JSON) })
	return e.kept
}

func newDataCache() *dataCache {
	return &dataCache{scopes: map[string]training.Scope{}, reports: map[ReportKey]*Entry{}}
}

// Dataset returns an immutable Dataset at the live model's revision
// (shared: never modify it). It never waits for a rebuild, except the
// very first load of the model.
func (m *Model) Dataset(ctx context.Context) (*training.Dataset, error) {
	if err := m.Current(ctx); err != nil {
		return nil, err
	}
	ds := m.snapshot()
	c := m.cache
	c.mu.Lock()
	if w := weak.Make(ds); c.ds != w && (!c.has || ds.Revision >= c.rev) {
		if officersOf(ds) != c.officers {
			c.scopes = map[string]training.Scope{}
			c.units = nil
			c.officers = officersOf(ds)
		}
		if !c.has || ds.Revision > c.rev {
			c.reports = map[ReportKey]*Entry{}
			c.bytes = 0
		}
		c.ds, c.rev, c.has = w, ds.Revision, true
	}
	c.mu.Unlock()
	return ds, nil
}

// DropCaches forgets the cached Dataset, scopes, unit paths and built
// reports: the next read builds them again (the cold path benchmarks
// measure). The live index itself is kept.
func (m *Model) DropCaches() {
	c := m.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ds, c.has, c.units, c.officers = weak.Pointer[training.Dataset]{}, false, nil, nil
	c.scopes = map[string]training.Scope{}
	c.reports = map[ReportKey]*Entry{}
	c.bytes = 0
}

// Units returns the unit paths of ds (reports.UnitsOf), made once per
// revision: checking ?unit then costs a map lookup, not a roster scan.
func (m *Model) Units(ds *training.Dataset) reports.Units {
	c := m.cache
	c.mu.Lock()
	u, same := c.units, c.officers == officersOf(ds)
	c.mu.Unlock()
	if u != nil && same {
		return u
	}
	u = reports.UnitsOf(ds)
	c.mu.Lock()
	c.adopt(ds)
	c.units = u
	c.mu.Unlock()
	return u
}

// adopt makes ds's officers the ones the scopes and units are kept for
// (under c.mu), forgetting those of other officers: the reads that check
// a query against the model itself (not a snapshot) reach here before any
// Dataset call has.
func (c *dataCache) adopt(ds *training.Dataset) {
	if p := officersOf(ds); p != c.officers {
		c.officers = p
		c.units = nil
		c.scopes = map[string]training.Scope{}
	}
}

// officersOf identifies ds's Officers map (the same map across the
// revisions of completion posts).
func officersOf(ds *training.Dataset) unsafe.Pointer {
	return reflect.ValueOf(ds.Officers).UnsafePointer()
}

// Scope returns what u may see in ds (cached per revision for managers,
// whose reporting line takes a walk over the roster).
func (m *Model) Scope(u training.User, ds *training.Dataset) training.Scope {
	if u.Role.SeesWholeForce() {
		return training.Scope{All: true}
	}
	// Kept while the officers are (see dataCache.officers).
	key := fmt.Sprintf("%s\x00%s\x00%s\x00%s", u.Role, u.Username, u.OfficerID, strings.Join(u.Units, "\x00"))
	c := m.cache
	c.mu.Lock()
	sc, ok := c.scopes[key]
	same := c.officers == officersOf(ds)
	c.mu.Unlock()
	if ok && same {
		return sc
	}
	sc = training.ScopeFor(u, ds)
	c.mu.Lock()
	c.adopt(ds)
	c.scopes[key] = sc
	c.mu.Unlock()
	return sc
}

// Build builds (once) and returns the report and its JSON for key;
// concurrent callers with the same key wait for the one build, which is
// kept while ds is the current revision.
func (m *Model) Build(ds *training.Dataset, key ReportKey, build func() (*training.Report, error)) *Entry {
	c := m.cache
	c.mu.Lock()
	cacheable := c.has && c.rev == ds.Revision
	e, ok := c.reports[key]
	if ok {
		e.waiters++
	} else {
		e = &Entry{done: make(chan struct{})}
		if cacheable {
			if len(c.reports) >= maxCachedReports || c.bytes >= maxCachedBytes {
				c.reports = map[ReportKey]*Entry{}
				c.bytes = 0
			}
			c.reports[key] = e
		}
	}
	c.mu.Unlock()
	if ok {
		<-e.done
		return e
	}
	e.Report, e.Err = build()
	if e.Err == nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		e.Err = enc.Encode(e.Report)
		e.JSON = buf.Bytes()
	}
	close(e.done)
	c.mu.Lock()
	if c.reports[key] == e {
		if e.Err != nil {
			delete(c.reports, key) // do not keep failures
		} else {
			c.bytes += 3 * len(e.JSON)
		}
	}
	c.mu.Unlock()
	return e
}
