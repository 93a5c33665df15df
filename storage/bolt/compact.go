package bolt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/muster-police/muster/training"
)

// compactTxBytes bounds one transaction of the copy, so that compacting a
// large store does not hold it all in one transaction's memory.
const compactTxBytes = 64 << 20

// Compacted says what Compact did.
type Compacted struct {
	Before, After int64 // file sizes in bytes
}

// Compact rewrites the store file at path without its free pages: pruning
// and deletes leave pages free inside the file, which bbolt reuses but
// never gives back. It copies every bucket and key with bbolt.Compact
// (go.etcd.io/bbolt compact.go: a walk of the source, committing the
// copy every txMaxSize bytes) into a new file beside it, syncs that file
// and its directory, and renames it over the old one, so a crash at any
// point leaves either the old file or the new one, whole.
//
// It holds the file's lock throughout (opened read-write), so it fails
// with ErrLocked after opts.Timeout while `muster serve` or another
// command has the store open, and nothing else can open it meanwhile.
func Compact(path string, opts Options) (Compacted, error) {
	var out Compacted
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	fi, err := os.Stat(path)
	if err != nil {
		return out, training.NotFoundf("compact: %v", err)
	}
	out.Before = fi.Size()
	src, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: opts.Timeout, FreelistType: bbolt.FreelistMapType})
	if errors.Is(err, berrors.ErrTimeout) {
		return out, ErrLocked
	}
	if err != nil {
		return out, training.Unavailablef("open store %s: %v", path, err)
	}
	defer src.Close()
	tmp := path + ".compact"
	_ = os.Remove(tmp) // a copy a crash left behind
	done := false
	defer func() {
		if !done {
			_ = os.Remove(tmp)
		}
	}()
	dst, err := bbolt.Open(tmp, 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return out, fmt.Errorf("compact: create %s: %w", tmp, err)
	}
	if err := bbolt.Compact(dst, src, compactTxBytes); err != nil {
		dst.Close()
		return out, fmt.Errorf("compact: copying the store: %w", err)
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return out, fmt.Errorf("compact: %w", err)
	}
	if err := dst.Close(); err != nil {
		return out, fmt.Errorf("compact: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return out, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return out, fmt.Errorf("compact: replacing the store: %w", err)
	}
	done = true
	if err := syncFile(filepath.Dir(path)); err != nil {
		return out, err
	}
	if fi, err := os.Stat(path); err == nil {
		out.After = fi.Size()
	}
	return out, nil
}

// syncFile flushes a file or directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("compact: sync %s: %w", path, err)
	}
	return nil
}
