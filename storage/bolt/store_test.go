package bolt

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/muster-police/muster/storage/storagetest"
	"github.com/muster-police/muster/training"
)

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "muster.db"), Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) training.Store { return openTemp(t) })
}

// A process killed while running a job leaves its lock and an unfinished
// run in the file; the next process to open the file (bbolt lets only
// one have it) releases the lock at once and marks the run interrupted.
func TestOpenReleasesLocksAndClosesRunsOfADeadProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "muster.db")
	ctx := context.Background()
	now := time.Now()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.AcquireLock(ctx, "job:sender", "dead-process", time.Hour, now); err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	if err := s.PutJobRun(ctx, training.JobRun{ID: "r1", Job: "sender", Started: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutJobRun(ctx, training.JobRun{ID: "r0", Job: "sender", Started: now.Add(-time.Hour), Finished: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	s.Close() // as a kill would: nothing released

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ok, err := s.AcquireLock(ctx, "job:sender", "new-process", time.Minute, now); err != nil || !ok {
		t.Errorf("the dead process's lock still holds: %v %v", ok, err)
	}
	runs, err := s.JobRuns(ctx, "sender", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		switch r.ID {
		case "r1":
			if r.Finished.IsZero() || !strings.Contains(r.Error, "interrupted") {
				t.Errorf("unfinished run after reopening: %+v", r)
			}
		case "r0":
			if r.Error != "" {
				t.Errorf("finished run changed: %+v", r)
			}
		}
	}
}

// TestConformanceLegacy reads officers stored in the format before issue
// 17's fields.
func TestConformanceLegacy(t *testing.T) {
	storagetest.RunLegacy(t, func(t *testing.T) training.Store { return openTemp(t) }, storagetest.Legacy{
		PutOfficerV1: func(t *testing.T, s training.Store, o training.Officer) {
			err := s.(*Store).db.Update(func(tx *bbolt.Tx) error {
				return tx.Bucket(bOfficers).Put([]byte(o.ID), encodeOfficerV1(o))
			})
			if err != nil {
				t.Fatal(err)
			}
		},
	})
}
