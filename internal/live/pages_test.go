package live

import (
	"sync/atomic"
	"testing"

	"github.com/muster-police/muster/training"
)

// releasingStore counts the times its mapped pages are given back.
type releasingStore struct {
	training.Store
	released atomic.Int32
}

func (s *releasingStore) ReleasePages() error { s.released.Add(1); return nil }

// TestFullReadReleasesPages: each full read of the roster (the first
// load, a reload after a gap) gives the store's mapped pages back once
// the Dataset is in memory; a read that follows the change feed does not.
func TestFullReadReleasesPages(t *testing.T) {
	st := &releasingStore{Store: newStore(t)}
	m := newModel(st)
	if err := m.Current(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := st.released.Load(); got != 1 {
		t.Fatalf("after the first load the pages were released %d times, want 1", got)
	}
	if err := m.loadLive(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	if got := st.released.Load(); got != 2 {
		t.Fatalf("after a reload the pages were released %d times, want 2", got)
	}
	if err := m.Current(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := st.released.Load(); got != 2 {
		t.Fatalf("a read at the same revision released the pages (%d times in all, want 2)", got)
	}
}
