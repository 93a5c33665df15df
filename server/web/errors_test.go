package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/muster-police/muster/training"
)

// A full disk reads as such, whichever way the store reports it, and
// never as "something went wrong".
func TestClassifyDiskFull(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("commit: %w", &os.PathError{Op: "write", Path: "/data/muster.db", Err: syscall.ENOSPC}),
		errors.New("file sync error: sync /data/muster.db: no space left on device"), // bbolt's %s
		training.Unavailablef("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk"),
	} {
		status, code, msg, _ := Classify(err)
		if status != http.StatusInsufficientStorage || code != "disk_full" || msg != "The server's disk is full; nothing was changed." {
			t.Errorf("%v: %d %s %q", err, status, code, msg)
		}
	}
	if status, _, _, _ := Classify(errors.New("boom")); status != http.StatusInternalServerError {
		t.Errorf("other error: %d", status)
	}
}
