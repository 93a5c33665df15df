package bolt

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	bbolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// ReleasePages gives back the memory that the store's file holds in
// this process and in the page cache: bbolt reads the file through a
// read-only shared map (go.etcd.io/bbolt v1.5.0, bolt_unix.go mmap:
// unix.Mmap(fd, 0, sz, PROT_READ, MAP_SHARED|MmapFlags); every write
// goes through the file, db.ops.writeAt, and is synced at commit), and
// every page a transaction has read stays mapped, counted in RSS, until
// the map is replaced. After a run that has copied the roster into the
// heap, or written 100,000 messages, most of those pages are not needed
// again soon.
//
// madvise(MADV_DONTNEED) over the map drops its page-table entries; for a
// shared file mapping a later access "repopulates the memory contents
// from the up-to-date contents of the underlying mapped file" (madvise(2)),
// so a read transaction that touches a page afterwards only takes a page
// fault. posix_fadvise(POSIX_FADV_DONTNEED) then asks the kernel to drop
// the file's clean, unmapped pages from the page cache, so the memory is
// freed rather than moved from RSS to the cache (dirty pages are kept;
// bbolt syncs each commit, so there are few). The next read of a dropped
// page goes to the disk.
//
// It runs inside a read transaction: bbolt replaces the map (db.mmap,
// under mmaplock.Lock) only when no read transaction is open, so the
// address range is the current map for the whole call. The range is
// taken from /proc/self/maps (the mapping that starts at db.Info().Data,
// read-only and shared); if none matches, nothing is released.
func (s *Store) ReleasePages() error {
	return s.view(func(tx *bbolt.Tx) error {
		start := s.db.Info().Data
		size, err := sharedMapSize(start)
		if err != nil {
			return err
		}
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, start, size, unix.MADV_DONTNEED); errno != 0 {
			return fmt.Errorf("madvise: %w", errno)
		}
		f, err := os.Open(s.db.Path())
		if err != nil {
			return err
		}
		defer f.Close()
		if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
			return fmt.Errorf("fadvise: %w", err)
		}
		return nil
	})
}

// sharedMapSize returns the length of this process's read-only shared
// mapping that starts at addr, from /proc/self/maps.
func sharedMapSize(addr uintptr) (uintptr, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "7f0c1c000000-7f0c5c000000 r--s 00000000 fd:01 1234 /data/muster.db"
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		from, to, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(from, 16, 64)
		hi, err2 := strconv.ParseUint(to, 16, 64)
		if err1 != nil || err2 != nil || uintptr(lo) != addr {
			continue
		}
		if perms := fields[1]; len(perms) != 4 || perms[1] != '-' || perms[3] != 's' {
			return 0, fmt.Errorf("the store's map at %#x is %s, not read-only and shared", addr, perms)
		}
		return uintptr(hi - lo), nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no mapping at %#x in /proc/self/maps", addr)
}
