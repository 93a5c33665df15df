package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/muster-police/muster/training"
)

// tailLive follows the store's change feed until ctx ends, so that a
// change made through another replica shows here within about a second
// even when nobody reads. It waits for changes without holding catchUp,
// so that this replica's own writes are never held up by the wait.
func (s *Server) tailLive(ctx context.Context) {
	for ctx.Err() == nil {
		err := s.tailOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("live figures: following the change feed failed", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (s *Server) tailOnce(ctx context.Context) error {
	m := s.live
	rev := m.revision()
	if rev < 0 {
		return s.liveCurrent(ctx)
	}
	changes, err := s.store.Changes(ctx, rev, time.Second)
	gone := errors.Is(err, training.ErrChangesGone)
	if err != nil && !gone {
		return fmt.Errorf("changes: %w", err)
	}
	if gone {
		s.startReload()
		// Let the reload run rather than asking again at once.
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
		return nil
	}
	if len(changes) == 0 {
		return nil
	}
	m.catchUp.Lock()
	defer m.catchUp.Unlock()
	m.mu.Lock()
	for _, ch := range changes {
		if !applyLive(m.ds, m.ix, ch) {
			m.mu.Unlock()
			return s.follow(ctx, 0)
		}
	}
	m.mu.Unlock()
	return nil
}
