package importers

import (
	"context"
	"fmt"
	"sync"

	"github.com/muster-police/muster/training"
)

// memStore is the roster part of a training.Store in memory, for planner
// tests that must not depend on a backend. Methods a test does not need
// panic through the nil embedded interface.
type memStore struct {
	training.Store
	mu      sync.Mutex
	ds      training.Dataset
	imports []training.ImportRecord
	applied int
	// conflicts makes the next n ApplyChanges fail with ErrConflict after
	// running before (which may change the data, as another import would).
	conflicts int
	before    func(*memStore)
	mappings  []training.ColumnMapping
}

func newMemStore() *memStore {
	return &memStore{ds: training.Dataset{Courses: training.DefaultCourses(),
		Officers: map[string]training.Officer{}, Completions: map[string][]training.Completion{},
		Exemptions: map[string][]training.Exemption{}}}
}

func (m *memStore) Dataset(context.Context) (*training.Dataset, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneDataset(&m.ds), nil
}

func (m *memStore) Courses(context.Context) ([]training.Course, error) { return m.ds.Courses, nil }

func (m *memStore) ApplyChangeParts(ctx context.Context, head training.ChangeSet, parts training.ChangeParts) (int64, error) {
	cs, err := training.CollectParts(head, parts)
	if err != nil {
		return 0, err
	}
	return m.ApplyChanges(ctx, cs)
}

func (m *memStore) ApplyChanges(_ context.Context, cs training.ChangeSet) (int64, error) {
	if m.conflicts > 0 {
		m.conflicts--
		if m.before != nil {
			m.before(m)
		}
		return 0, fmt.Errorf("memstore: %w", training.ErrConflict)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if cs.BaseRevision != m.ds.Revision {
		return 0, fmt.Errorf("memstore: revision moved: %w", training.ErrConflict)
	}
	for _, r := range m.imports {
		if cs.Import.FileHash != "" && r.FileHash == cs.Import.FileHash && r.Outcome == training.OutcomeApplied {
			return 0, fmt.Errorf("memstore: file applied: %w", training.ErrConflict)
		}
	}
	applyToDataset(&m.ds, cs)
	m.ds.Revision++
	m.applied++
	m.imports = append(m.imports, cs.Import)
	return m.ds.Revision, nil
}

func (m *memStore) PutImport(_ context.Context, r training.ImportRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.imports = append(m.imports, r)
	return nil
}

func (m *memStore) ImportByHash(_ context.Context, h string) (training.ImportRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.imports {
		if r.FileHash == h && r.Outcome == training.OutcomeApplied {
			return r, nil
		}
	}
	return training.ImportRecord{}, training.ErrNotFound
}

// applyToDataset does what ApplyChanges promises, on a Dataset.
func applyToDataset(ds *training.Dataset, cs training.ChangeSet) {
	if ds.Officers == nil {
		ds.Officers = map[string]training.Officer{}
		ds.Completions = map[string][]training.Completion{}
		ds.Exemptions = map[string][]training.Exemption{}
	}
	for _, o := range cs.Officers {
		ds.Officers[o.ID] = o
	}
next:
	for _, c := range cs.Completions {
		for _, old := range ds.Completions[c.OfficerID] {
			if old.CourseID == c.CourseID && old.Date == c.Date && old.DateUnknown == c.DateUnknown {
				continue next
			}
		}
		ds.Completions[c.OfficerID] = append(ds.Completions[c.OfficerID], c)
	}
	for _, e := range cs.Exemptions {
		list := ds.Exemptions[e.OfficerID][:0:0]
		for _, old := range ds.Exemptions[e.OfficerID] {
			if old.CourseID != e.CourseID {
				list = append(list, old)
			}
		}
		ds.Exemptions[e.OfficerID] = append(list, e)
	}
}

func cloneDataset(ds *training.Dataset) *training.Dataset {
	c := &training.Dataset{Revision: ds.Revision, Courses: ds.Courses,
		Officers: map[string]training.Officer{}, Completions: map[string][]training.Completion{},
		Exemptions: map[string][]training.Exemption{}}
	for k, v := range ds.Officers {
		c.Officers[k] = v
	}
	for k, v := range ds.Completions {
		c.Completions[k] = append([]training.Completion(nil), v...)
	}
	for k, v := range ds.Exemptions {
		c.Exemptions[k] = append([]training.Exemption(nil), v...)
	}
	return c
}

// Mappings, PutMapping and DeleteMapping keep saved mappings in memory.
func (m *memStore) Mappings(context.Context) ([]training.ColumnMapping, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]training.ColumnMapping{}, m.mappings...), nil
}

func (m *memStore) PutMapping(_ context.Context, cm training.ColumnMapping) error {
	if err := cm.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.mappings {
		if m.mappings[i].Name == cm.Name {
			m.mappings[i] = cm
			return nil
		}
	}
	m.mappings = append(m.mappings, cm)
	return nil
}

func (m *memStore) DeleteMapping(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.mappings {
		if m.mappings[i].Name == name {
			m.mappings = append(m.mappings[:i], m.mappings[i+1:]...)
			return nil
		}
	}
	return training.ErrNotFound
}
