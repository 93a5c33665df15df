package bolt

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
	"golang.org/x/sys/unix"
)

// TestReleasePages: after a full read of the roster its pages are mapped
// (RSS) and in the page cache; ReleasePages drops them from both, and
// the store reads the same roster afterwards, also while other readers
// run and pages are released under them.
func TestReleasePages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "muster.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ApplyChanges(t.Context(), demo.Force(1, 5000, 100, training.NewDate(2026, 11, 24))); err != nil {
		t.Fatal(err)
	}
	want, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mapped, cached := mappedKB(t, s), cachedKB(t, path)
	if mapped < 1024 || cached < 1024 {
		t.Fatalf("before: %d kB of the file mapped, %d kB cached; want the roster's pages (over 1 MiB) in both", mapped, cached)
	}
	if err := s.ReleasePages(); err != nil {
		t.Fatal(err)
	}
	if after := mappedKB(t, s); after > mapped/10 {
		t.Errorf("after ReleasePages %d kB of the file are still mapped (before: %d kB)", after, mapped)
	}
	var fs unix.Statfs_t
	if err := unix.Statfs(path, &fs); err != nil {
		t.Fatal(err)
	}
	if fs.Type == unix.TMPFS_MAGIC {
		t.Log("the file is on tmpfs, where the page cache is the file: not checking the cache")
	} else if after := cachedKB(t, path); after > cached/10 {
		t.Errorf("after ReleasePages %d kB of the file are still in the page cache (before: %d kB)", after, cached)
	}

	// Readers fault the pages back in, also while they are released, and
	// a writer's commits land meanwhile.
	var wg sync.WaitGroup
	const runs = 200
	wg.Go(func() {
		for i := range runs {
			at := time.Date(2026, 11, 24, 9, 0, i, 0, time.UTC)
			if err := s.PutJobRun(t.Context(), training.JobRun{ID: fmt.Sprintf("run-%03d", i), Job: "reminders", Started: at, Finished: at}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			for range 3 {
				got, err := s.Dataset(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(got, want) {
					t.Error("the roster read after ReleasePages differs from the one read before")
					return
				}
			}
		})
	}
	for range 20 {
		if err := s.ReleasePages(); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	if got, err := s.JobRuns(t.Context(), "reminders", 0); err != nil || len(got) != runs {
		t.Errorf("%d job runs written while the pages were released, %d read back (%v)", runs, len(got), err)
	}
}

// mappedKB is how much of the store's map is resident in this process
// (Rss of its entry in /proc/self/smaps).
func mappedKB(t *testing.T, s *Store) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start := strconv.FormatUint(uint64(s.db.Info().Data), 16)
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if from, _, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(line, ":") && !strings.Contains(from, ":") {
			in = strings.TrimLeft(from, "0") == start
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			kb, err := strconv.Atoi(strings.Fields(line)[1])
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no entry for the store's map at %s in /proc/self/smaps", start)
	return 0
}

// cachedKB is how much of the file is in the page cache (mincore(2) on
// a map of its own, which does not read the file).
func cachedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(b)
	page := os.Getpagesize()
	vec := make([]byte, (len(b)+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n * page / 1024
}
