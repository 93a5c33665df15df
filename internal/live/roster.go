package live

import (
	"context"
	"errors"
	"fmt"

	"github.com/muster-police/muster/training"
)

// ReadRoster calls fn with the model's Dataset, first brought at least to
// the store's revision as it is now (waiting for it: the changes logged
// since, or a full read after a gap), under the read lock: fn must
// neither keep nor change the Dataset, nor wait on anything. The jobs
// (jobs.Roster) plan from it instead of reading a second copy of the
// roster. On a replica, what other replicas wrote before the call is in
// it, as it would be in a Dataset read from the store.
func (m *Model) ReadRoster(ctx context.Context, fn func(ds *training.Dataset) error) error {
	rev, err := m.store.Revision(ctx)
	if err != nil {
		return fmt.Errorf("revision: %w", err)
	}
	if err := m.reach(ctx, rev); err != nil {
		return err
	}
	m.mu.RLock()
	if m.ds != nil && m.ds.Revision >= rev {
		defer m.mu.RUnlock()
		return fn(m.ds)
	}
	m.mu.RUnlock()
	// A reload begun before the call (a new day) swapped in a model that
	// a gap in the feed left behind rev: read the store, as the jobs did
	// before they shared the model. Rare, and correct.
	ds, err := m.store.Dataset(ctx)
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	return fn(ds)
}

// reach brings the model at least to rev and waits for it: the first
// load, the changes logged since, or a full read when the feed has a gap.
func (m *Model) reach(ctx context.Context, rev int64) error {
	if m.Revision() < 0 {
		if err := m.Current(ctx); err != nil {
			return err
		}
	}
	m.catchUp.Lock()
	defer m.catchUp.Unlock()
	if m.Revision() >= rev {
		return nil
	}
	changes, err := m.store.Changes(ctx, m.Revision(), 0)
	if err != nil && !errors.Is(err, training.ErrChangesGone) {
		return fmt.Errorf("changes: %w", err)
	}
	if err == nil {
		m.mu.Lock()
		applied := true
		for _, ch := range changes {
			if applied = applyLive(m.ds, m.ix, m.lx, m.past, ch); !applied {
				break
			}
		}
		reached := applied && m.ds.Revision >= rev
		m.mu.Unlock()
		if reached {
			return nil
		}
	}
	return m.loadLive(ctx, true)
}
