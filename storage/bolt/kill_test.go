package bolt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
	bbolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// envKillChild names the store file when the test binary runs as the
// process TestKilledApply kills.
const envKillChild = "MUSTER_BOLT_KILLED_APPLY_DB"

var asOf = training.NewDate(2026, 11, 24)

// TestKilledApply kills a process while it commits a large change and
// checks that the store is exactly as it was: bbolt writes the meta page
// that makes a transaction visible only after all its other pages.
func TestKilledApply(t *testing.T) {
	if os.Getenv(envKillChild) != "" {
		t.Skip("running as the helper process")
	}
	path := filepath.Join(t.TempDir(), "muster.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyChanges(t.Context(), demo.Force(1, 2000, 50, asOf)); err != nil {
		t.Fatal(err)
	}
	want, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSize(t, path)

	var out bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledApplyHelper$", "-test.v")
	cmd.Env = append(os.Environ(), envKillChild+"="+path)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// The commit grows the file before it writes the new pages and writes
	// the meta page last: kill as soon as the file grows. inotify wakes
	// this loop on each write to the file (the growth is an ftruncate,
	// which raises IN_MODIFY), so it neither spins nor sleeps past it;
	// the poll timeout only bounds how late a child that exited is seen.
	in, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(in)
	if _, err := unix.InotifyAddWatch(in, path, unix.IN_MODIFY); err != nil {
		t.Fatal(err)
	}
	events := make([]byte, 64<<10)
	for {
		select {
		case err := <-exited:
			t.Fatalf("helper exited before it could be killed (%v):\n%s", err, out.String())
		default:
		}
		if fileSize(t, path) > before {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			break
		}
		if _, err := unix.Poll([]unix.PollFd{{Fd: int32(in), Events: unix.POLLIN}}, 100); err != nil && err != unix.EINTR {
			t.Fatal(err)
		}
		for { // drain: the loop re-reads the size after any number of events
			if _, err := unix.Read(in, events); err != nil {
				break
			}
		}
	}
	<-exited
	if _, err := os.Stat(path + ".applied"); err == nil {
		t.Fatalf("the helper finished its apply before it was killed:\n%s", out.String())
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("consistency check after the kill: %v", err)
	}
	got, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != want.Revision {
		t.Fatalf("revision after a killed apply: %d, want %d", got.Revision, want.Revision)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("dataset changed by a killed apply: %d officers, want %d", len(got.Officers), len(want.Officers))
	}
	imps, err := s.Imports(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 1 {
		t.Fatalf("import log after a killed apply has %d entries, want 1", len(imps))
	}
}

// TestKilledApplyHelper is the process TestKilledApply kills: it applies
// a change far larger than the store, which takes long enough to be
// interrupted.
func TestKilledApplyHelper(t *testing.T) {
	path := os.Getenv(envKillChild)
	if path == "" {
		t.Skip("helper process for TestKilledApply")
	}
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cs := demo.Force(2, 150000, 2000, asOf)
	for i := range cs.Officers {
		cs.Officers[i].Name += " (changed)" // rewrite the officers already stored too
	}
	cs.BaseRevision = 1
	if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".applied", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
