package bolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
	bbolt "go.etcd.io/bbolt"
)

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "muster.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = Open(path, Options{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) || !errors.Is(err, training.ErrUnavailable) {
		t.Fatalf("second Open: got %v, want ErrLocked wrapping ErrUnavailable", err)
	}
	if want := "another muster process has the data directory open (is `muster serve` running?)"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after the first store closed: %v", err)
	}
	s2.Close()
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "muster.db")
	s, err := Open(path, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	cs := demo.Force(1, 200, 10, training.NewDate(2026, 11, 24))
	if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
		t.Fatal(err)
	}
	courses := []training.Course{{ID: "first-aid", Title: "First aid"}}
	if err := s.PutCourses(t.Context(), courses); err != nil {
		t.Fatal(err)
	}
	want, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = s.Revision(t.Context())
	if !errors.Is(err, training.ErrUnavailable) {
		t.Fatalf("Revision on a closed store: got %v, want ErrUnavailable", err)
	}

	s, err = Open(path, Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("dataset differs after reopening")
	}
	if len(got.Courses) != 3 || got.Revision != 2 {
		t.Fatalf("after reopening: %d courses at revision %d, want 3 at 2", len(got.Courses), got.Revision)
	}
}

func TestBackup(t *testing.T) {
	s := openTemp(t)
	cs := demo.Force(2, 500, 20, training.NewDate(2026, 11, 24))
	if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(t.Context(), training.User{Username: "admin", Role: training.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := s.Backup(t.Context(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "restored.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("restored dataset differs")
	}
	if _, err := r.User(t.Context(), "admin"); err != nil {
		t.Fatalf("restored user: %v", err)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Backup(ctx, &buf); !errors.Is(err, context.Canceled) {
		t.Fatalf("Backup with a cancelled context: %v", err)
	}
}

func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(garbage, Options{}); !errors.Is(err, training.ErrUnavailable) {
		t.Fatalf("Open of a file that is not a store: %v, want ErrUnavailable", err)
	}

	// A file written by a later layout must not be read (or changed).
	future := filepath.Join(dir, "future.db")
	s, err := Open(future, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bMeta).Put(keySchema, u64(schemaVersion+1)) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(future, Options{}); !errors.Is(err, training.ErrUnavailable) {
		t.Fatalf("Open of a newer layout: %v, want ErrUnavailable", err)
	}
}

// TestBackupWhileWriting takes backups while changes are applied: each
// copy must be a whole store at one revision (as many officers as
// changes applied) that passes bbolt's consistency check.
func TestBackupWhileWriting(t *testing.T) {
	s := openTemp(t)
	const changes = 30
	done := make(chan error, 1)
	go func() {
		for i := range changes {
			cs := demo.Force(int64(i), 1, 1, asOf) // one officer per change
			cs.Officers[0].ID = fmt.Sprint(i + 1)
			cs.Completions, cs.Exemptions = nil, nil
			cs.BaseRevision = int64(i)
			if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	dir := t.TempDir()
	for i := range 10 {
		var buf bytes.Buffer
		if _, err := s.Backup(t.Context(), &buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		err = r.db.View(func(tx *bbolt.Tx) error {
			for err := range tx.Check() {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		ds, err := r.Dataset(t.Context())
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(ds.Officers)) != ds.Revision {
			t.Fatalf("backup %d: %d officers at revision %d", i, len(ds.Officers), ds.Revision)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
