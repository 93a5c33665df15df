package bolt_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// dump reads every bucket and key of a bolt file (nested buckets too)
// into "bucket/path\x00key" -> value digest.
func dump(t *testing.T, path string) map[string][32]byte {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string][32]byte{}
	var walk func(prefix string, b *bbolt.Bucket) error
	walk = func(prefix string, b *bbolt.Bucket) error {
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(prefix+"/"+string(k), b.Bucket(k))
			}
			out[prefix+"\x00"+string(k)] = sha256.Sum256(v)
			return nil
		})
	}
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return walk(string(name), b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCompact: a store that grew and was then pruned shrinks when
// compacted, and holds exactly the same data; while the store is open,
// Compact refuses (ErrLocked).
func TestCompact(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "muster.db")
	st, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cs := demo.Force(1, 2000, 50, training.DateOf(demo.Now()))
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	// Grow, then prune: 2,000 settings of 8 KB, deleted again.
	big := strings.Repeat("x", 8<<10)
	for i := range 2000 {
		if err := st.PutSetting(ctx, fmt.Sprintf("scratch.%d", i), big); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 2000 {
		if err := st.PutSetting(ctx, fmt.Sprintf("scratch.%d", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bolt.Compact(path, bolt.Options{Timeout: 50 * time.Millisecond}); !errors.Is(err, bolt.ErrLocked) {
		t.Fatalf("compact while open: %v, want ErrLocked", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	before := dump(t, path)
	res, err := bolt.Compact(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("compacted %d -> %d bytes", res.Before, res.After)
	if res.After >= res.Before/2 {
		t.Errorf("compacted %d -> %d bytes: want well under half (16 MB of pruned settings)", res.Before, res.After)
	}
	after := dump(t, path)
	if len(after) != len(before) {
		t.Errorf("%d keys after, %d before", len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("key %q differs after compaction", k)
		}
	}
	// The store opens and answers as before.
	st, err = bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if o, err := st.Officer(ctx, cs.Officers[0].ID); err != nil || o.Officer.Name != cs.Officers[0].Name {
		t.Errorf("officer after compaction: %+v, %v", o, err)
	}
}
