package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var contextTests = []test{
	{"CancelledContext", testCancelledContext},
}

// testCancelledContext checks that a request whose caller has gone away
// is not carried out: reads fail and writes change nothing.
func testCancelledContext(t *testing.T, s training.Store) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	calls := map[string]func() error{
		"Dataset": func() error { _, err := s.Dataset(c); return err },
		"ApplyChanges": func() error {
			_, err := s.ApplyChanges(c, training.ChangeSet{Import: importRec("imp-1", 0), Officers: []training.Officer{officer("1", "N")}})
			return err
		},
		"PutCourses":    func() error { return s.PutCourses(c, []training.Course{{ID: "x", Title: "X"}}) },
		"CreateUser":    func() error { return s.CreateUser(c, user("amir", training.RoleAdmin)) },
		"Enqueue":       func() error { _, err := s.Enqueue(c, []training.Message{message("m1", 0, "k")}); return err },
		"LedgerHasKeys": func() error { _, err := s.LedgerHasKeys(c, []string{"k"}); return err },
		"PutPreview":    func() error { return s.PutPreview(c, preview("imp-1", []byte("a")), noQuota) },
		"UseOnce":       func() error { return s.UseOnce(c, "k", t0.Add(time.Minute), t0) },
		"WithdrawImport": func() error {
			_, err := s.WithdrawImport(c, training.Withdrawal{Record: importRec("imp-1", 0)})
			return err
		},
		"AcquireLock": func() error {
			_, err := s.AcquireLock(c, "reminders", "a", time.Minute, t0)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: got %v, want context.Canceled", name, err)
		}
	}
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision", rev, int64(0))
	_, err = s.User(ctx(t), "amir")
	wantErr(t, "user created with a cancelled context", err, training.ErrNotFound)
	has, err := s.LedgerHas(ctx(t), "k")
	check(t, err)
	equal(t, "ledger key of a cancelled enqueue", has, false)
}
