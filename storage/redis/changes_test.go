package redis

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/training"
)

// TestPostsWaitForAnImport: a completion posted while an import is being
// staged waits until the import is applied (it would otherwise be lost
// when the staged lists replace the stored ones), then lands; the import
// is not refused for it. Both apply modes (merge, rename).
func TestPostsWaitForAnImport(t *testing.T) {
	for _, limit := range []int{5000, 0} {
		m := miniredis.RunT(t)
		s := openTest(t, "redis://"+m.Addr(), "")
		s.mergeLimit = limit
		cs := bigChange(0, 20)
		first := bigChange(0, 20)
		first.Import.ID, first.Import.FileHash = "first", "hash-first"
		base, err := s.ApplyChanges(t.Context(), first)
		if err != nil {
			t.Fatal(err)
		}
		cs.BaseRevision = base
		post := training.Completion{OfficerID: cs.Officers[3].ID, CourseID: "trauma-informed-communication", Date: training.NewDate(2026, 11, 1)}
		batch := training.CompletionBatch{Completions: []training.Completion{post}}
		// A post just before the import (after its plan) does not refuse it.
		if _, err := s.AddCompletions(t.Context(), batch); err != nil {
			t.Fatal(err)
		}
		late := post
		late.Date = training.NewDate(2026, 11, 2)
		done := make(chan error, 1)
		s.afterStep = func(step string) {
			if step != "staged" {
				return
			}
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			if _, err := s.AddCompletions(ctx, training.CompletionBatch{Completions: []training.Completion{late}}); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("mode limit %d: a post during the import's staging returned %v, want it to wait", limit, err)
			}
			go func() {
				_, err := s.AddCompletions(context.Background(), training.CompletionBatch{Completions: []training.Completion{late}})
				done <- err
			}()
		}
		if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
			t.Fatalf("mode limit %d: import after a post: %v", limit, err)
		}
		s.afterStep = nil
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		rec, err := s.Officer(t.Context(), post.OfficerID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Completions) != 3 {
			t.Errorf("mode limit %d: officer's completions %+v, want the import's and both posts", limit, rec.Completions)
		}
	}
}
