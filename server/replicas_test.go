package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// TestPreviewAcrossReplicas runs two servers on one store, as replicas
// behind a load balancer: a dry run previewed on one is confirmed on the
// other, on every backend.
func TestPreviewAcrossReplicas(t *testing.T) {
	stores := map[string]func(t *testing.T) training.Store{
		"bolt": func(t *testing.T) training.Store {
			st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st
		},
		"miniredis": func(t *testing.T) training.Store {
			return openRedis(t, "redis://"+miniredis.RunT(t).Addr())
		},
		"redis": func(t *testing.T) training.Store {
			return openRedis(t, "redis://"+redistest.Start(t, "--save", "", "--appendonly", "no").Addr())
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) { testPreviewAcrossReplicas(t, open(t)) })
	}
}

func openRedis(t *testing.T, url string) training.Store {
	st, err := redis.Open(context.Background(), url, redis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// replica returns a second server on a's store, with a's sessions, whose
// clock is later by skew.
func replica(t *testing.T, a *testEnv, skew time.Duration) *testEnv {
	cfg := a.s.cfg
	cfg.Clock = func() time.Time { return testNow.Add(skew) }
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b := *a
	b.s = s
	return &b
}

func testPreviewAcrossReplicas(t *testing.T, st training.Store) {
	a := newTestEnvOn(t, st)
	b := replica(t, a, time.Minute)
	late := replica(t, a, web.PreviewTTL)

	rec := upload(a, "hr", map[string]string{"dry_run": "true"}, "new.csv", newJoinerCSV)
	if rec.Code != 200 {
		t.Fatalf("preview on A: %d %s", rec.Code, rec.Body)
	}
	preview := decode[importers.Report](t, rec)
	if rec := b.do(req{method: "GET", path: "/api/v1/imports/" + preview.ImportID, as: "hr"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nina Newjoiner") {
		t.Fatalf("preview report on B: %d %s", rec.Code, clip(rec.Body.String()))
	}
	if rec := b.do(req{method: "GET", path: "/upload/" + preview.ImportID, as: "hr"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nina Newjoiner") {
		t.Fatalf("preview page on B: %d %s", rec.Code, clip(rec.Body.String()))
	}
	// A replica whose clock has passed the preview's expiry refuses it
	// (asked with the API token: the login session has expired too).
	if rec := late.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "token"}); rec.Code != 404 {
		t.Fatalf("confirm after expiry: %d %s", rec.Code, rec.Body)
	}

	// The expired read removed it; preview again and confirm on B.
	rec = upload(a, "hr", map[string]string{"dry_run": "true"}, "new.csv", newJoinerCSV)
	preview = decode[importers.Report](t, rec)
	rec = b.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "hr"})
	if rec.Code != 201 {
		t.Fatalf("confirm on B: %d %s", rec.Code, rec.Body)
	}
	if got := decode[importers.Report](t, rec); got.Outcome != training.OutcomeApplied || got.FileHash != preview.FileHash {
		t.Fatalf("applied on B: %s", clip(rec.Body.String()))
	}
	if _, err := st.Officer(context.Background(), "A9"); err != nil {
		t.Fatalf("confirmed officer: %v", err)
	}
	// Used once, whichever replica asks next.
	if rec := a.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "hr"}); rec.Code != 404 {
		t.Fatalf("second confirm on A: %d", rec.Code)
	}
	if _, err := st.Preview(context.Background(), preview.ImportID, testNow); err == nil {
		t.Fatal("the confirmed upload is still kept")
	}
}
