package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

func TestLoadOnlyIntoAnEmptyStore(t *testing.T) {
	ctx := context.Background()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	today := training.DateFrom(2026, 11, 24)
	n, err := demo.Load(ctx, st, today)
	if err != nil || n != demo.DemoOfficers {
		t.Fatalf("Load = %d, %v", n, err)
	}
	snaps, err := st.DailySnapshots(ctx, today.AddDays(-400), today)
	if err != nil || len(snaps) != demo.DemoTrendWeeks+1 {
		t.Fatalf("trend snapshots = %d, %v; want %d", len(snaps), err, demo.DemoTrendWeeks+1)
	}
	if _, err := demo.Load(ctx, st, today); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second Load = %v, want ErrNotEmpty", err)
	}
}
