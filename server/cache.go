package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

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
	mu      sync.Mutex
	ds      *training.Dataset
	scopes  map[string]training.Scope
	units   reports.Units // of ds, made on first use
	reports map[reportKey]*reportEntry
	bytes   int // of the reports now cached
}

type reportKey struct {
	rev     int64
	asOf    training.Date
	unit    string
	courses string
	scope   string // "" for everything; else "user:" + username
}

type reportEntry struct {
	done   chan struct{}
	report *training.Report
	json   []byte
	err    error
	// body is json with its compressed forms (made on first use).
	bodyOnce sync.Once
	body     *encodedBody
	waiters  int // callers that found the entry and wait on done (under dataCache.mu; for tests)
}

func newDataCache() *dataCache {
	return &dataCache{scopes: map[string]training.Scope{}, reports: map[reportKey]*reportEntry{}}
}

// dataset returns an immutable Dataset at the live model's revision
// (shared: never modify it). It never waits for a rebuild, except the
// very first load of the model.
func (s *Server) dataset(ctx context.Context) (*training.Dataset, error) {
	if err := s.liveCurrent(ctx); err != nil {
		return nil, err
	}
	ds := s.snapshot()
	c := s.cache
	c.mu.Lock()
	if c.ds != ds && (c.ds == nil || ds.Revision >= c.ds.Revision) {
		c.ds = ds
		c.scopes = map[string]training.Scope{}
		c.units = nil
		c.reports = map[reportKey]*reportEntry{}
		c.bytes = 0
	}
	c.mu.Unlock()
	return ds, nil
}

// unitsOf returns the unit paths of ds (reports.UnitsOf), made once per
// revision: checking ?unit then costs a map lookup, not a roster scan.
func (s *Server) unitsOf(ds *training.Dataset) reports.Units {
	c := s.cache
	c.mu.Lock()
	u, same := c.units, c.ds == ds
	c.mu.Unlock()
	if u != nil && same {
		return u
	}
	u = reports.UnitsOf(ds)
	c.mu.Lock()
	if c.ds == ds {
		c.units = u
	}
	c.mu.Unlock()
	return u
}

// scopeFor returns what u may see in ds (cached per revision for managers,
// whose reporting line takes a walk over the roster).
func (s *Server) scopeFor(u training.User, ds *training.Dataset) training.Scope {
	if u.Role.SeesWholeForce() {
		return training.Scope{All: true}
	}
	key := fmt.Sprintf("%d\x00%s\x00%s\x00%s", ds.Revision, u.Username, u.OfficerID, strings.Join(u.Units, "\x00"))
	c := s.cache
	c.mu.Lock()
	sc, ok := c.scopes[key]
	c.mu.Unlock()
	if ok {
		return sc
	}
	sc = training.ScopeFor(u, ds)
	c.mu.Lock()
	if c.ds == ds {
		c.scopes[key] = sc
	}
	c.mu.Unlock()
	return sc
}

// cachedReport builds (once) and returns the report and its JSON for key;
// concurrent callers with the same key wait for the one build.
func (s *Server) cachedReport(ds *training.Dataset, key reportKey, build func() (*training.Report, error)) (*training.Report, []byte, error) {
	e := s.reportEntry(ds, key, build)
	return e.report, e.json, e.err
}

func (s *Server) reportEntry(ds *training.Dataset, key reportKey, build func() (*training.Report, error)) *reportEntry {
	c := s.cache
	c.mu.Lock()
	cacheable := c.ds == ds
	e, ok := c.reports[key]
	if ok {
		e.waiters++
	} else {
		e = &reportEntry{done: make(chan struct{})}
		if cacheable {
			if len(c.reports) >= maxCachedReports || c.bytes >= maxCachedBytes {
				c.reports = map[reportKey]*reportEntry{}
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
	e.report, e.err = build()
	if e.err == nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		e.err = enc.Encode(e.report)
		e.json = buf.Bytes()
	}
	close(e.done)
	c.mu.Lock()
	if c.reports[key] == e {
		if e.err != nil {
			delete(c.reports, key) // do not keep failures
		} else {
			c.bytes += 3 * len(e.json)
		}
	}
	c.mu.Unlock()
	return e
}

// encoded returns the entry's JSON with its compressed forms, kept with
// the entry so that a cached report is compressed once per coding.
func (e *reportEntry) encoded() *encodedBody {
	e.bodyOnce.Do(func() { e.body = &encodedBody{raw: e.json} })
	return e.body
}
