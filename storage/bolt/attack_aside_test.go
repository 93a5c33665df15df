package bolt

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// asideParts yields n parts of officers, each with the same officer
// "SAME" last (named after its part), more parts than the officers'
// goroutine queues (asideQueue), then fails with fail if it is set.
func asideParts(n int, fail func(i int) error) training.ChangeParts {
	return func(put func(training.ChangeSet) error) error {
		for i := range n {
			if fail != nil {
				if err := fail(i); err != nil {
					return err
				}
			}
			os := []training.Officer{
				{ID: fmt.Sprintf("P%03d", i), Name: "Part officer"},
				{ID: "SAME", Name: fmt.Sprintf("from part %d", i)},
			}
			if err := put(training.ChangeSet{Officers: os}); err != nil {
				return err
			}
		}
		return nil
	}
}

// settledGoroutines waits (without a deadline of its own: the test's
// timeout is the bound) for the goroutine count to fall to want.
func settledGoroutines(t *testing.T, want int) {
	t.Helper()
	for i := 0; ; i++ {
		got := runtime.NumGoroutine()
		if got <= want {
			return
		}
		if i == 200 {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, %d before the change: one was left behind\n%s", got, want, buf)
		}
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// TestApplyChangePartsAsideFailures: on every way a change in parts can
// fail (parts' own error midway, an invalid part, ctx cancelled between
// parts, a panic inside parts), ApplyChangeParts neither deadlocks nor
// leaves the officers' goroutine behind, and nothing is written.
func TestApplyChangePartsAsideFailures(t *testing.T) {
	s := openTemp(t)
	boom := errors.New("boom")
	cases := []struct {
		name  string
		parts func(cancel context.CancelFunc) training.ChangeParts
		want  func(error) bool
	}{
		{"parts error midway", func(context.CancelFunc) training.ChangeParts {
			return asideParts(30, func(i int) error {
				if i == 20 {
					return boom
				}
				return nil
			})
		}, func(err error) bool { return errors.Is(err, boom) }},
		{"invalid part", func(context.CancelFunc) training.ChangeParts {
			ok := asideParts(20, nil)
			return func(put func(training.ChangeSet) error) error {
				if err := ok(put); err != nil {
					return err
				}
				return put(training.ChangeSet{Officers: []training.Officer{{Name: "no ID"}}})
			}
		}, func(err error) bool { return errors.Is(err, training.ErrInvalid) }},
		{"ctx cancelled between parts", func(cancel context.CancelFunc) training.ChangeParts {
			return asideParts(30, func(i int) error {
				if i == 15 {
					cancel()
				}
				return nil
			})
		}, func(err error) bool { return errors.Is(err, context.Canceled) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			head := training.ChangeSet{Import: training.ImportRecord{ID: "imp-" + c.name},
				Officers: []training.Officer{{ID: "SAME", Name: "from head"}}}
			_, err := s.ApplyChangeParts(ctx, head, c.parts(cancel))
			if err == nil || !c.want(err) {
				t.Fatalf("ApplyChangeParts: %v", err)
			}
			if _, err := s.Officer(context.Background(), "SAME"); !errors.Is(err, training.ErrNotFound) {
				t.Fatalf("a failed change wrote its officers: %v", err)
			}
			settledGoroutines(t, before)
		})
	}
	t.Run("panic inside parts", func(t *testing.T) {
		before := runtime.NumGoroutine()
		head := training.ChangeSet{Import: training.ImportRecord{ID: "imp-panic"},
			Officers: []training.Officer{{ID: "SAME", Name: "from head"}}}
		func() {
			defer func() {
				if r := recover(); r != "parts panicked" {
					t.Fatalf("recovered %v, want the parts' own panic", r)
				}
			}()
			s.ApplyChangeParts(context.Background(), head, asideParts(30, func(i int) error {
				if i == 25 {
					panic("parts panicked")
				}
				return nil
			}))
		}()
		settledGoroutines(t, before)
		// The store still writes (the transaction was let go).
		head.Import.ID = "imp-after-panic"
		if _, err := s.ApplyChangeParts(context.Background(), head, asideParts(3, nil)); err != nil {
			t.Fatalf("after a panic: %v", err)
		}
	})
}

// TestApplyChangePartsAsideLastWins: the same officer in head and in more
// parts than the officers' goroutine queues ends as the last part's, and
// every part's other officer is written.
func TestApplyChangePartsAsideLastWins(t *testing.T) {
	s := openTemp(t)
	before := runtime.NumGoroutine()
	head := training.ChangeSet{Import: training.ImportRecord{ID: "imp-1"},
		Officers: []training.Officer{{ID: "SAME", Name: "from head"}}}
	const n = 5*asideQueue + 3
	if _, err := s.ApplyChangeParts(context.Background(), head, asideParts(n, nil)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Officer(context.Background(), "SAME")
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("from part %d", n-1); got.Officer.Name != want {
		t.Fatalf("SAME is %q, want %q", got.Officer.Name, want)
	}
	for i := range n {
		if _, err := s.Officer(context.Background(), fmt.Sprintf("P%03d", i)); err != nil {
			t.Fatalf("P%03d: %v", i, err)
		}
	}
	settledGoroutines(t, before)
}

// TestApplyChangePartsAsideSlabRecords: officers written through parts
// across several of the slab's buffers, some longer than officerSize
// (extensions, many RequiredSince courses), read back as they were given.
func TestApplyChangePartsAsideSlabRecords(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var all []training.Officer
	for i := range 9000 {
		o := training.Officer{ID: fmt.Sprintf("ID%05d", i), Name: fmt.Sprintf("Officer %d of a long enough name", i),
			Email: fmt.Sprintf("p%d@force.example", i), Unit: "North / Alpha / Team 1", Rank: "PC"}
		if i%97 == 3 {
			o.Extensions = map[string]training.Extension{}
			for c := range 15 {
				o.Extensions[fmt.Sprintf("course-%02d", c)] = training.Extension{Until: training.DateOf(at),
					By: "Sam Sergeant, Inspector", RequestID: fmt.Sprintf("req-%d-%d", i, c), At: at}
			}
		}
		if i%89 == 5 {
			o.RequiredSince = map[string]training.Date{}
			for c := range 40 {
				o.RequiredSince[fmt.Sprintf("course-%02d", c)] = training.DateOf(at)
			}
		}
		all = append(all, o)
	}
	parts := func(put func(training.ChangeSet) error) error {
		for i := 0; i < len(all); i += 250 {
			if err := put(training.ChangeSet{Officers: all[i:min(i+250, len(all))]}); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := s.ApplyChangeParts(context.Background(), training.ChangeSet{Import: training.ImportRecord{ID: "imp-slab"}}, parts); err != nil {
		t.Fatal(err)
	}
	for _, want := range all {
		got, err := s.Officer(context.Background(), want.ID)
		if err != nil {
			t.Fatalf("%s: %v", want.ID, err)
		}
		if !reflect.DeepEqual(got.Officer, want) {
			t.Fatalf("%s reads back as\n%+v\nwant\n%+v", want.ID, got.Officer, want)
		}
	}
}
