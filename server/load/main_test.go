package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/redis/redistest"
)

// TestMeasureSmall runs the load generator on a small force, so that it
// keeps working; the figures themselves come from running the command.
func TestMeasureSmall(t *testing.T) {
	for _, store := range []string{"bolt", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := Config{Officers: 400, Units: 20, Clients: 4, Requests: 40, Duration: time.Minute, Stores: []string{store},
				RedisURL: os.Getenv("MUSTER_REDIS_URL")}
			if store == "redis" && cfg.RedisURL == "" {
				// The tests' one redis-server helper (skips, or fails
				// under MUSTER_TEST_REQUIRE=1, without one), rather than
				// the command's own start.
				cfg.RedisURL = "redis://" + redistest.Start(t, "--save", "", "--appendonly", "no").Addr() + "/0"
			}
			results, err := Measure(context.Background(), cfg, func(s string) { t.Log(s) })
			if err != nil {
				t.Fatal(err)
			}
			if len(results) != 2 {
				t.Fatalf("%d results, want compliance and dashboard", len(results))
			}
			for _, r := range results {
				if r.Requests != cfg.Requests || r.Errors != 0 || r.P50 <= 0 || r.P99 < r.P50 {
					t.Errorf("%s %s: %+v", r.Store, r.Target, r)
				}
			}
			var out bytes.Buffer
			printResults(&out, results)
			if !strings.Contains(out.String(), "dashboard-page") {
				t.Errorf("printed results lack the dashboard:\n%s", out.String())
			}
		})
	}
}

// TestMeasureXAPISmall runs the xapi mode on a small force: batches of
// statements are accepted while the BCU is read.
func TestMeasureXAPISmall(t *testing.T) {
	cfg := Config{Officers: 400, Units: 20, Posters: 2, Readers: 2, Batch: 20, Duration: 2 * time.Second, Mode: "xapi", Stores: []string{"bolt"}}
	results, err := Measure(context.Background(), cfg, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[2].Target != "xapi-stmts/20" || results[2].Errors != 0 || results[2].Requests < cfg.Batch {
		t.Fatalf("results %+v", results)
	}
}

// TestMeasureStatic runs the static mode on a small force: the three
// targets answer gzip, without errors.
func TestMeasureStatic(t *testing.T) {
	cfg := Config{Officers: 400, Units: 20, Clients: 2, Requests: 20, Duration: time.Minute, Stores: []string{"bolt"}, Mode: "static"}
	var lines []string
	results, err := Measure(context.Background(), cfg, func(s string) { lines = append(lines, s); t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 || results[0].Target != "static-gzip" || results[1].Target != "static-headers" || results[2].Target != "muster-gzip" {
		t.Fatalf("results %+v", results)
	}
	for _, r := range results {
		if r.Requests != cfg.Requests || r.Errors != 0 {
			t.Errorf("%s: %+v", r.Target, r)
		}
	}
	if !strings.Contains(strings.Join(lines, "\n"), "muster/static requests/s") {
		t.Errorf("no ratio printed: %q", lines)
	}
}

// TestMeasureListSmall runs the list mode on a small force: list pages
// are read alone, beside posts, and the posts are measured beside BCU
// readers too, without errors.
func TestMeasureListSmall(t *testing.T) {
	cfg := Config{Officers: 400, Units: 20, Posters: 2, Readers: 2, Duration: time.Second, Mode: "list", Stores: []string{"bolt"}}
	results, err := Measure(context.Background(), cfg, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"list-read", "list-read+posts", "post-completion", "bcu-read+posts", "post(bcu-readers)"}
	if len(results) != len(want) {
		t.Fatalf("results %+v", results)
	}
	for i, r := range results {
		if r.Target != want[i] || r.Errors != 0 || r.Requests == 0 {
			t.Errorf("result %d: %+v, want target %s without errors", i, r, want[i])
		}
	}
}

// TestSameHeaders: the static server with Muster's headers answers with
// every header Muster sent (Date its own) and the body's length.
func TestSameHeaders(t *testing.T) {
	muster := http.Header{"Content-Security-Policy": {"default-src 'self'"}, "X-Request-Id": {"abc"}, "Vary": {"Accept-Encoding"},
		"Content-Encoding": {"gzip"}, "Content-Length": {"99"}, "Date": {"Mon, 02 Jan 2006 15:04:05 GMT"}}
	rec := httptest.NewRecorder()
	sameHeaders(muster, []byte("12345")).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	got := rec.Result().Header
	for k, v := range muster {
		switch k {
		case "Date":
			if got.Get(k) == v[0] {
				t.Error("Date copied from Muster's answer")
			}
		case "Content-Length":
			if got.Get(k) != "5" {
				t.Errorf("Content-Length %q, want 5", got.Get(k))
			}
		default:
			if got.Get(k) != v[0] {
				t.Errorf("%s: %q, want %q", k, got.Get(k), v[0])
			}
		}
	}
	if rec.Body.String() != "12345" {
		t.Errorf("body %q", rec.Body.String())
	}
}
