package redis

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/training"
)

// TestApplyTwoReplicas applies two changes planned against the same
// revision from two stores (two replicas) at once: exactly one wins, the
// other gets ErrConflict, and the roster holds the winner's change only.
func TestApplyTwoReplicas(t *testing.T) {
	m := miniredis.RunT(t)
	url := "redis://" + m.Addr()
	a, b := openTest(t, url, ""), openTest(t, url, "")
	for round := range 5 {
		base, err := a.Revision(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, s := range []*Store{a, b} {
			wg.Go(func() {
				cs := bigChange(base, 3000)
				cs.Import.ID = cs.Import.ID + "-" + string(rune('a'+i)) + "-" + string(rune('0'+round))
				cs.Import.FileHash = ""
				_, errs[i] = s.ApplyChanges(t.Context(), cs)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, training.ErrConflict):
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d replicas applied, want exactly 1 (%v)", round, won, errs)
		}
		rev, err := b.Revision(t.Context())
		if err != nil || rev != base+1 {
			t.Fatalf("round %d: revision %d, %v; want %d", round, rev, err, base+1)
		}
	}
}

// TestApplyRefusedAtMove covers the refusals of the Lua step itself: the
// lock lapsed while staging, or staging vanished. Nothing may be
// visible and nothing may be left behind.
func TestApplyRefusedAtMove(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(m *miniredis.Miniredis, s *Store)
	}{
		{"lock lapsed", func(m *miniredis.Miniredis, s *Store) { m.FastForward(s.applyTTL + time.Second) }},
		{"staging removed", func(m *miniredis.Miniredis, s *Store) {
			for _, k := range m.Keys() {
				if strings.HasPrefix(k, "{muster}:stage:") && strings.HasSuffix(k, ":officers") {
					m.Del(k)
				}
			}
		}},
		{"revision moved", func(m *miniredis.Miniredis, s *Store) { m.Incr(s.keys.rev, 1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := miniredis.RunT(t)
			s := openTest(t, "redis://"+m.Addr(), "")
			s.afterStep = func(step string) {
				if step == "staged" {
					tc.spoil(m, s)
				}
			}
			_, err := s.ApplyChanges(t.Context(), bigChange(0, 50))
			if !errors.Is(err, training.ErrConflict) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
			s.afterStep = nil
			ds, err := s.Dataset(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Officers) != 0 || len(ds.Completions) != 0 {
				t.Fatalf("refused import left %d officers", len(ds.Officers))
			}
			for _, k := range m.Keys() {
				if k == s.keys.applyLock || k == s.keys.stages || strings.HasPrefix(k, "{muster}:stage:") {
					t.Fatalf("left behind: %s", k)
				}
			}
		})
	}
}
