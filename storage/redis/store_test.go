package redis

import (
	"log/slog"
	"reflect"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/storage/storagetest"
	"github.com/muster-police/muster/training"
)

// testLogger writes the store's log lines to the test's output.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// openTest opens a store on url and closes it when the test ends.
func openTest(t testing.TB, url, prefix string) *Store {
	t.Helper()
	s, err := Open(t.Context(), url, Options{Prefix: prefix, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// miniURL starts an in-process Redis for the conformance suite. Its Lua
// runs interpreted inside the test binary, which -race slows about tenfold:
// the LargeApply script then outlasts the 400 ms default read timeout meant
// for a real server, so the suite's URL allows 30 s.
func miniURL(t *testing.T) string {
	return "redis://" + miniredis.RunT(t).Addr() + "?read_timeout=30s"
}

// TestStoreMiniredis runs the conformance suite against an in-process
// Redis, so that a plain `go test ./...` covers this backend anywhere.
func TestStoreMiniredis(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) training.Store {
		return openTest(t, miniURL(t), "")
	})
}

// TestStoreRedis runs the conformance suite against a real redis-server.
func TestStoreRedis(t *testing.T) {
	url := singleURL(t)
	storagetest.Run(t, func(t *testing.T) training.Store {
		return openTest(t, url, nextPrefix())
	})
}

// TestStoreCluster runs the conformance suite against a real 3-master
// Redis Cluster.
func TestStoreCluster(t *testing.T) {
	url := clusterURL(t)
	storagetest.Run(t, func(t *testing.T) training.Store {
		return openTest(t, url, nextPrefix())
	})
}

// TestStoreApplyModes runs the suite with every change applied by
// replacing whole hashes (a full copy staged, renamed by Lua), and with
// every change merged field by field in Lua, so both paths of the apply
// script meet every rule.
func TestStoreApplyModes(t *testing.T) {
	for name, limit := range map[string]int{"replace": 0, "merge": 1 << 30} {
		t.Run(name, func(t *testing.T) {
			storagetest.Run(t, func(t *testing.T) training.Store {
				s := openTest(t, miniURL(t), "")
				s.mergeLimit = limit
				return s
			})
		})
	}
}

// TestDatasetInOneTransaction checks the MULTI read that Dataset falls
// back to when imports keep landing while it scans: same result as the scan.
func TestDatasetInOneTransaction(t *testing.T) {
	m := miniredis.RunT(t)
	s := openTest(t, "redis://"+m.Addr(), "")
	cs := bigChange(0, 300)
	cs.Exemptions = []training.Exemption{{OfficerID: "500001", CourseID: "cse-recognition", Reason: "x"}}
	if _, err := s.ApplyChanges(t.Context(), cs); err != nil {
		t.Fatal(err)
	}
	scanned, err := s.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.readRosterTx(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(tx, scanned) {
		t.Fatalf("MULTI read differs from the scan: revision %d vs %d, %d vs %d officers", tx.Revision, scanned.Revision, len(tx.Officers), len(scanned.Officers))
	}
}

// TestStoreLegacy reads officers stored in the format before issue 17's
// fields.
func TestStoreLegacy(t *testing.T) {
	storagetest.RunLegacy(t, func(t *testing.T) training.Store { return openTest(t, miniURL(t), "") }, storagetest.Legacy{
		PutOfficerV1: func(t *testing.T, s training.Store, o training.Officer) {
			rs := s.(*Store)
			if err := rs.rdb.HSet(t.Context(), rs.keys.officers, o.ID, encodeOfficerV1(o)).Err(); err != nil {
				t.Fatal(err)
			}
		},
	})
}
