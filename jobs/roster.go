package jobs

import (
	"context"

	"github.com/muster-police/muster/training"
)

// Roster is where the jobs read the roster from. In `muster serve` it is
// the live read model (internal/live's Model), so that a run shares the
// model's copy of the roster instead of reading its own (about 125 MiB at
// 150,000 officers, most of what a first start's catch-up held on top of
// the model); without one (the CLI) each run reads the store's Dataset
// once.
type Roster interface {
	// ReadRoster calls fn with a Dataset at least as fresh as the store
	// was when ReadRoster was called (a replica first applies what other
	// replicas wrote since). fn must neither keep nor change the Dataset,
	// nor wait on anything: the live model holds its read lock while fn
	// runs, and posts wait for it. Copy out what must outlive fn.
	ReadRoster(ctx context.Context, fn func(ds *training.Dataset) error) error
}

// UseRoster makes the jobs read the roster from r (nil: the store's
// Dataset). `muster serve` passes its live model, which exists only once
// the server is built, after the scheduler; call it before Start.
func (s *Scheduler) UseRoster(r Roster) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roster = r
}

// rosterForRun returns where one run (or one plan) reads the roster: the
// configured Roster, else the store's Dataset, read at the first
// ReadRoster and kept until the run ends, so that a run reading in
// batches reads the store once.
func (s *Scheduler) rosterForRun() Roster {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.roster != nil {
		return s.roster
	}
	return &storeRoster{store: s.store}
}

// storeRoster reads the store's Dataset once.
type storeRoster struct {
	store training.Store
	ds    *training.Dataset
}

// ReadRoster calls fn with the Dataset, reading it on the first call.
func (r *storeRoster) ReadRoster(ctx context.Context, fn func(ds *training.Dataset) error) error {
	if r.ds == nil {
		ds, err := r.store.Dataset(ctx)
		if err != nil {
			return err
		}
		r.ds = ds
	}
	return fn(r.ds)
}

// rosterBatch copies out of ds what planning ids needs: those officers,
// their completions and exemptions, and the courses. The slices are
// shared, not copied: a Dataset's writers replace an officer's slice
// rather than change it (training.ApplyChange), so they stay as read.
func rosterBatch(ds *training.Dataset, ids []string) *training.Dataset {
	sub := &training.Dataset{Revision: ds.Revision, Courses: ds.Courses, Officers: make(map[string]training.Officer, len(ids)),
		Completions: make(map[string][]training.Completion, len(ids)), Exemptions: make(map[string][]training.Exemption, len(ids))}
	for _, id := range ids {
		o, ok := ds.Officers[id]
		if !ok {
			continue // gone since the run listed the officers (a new roster)
		}
		sub.Officers[id] = o
		if cs, ok := ds.Completions[id]; ok {
			sub.Completions[id] = cs
		}
		if es, ok := ds.Exemptions[id]; ok {
			sub.Exemptions[id] = es
		}
	}
	return sub
}
