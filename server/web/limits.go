package web

import (
	"sync"

	"github.com/muster-police/muster/training"
)

// ImportGate bounds imports and previews running at once: excelize can
// take far more memory than the file's size. A user may run
// Limits.ImportsPerUser at once (else 429); the service Limits.Imports
// files of at most Limits.ImportBytes together (else 503).
type ImportGate struct {
	lim     Limits
	mu      sync.Mutex
	running int
	bytes   int64
	perUser map[string]int
}

func NewImportGate(l Limits) *ImportGate {
	return &ImportGate{lim: l, perUser: map[string]int{}}
}

// Acquire takes a slot for user's file of size bytes; call release when
// the import ends.
func (g *ImportGate) Acquire(user string, size int64) (release func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.perUser[user] >= g.lim.ImportsPerUser:
		return nil, training.OverQuotaf("you already have %d import(s) or preview(s) running; wait for it to finish", g.perUser[user])
	case g.running >= g.lim.Imports || g.running > 0 && g.bytes+size > g.lim.ImportBytes:
		return nil, training.Busyf("the server is busy with other imports; try again in a minute")
	}
	g.running++
	g.bytes += size
	g.perUser[user]++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.running--
			g.bytes -= size
			if g.perUser[user]--; g.perUser[user] <= 0 {
				delete(g.perUser, user)
			}
		})
	}, nil
}

// InUse reports the running imports and their bytes (for tests and metrics).
func (g *ImportGate) InUse() (int, int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running, g.bytes
}
