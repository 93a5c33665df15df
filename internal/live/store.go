package live

import (
	"context"

	"github.com/muster-police/muster/training"
)

// Store is the store as the handlers should see it (Model.Store): a roster write made
// through this replica (an import, a course edit) brings the live model
// up to date before it returns, so that the writer's next page shows the
// change. The writer waits for that; readers never do.
type liveStore struct {
	training.Store
	m *Model
}

// Store returns the store as writers should use it: a roster write (an
// import, a course edit) brings the model up to date before it returns,
// so that the writer's next page shows the change.
func (m *Model) Store() training.Store { return liveStore{Store: m.store, m: m} }

// ApplyChanges writes cs, then refreshes the live model.
func (l liveStore) ApplyChanges(ctx context.Context, cs training.ChangeSet) (int64, error) {
	rev, err := l.Store.ApplyChanges(ctx, cs)
	if err == nil {
		l.refresh(ctx)
	}
	return rev, err
}

// ApplyChangeParts writes head and its parts, then refreshes the live model.
func (l liveStore) ApplyChangeParts(ctx context.Context, head training.ChangeSet, parts training.ChangeParts) (int64, error) {
	rev, err := l.Store.ApplyChangeParts(ctx, head, parts)
	if err == nil {
		l.refresh(ctx)
	}
	return rev, err
}

// WithdrawImport takes back an import's completions, then refreshes the
// live model, so that the figures drawn next no longer count them.
func (l liveStore) WithdrawImport(ctx context.Context, w training.Withdrawal) (int64, error) {
	rev, err := l.Store.WithdrawImport(ctx, w)
	if err == nil {
		l.refresh(ctx)
	}
	return rev, err
}

// PutCourses writes the courses, then refreshes the live model.
func (l liveStore) PutCourses(ctx context.Context, cs []training.Course) error {
	err := l.Store.PutCourses(ctx, cs)
	if err == nil {
		l.refresh(ctx)
	}
	return err
}

func (l liveStore) refresh(ctx context.Context) {
	if err := l.m.Refresh(ctx); err != nil {
		// The write stands; reads catch up through the change feed's gap.
		l.m.log.Warn("live figures: refresh after a write failed", "err", err)
	}
}
