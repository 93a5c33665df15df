package server

import (
	"context"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

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

func newHashGate(l web.Limits) *hashGate {
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
