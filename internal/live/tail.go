package live

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/muster-police/muster/training"
)

// Tail follows the store's change feed until ctx ends, so that a
// change made through another replica shows here within about a second
// even when nobody reads. It waits for changes without holding catchUp,
// so that this replica's own writes are never held up by the wait.
func (m *Model) Tail(ctx context.Context) {
	for ctx.Err() == nil {
		err := m.tailOnce(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Warn("live figures: following the change feed failed", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}
}

func (m *Model) tailOnce(ctx context.Context) error {
	rev := m.Revision()
	if rev < 0 {
		return m.Current(ctx)
	}
	changes, err := m.store.Changes(ctx, rev, time.Second)
	gone := errors.Is(err, training.ErrChangesGone)
	if err != nil && !gone {
		return fmt.Errorf("changes: %w", err)
	}
	if gone {
		m.startReload()
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
		if !applyLive(m.ds, m.ix, m.lx, m.past, ch) {
			m.mu.Unlock()
			return m.follow(ctx, 0)
		}
	}
	m.mu.Unlock()
	return nil
}
