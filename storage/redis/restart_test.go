package redis

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// TestRedisRestart stops the Redis server under an open store, checks
// that every kind of operation fails fast with ErrUnavailable and a plain
// message (no password), then starts it again and checks that the same
// store works without being reopened and that the data survived (AOF).
func TestRedisRestart(t *testing.T) {
	const pw = "restart-s3cret"
	r := startRedis(t, "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--requirepass", pw)
	s := openTest(t, "redis://:"+pw+"@"+r.Addr()+"/0", "")
	cs := bigChange(0, 100)
	if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
		t.Fatal(err)
	}

	r.Stop()
	ops := map[string]func(ctx context.Context) error{
		"Ping":     s.Ping,
		"Revision": func(ctx context.Context) error { _, err := s.Revision(ctx); return err },
		"Dataset":  func(ctx context.Context) error { _, err := s.Dataset(ctx); return err },
		"Officer":  func(ctx context.Context) error { _, err := s.Officer(ctx, "500001"); return err },
		"ApplyChanges": func(ctx context.Context) error {
			_, err := s.ApplyChanges(ctx, bigChange(1, 10))
			return err
		},
		"Enqueue": func(ctx context.Context) error {
			_, err := s.Enqueue(ctx, []training.Message{{ID: "m1", LedgerKeys: []string{"k"}}})
			return err
		},
		"AcquireLock": func(ctx context.Context) error {
			_, err := s.AcquireLock(ctx, "job", "me", time.Minute, time.Now())
			return err
		},
		"Session": func(ctx context.Context) error { _, err := s.Session(ctx, "h", time.Now()); return err },
	}
	for name, op := range ops {
		err := op(t.Context())
		if !errors.Is(err, training.ErrUnavailable) {
			t.Fatalf("%s with Redis down: got %v, want ErrUnavailable", name, err)
		}
		want := "the Redis store at " + r.Addr() + " is not answering"
		if err.Error() != want {
			t.Fatalf("%s: message %q, want %q", name, err, want)
		}
		if strings.Contains(err.Error(), pw) {
			t.Fatalf("%s: message shows the password", name)
		}
	}

	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	for name, op := range ops {
		if name == "ApplyChanges" || name == "Session" || name == "Officer" {
			continue // checked below with their expected results
		}
		if err := op(t.Context()); err != nil {
			t.Fatalf("%s after restart: %v", name, err)
		}
	}
	ds, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if ds.Revision != 1 || len(ds.Officers) != 100 {
		t.Fatalf("after restart: revision %d with %d officers, want 1 and 100", ds.Revision, len(ds.Officers))
	}
	if _, err := s.ApplyChanges(t.Context(), bigChange(1, 10)); err != nil {
		t.Fatalf("ApplyChanges after restart: %v", err)
	}
}

// TestRedisHung freezes the Redis process (SIGSTOP): a server that
// accepts nothing and answers nothing. Operations must fail within the
// read timeout rather than hang, and recover when it resumes.
func TestRedisHung(t *testing.T) {
	r := startRedis(t, "--save", "", "--appendonly", "no")
	s := openTest(t, "redis://"+r.Addr()+"?read_timeout=300ms&write_timeout=300ms&dial_timeout=300ms", "")
	if _, err := s.Revision(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := r.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	_, err := s.Revision(t.Context())
	r.Signal(syscall.SIGCONT)
	if !errors.Is(err, training.ErrUnavailable) {
		t.Fatalf("Revision with Redis frozen: got %v, want ErrUnavailable", err)
	}
	var rev int64
	for range 50 { // the frozen connection is discarded; the next one works
		if rev, err = s.Revision(t.Context()); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || rev != 0 {
		t.Fatalf("Revision after resume: %d, %v", rev, err)
	}
}

// TestOpenUnavailable checks that Open reports a Redis that is not there
// as unavailable, without the password.
func TestOpenUnavailable(t *testing.T) {
	port, err := redistest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), "redis://:pw-not-shown@127.0.0.1:"+strconv.Itoa(port), Options{})
	if !errors.Is(err, training.ErrUnavailable) || strings.Contains(err.Error(), "pw-not-shown") {
		t.Fatalf("Open of a missing Redis: %v", err)
	}
}
