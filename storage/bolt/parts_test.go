package bolt

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// TestApplyChangePartsLargeParts: parts large enough to be encoded on
// several goroutines (encodeAll) store what one ApplyChanges of the same
// change set stores, record for record, also when an officer's
// completions come in two parts.
func TestApplyChangePartsLargeParts(t *testing.T) {
	ctx := context.Background()
	cs := demo.Force(1, 3000, 40, asOf)
	if len(cs.Officers) < 4*encodeMinPerWorker || len(cs.Completions) < 4*encodeMinPerWorker {
		t.Fatalf("the demo force is too small to be encoded in parallel: %d officers, %d completions", len(cs.Officers), len(cs.Completions))
	}
	open := func() *Store {
		s, err := Open(filepath.Join(t.TempDir(), "muster.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	whole := open()
	if _, err := whole.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	parted := open()
	head := cs
	head.Officers, head.Completions = nil, nil
	half := len(cs.Completions) / 2
	_, err := parted.ApplyChangeParts(ctx, head, func(put func(training.ChangeSet) error) error {
		for _, p := range []training.ChangeSet{{Officers: cs.Officers}, {Completions: cs.Completions[:half]},
			{Completions: cs.Completions[half:]}} {
			if err := put(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := whole.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parted.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Officers) != len(cs.Officers) || !reflect.DeepEqual(got.Officers, want.Officers) {
		t.Errorf("officers differ: %d stored in parts, %d at once", len(got.Officers), len(want.Officers))
	}
	if !reflect.DeepEqual(got.Completions, want.Completions) {
		t.Errorf("completions differ: %d officers' stored in parts, %d at once", len(got.Completions), len(want.Completions))
	}
}
