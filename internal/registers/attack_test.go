package registers_test

import (
	"context"
	"errors"
	"testing"

	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/training"
)

// countingStore counts the full Dataset reads of the store.
type countingStore struct {
	training.Store
	reads int
}

func (c *countingStore) Dataset(ctx context.Context) (*training.Dataset, error) {
	c.reads++
	return c.Store.Dataset(ctx)
}

// TestAttackUnconfirmedSaveReadsNoDataset: a save that is not confirmed
// writes nothing, so it must not cost a read of the whole roster from the
// store (on Redis, every officer and completion): a trainer's script
// looping on POST /api/v1/registers without confirm would otherwise make
// each request as dear as an import. It is checked against the cached
// roster the preview uses; only a confirmed save reads the store.
func TestAttackUnconfirmedSaveReadsNoDataset(t *testing.T) {
	svc, st, _ := setup(t)
	ctx := context.Background()
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs := &countingStore{Store: st}
	svc.Store = cs
	svc.Data = func(context.Context) (*training.Dataset, error) { return ds, nil }
	in := training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: "Room 4", IDs: "A1"}
	for range 3 {
		if _, err := svc.Save(ctx, tina, in, false); !errors.Is(err, registers.ErrNotConfirmed) {
			t.Fatalf("unconfirmed save: %v", err)
		}
	}
	if _, err := svc.Save(ctx, tina, training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: "", IDs: "A1"}, false); training.FieldOf(err) != "place" {
		t.Errorf("an unconfirmed save with no place: %v, want the field error first", err)
	}
	if cs.reads != 0 {
		t.Errorf("unconfirmed saves read the whole roster from the store %d times", cs.reads)
	}
	if _, err := svc.Save(ctx, tina, in, true); err != nil {
		t.Fatal(err)
	}
	if cs.reads != 1 {
		t.Errorf("a confirmed save read the store %d times, want 1 (planned at the store's revision)", cs.reads)
	}
}
