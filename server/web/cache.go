package web

import (
	"sync"
	"time"
)

// cacheMax bounds the entries kept for one revision.
const cacheMax = 512

// Cache keeps computed page data. Entries are built once (concurrent
// callers wait for the one build) and dropped when the revision moves.
type Cache struct {
	mu      sync.Mutex
	rev     int64
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	done  chan struct{}
	at    time.Time
	value any
	err   error
}

func NewCache() *Cache { return &Cache{entries: map[string]*cacheEntry{}} }

// Get returns the value for key at revision rev, building it when missing
// or older than ttl (ttl 0: kept for the whole revision).
func (w *Cache) Get(rev int64, key string, now time.Time, ttl time.Duration, build func() (any, error)) (any, error) {
	w.mu.Lock()
	if rev > w.rev || len(w.entries) >= cacheMax {
		if rev > w.rev {
			w.rev = rev
		}
		w.entries = map[string]*cacheEntry{}
	}
	e, ok := w.entries[key]
	if ok && ttl > 0 && now.Sub(e.at) > ttl {
		select {
		case <-e.done:
			ok = false
		default: // still building: wait for it
		}
	}
	if !ok {
		e = &cacheEntry{done: make(chan struct{}), at: now}
		if rev >= w.rev {
			w.entries[key] = e
		}
	}
	w.mu.Unlock()
	if ok {
		<-e.done
		return e.value, e.err
	}
	e.value, e.err = build()
	close(e.done)
	if e.err != nil {
		w.mu.Lock()
		if w.entries[key] == e {
			delete(w.entries, key)
		}
		w.mu.Unlock()
	}
	return e.value, e.err
}

// Pending reports whether key is being built (1) or not (0), for tests.
func (w *Cache) Pending(key string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if e, ok := w.entries[key]; ok {
		select {
		case <-e.done:
		default:
			return 1
		}
	}
	return 0
}

// Forget drops key, so the next get builds it again.
func (w *Cache) Forget(key string) {
	w.mu.Lock()
	delete(w.entries, key)
	w.mu.Unlock()
}
