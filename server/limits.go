package server

import (
	"context"
	"sync"

	"github.com/muster-police/muster/internal/accounts"

	"golang.org/x/sync/semaphore"

	"github.com/muster-police/muster/training"
)

// Bounds on what concurrent requests may cost (Config.Limits). Each limit
// is counted, not timed: the tests hold slots and see the next caller
// refused.

// hashGate bounds argon2id: each computation takes 19 MiB, so 60 at once
// took 1.2 GB. At most Limits.Hashing run; up to Limits.HashQueue more
// wait their turn; beyond that a caller is refused at once (503) instead
// of queueing without end.
type hashGate struct {
	run   *semaphore.Weighted
	admit *semaphore.Weighted
}

func newHashGate(l Limits) *hashGate {
	return &hashGate{run: semaphore.NewWeighted(int64(l.Hashing)), admit: semaphore.NewWeighted(int64(l.Hashing + l.HashQueue))}
}

// errHashBusy is the answer when every hashing slot and queue place is taken.
var errHashBusy = training.Busyf("too many sign-ins at once; try again in a few seconds")

// do runs fn (one password hash or check) when a slot is free.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	if !g.admit.TryAcquire(1) {
		return errHashBusy
	}
	defer g.admit.Release(1)
	if err := g.run.Acquire(ctx, 1); err != nil {
		return err
	}
	defer g.run.Release(1)
	fn()
	return nil
}

// hashPassword is accounts.HashPassword through the gate.
func (s *Server) hashPassword(ctx context.Context, password string) (hash string, err error) {
	if gerr := s.hashing.do(ctx, func() { hash, err = accounts.HashPassword(password) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkPassword is accounts.CheckPassword through the gate.
func (s *Server) checkPassword(ctx context.Context, password, encoded string) (ok bool, err error) {
	if gerr := s.hashing.do(ctx, func() { ok, err = accounts.CheckPassword(password, encoded) }); gerr != nil {
		return false, gerr
	}
	return ok, err
}

// importGate bounds imports and previews running at once: excelize can
// take far more memory than the file's size. A user may run
// Limits.ImportsPerUser at once (else 429); the service Limits.Imports
// files of at most Limits.ImportBytes together (else 503).
type importGate struct {
	lim     Limits
	mu      sync.Mutex
	running int
	bytes   int64
	perUser map[string]int
}

func newImportGate(l Limits) *importGate {
	return &importGate{lim: l, perUser: map[string]int{}}
}

// acquire takes a slot for user's file of size bytes; call release when
// the import ends.
func (g *importGate) acquire(user string, size int64) (release func(), err error) {
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

// inUse reports the running imports and their bytes (for tests and metrics).
func (g *importGate) inUse() (int, int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running, g.bytes
}
