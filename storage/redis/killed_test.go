package redis

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/training"
)

// killedApplyEnv makes the re-executed test binary run killedApplyHelper
// with "URL PREFIX" instead of the tests.
const killedApplyEnv = "MUSTER_REDIS_KILLED_APPLY"

// killedApplyHelper starts a large import and, after the third staged
// chunk, says STAGING and waits to be killed.
func killedApplyHelper() {
	url, prefix, _ := strings.Cut(os.Getenv(killedApplyEnv), " ")
	ctx := context.Background()
	s, err := Open(ctx, url, Options{Prefix: prefix})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	var chunks atomic.Int32 // parts are staged concurrently
	s.afterStep = func(step string) {
		if step == "chunk" {
			if chunks.Add(1) == 3 {
				fmt.Println("STAGING")
				select {} // killed here
			}
		}
	}
	s.chunk = 100
	cs := bigChange(1, 20000)
	_, err = s.ApplyChanges(ctx, cs)
	fmt.Println("ERROR apply finished:", err)
	os.Exit(2)
}

// bigChange is n officers with one completion each, based on revision base.
func bigChange(base int64, n int) training.ChangeSet {
	cs := training.ChangeSet{BaseRevision: base, Import: training.ImportRecord{ID: fmt.Sprintf("big-%d", base),
		Kind: training.ImportFull, FileHash: fmt.Sprintf("hash-big-%d", base), At: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Outcome: training.OutcomeApplied}}
	for i := range n {
		id := fmt.Sprint(500000 + i)
		cs.Officers = append(cs.Officers, training.Officer{ID: id, DisplayID: id, Name: "Officer " + id, Unit: "Force / Area / Team"})
		cs.Completions = append(cs.Completions, training.Completion{OfficerID: id, CourseID: "cse-recognition", Date: training.NewDate(2025, 1, 1+i%28)})
	}
	return cs
}

// TestKilledApply kills a process in the middle of staging an import and
// checks that nothing of it is visible, that its staging is removed by
// the next Open or the next import once its lock has lapsed, and that
// imports work again.
func TestKilledApply(t *testing.T) {
	for _, cleaner := range []string{"open", "next import"} {
		t.Run(cleaner, func(t *testing.T) { testKilledApply(t, cleaner) })
	}
}

func testKilledApply(t *testing.T, cleaner string) {
	type target struct {
		name      string
		url       func(t *testing.T) string
		lapseLock func(t *testing.T, s *Store) // what 30 s of waiting would do
	}
	var mini *miniredis.Miniredis
	targets := []target{
		{"miniredis", func(t *testing.T) string {
			mini = miniredis.RunT(t)
			return "redis://" + mini.Addr()
		}, func(t *testing.T, s *Store) { mini.FastForward(s.applyTTL + time.Second) }},
		{"redis-server", func(t *testing.T) string { return singleURL(t) }, func(t *testing.T, s *Store) {
			if err := s.rdb.PExpire(t.Context(), s.keys.applyLock, time.Millisecond).Err(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond) // let the key lapse
		}},
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			url, prefix := tg.url(t), nextPrefix()
			s := openTest(t, url, prefix)
			first := bigChange(0, 10)
			if _, err := s.ApplyChanges(t.Context(), first); err != nil {
				t.Fatal(err)
			}
			before, err := s.Dataset(t.Context())
			if err != nil {
				t.Fatal(err)
			}

			// The helper's commands still in flight when it is killed are
			// run by the server before it sees the connection close: wait
			// for that (the client count back to this test's), or a late
			// HSET could re-create a staging hash after the clean-up.
			clientsBefore := connectedClients(t, s)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), killedApplyEnv+"="+url+" "+prefix)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stderr = t.Output()
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			line, _ := bufio.NewReader(out).ReadString('\n')
			if strings.TrimSpace(line) != "STAGING" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper said %q, want STAGING", line)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			for deadline := time.Now().Add(10 * time.Second); connectedClients(t, s) > clientsBefore; {
				if time.Now().After(deadline) {
					t.Fatalf("the killed helper's connections are still open after 10s (%d clients, %d before)", connectedClients(t, s), clientsBefore)
				}
				time.Sleep(5 * time.Millisecond)
			}

			// Staging exists (the kill really happened mid-apply) ...
			tokens, err := s.rdb.SMembers(t.Context(), s.keys.stages).Result()
			if err != nil || len(tokens) != 1 {
				t.Fatalf("staging tokens: %v, %v; want one", tokens, err)
			}
			stOff, stComp, stEx := s.keys.stage(tokens[0])
			if n, _ := s.rdb.Exists(t.Context(), stOff, stComp, stEx).Result(); n == 0 {
				t.Fatal("nothing staged: the helper was not killed mid-staging")
			}
			// ... but nothing is visible.
			after, err := s.Dataset(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if after.Revision != before.Revision || len(after.Officers) != len(before.Officers) || len(after.Completions) != len(before.Completions) {
				t.Fatalf("after the killed import: revision %d, %d officers; want %d, %d", after.Revision, len(after.Officers), before.Revision, len(before.Officers))
			}
			if _, err := s.Import(t.Context(), "big-1"); err == nil {
				t.Fatal("the killed import is in the log")
			}
			// While its lock holds, a new import is refused as a conflict.
			if _, err := s.ApplyChanges(t.Context(), bigChange(1, 5)); err == nil {
				t.Fatal("an import while the dead one's lock holds succeeded")
			}

			tg.lapseLock(t, s)
			s2 := s
			if cleaner == "open" {
				s2 = openTest(t, url, prefix) // start-up cleans up
			} else if _, err := s.ApplyChanges(t.Context(), bigChange(1, 5)); err != nil {
				t.Fatal(err)
			}
			left, err := s2.rdb.SMembers(t.Context(), s2.keys.stages).Result()
			if err != nil || len(left) != 0 {
				t.Fatalf("staging tokens after %s: %v, %v", cleaner, left, err)
			}
			if n, err := s2.rdb.Exists(t.Context(), stOff, stComp, stEx).Result(); err != nil || n != 0 {
				t.Fatalf("%d staging hashes still exist after %s (%v)", n, cleaner, err)
			}
			rev, err := s2.Revision(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s2.ApplyChanges(t.Context(), bigChange(rev, 50)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// connectedClients is the server's connected_clients (INFO clients).
func connectedClients(t *testing.T, s *Store) int {
	t.Helper()
	info, err := s.rdb.Info(t.Context(), "clients").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "connected_clients:"); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no connected_clients in INFO clients:\n%s", info)
	return 0
}
