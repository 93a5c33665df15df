package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// inflate undoes one content coding.
func inflate(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	switch enc {
	case "gzip":
		r, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		return out
	case "zstd":
		d, err := zstd.NewReader(nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		out, err := d.DecodeAll(b, nil)
		if err != nil {
			t.Fatalf("zstd: %v", err)
		}
		return out
	}
	return b
}

// TestCompressedResponses: JSON (from the report caches), pages, CSV and
// CSS go out in the coding the client accepts, once compressed (inflating
// once gives the identity body), with Vary; xlsx, tiny bodies and HEAD
// go out as they are.
func TestCompressedResponses(t *testing.T) {
	// A force whose report compresses to more than minCompressBytes.
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cs := demo.Force(1, 3000, 300, training.DateOf(testNow))
	if rev, err := st.Revision(context.Background()); err == nil {
		cs.BaseRevision = rev
	}
	if _, err := st.ApplyChanges(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	e := newTestEnvOn(t, st)
	get := func(t *testing.T, method, path, as, accept string) *http.Response {
		t.Helper()
		rec := e.do(req{method: method, path: path, as: as, header: map[string]string{"Accept-Encoding": accept}})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		return rec.Result()
	}
	body := func(r *http.Response) []byte {
		b, _ := io.ReadAll(r.Body)
		return b
	}
	for _, tc := range []struct {
		name, path, as string
		wantCompressed bool
	}{
		{"force-wide JSON (live cache)", "/api/v1/compliance", "admin", true},
		{"a unit's JSON (report cache)", "/api/v1/compliance?as_of=2026-01-31", "admin", true},
		{"a manager's small JSON (tiny)", "/api/v1/compliance", "mgr-line", false},
		{"dashboard page", "/", "admin", true},
		{"compliance CSV", "/api/v1/compliance/export?format=csv", "admin", true},
		{"stylesheet", "/static/app.css", "", true},
		{"workbook", "/api/v1/compliance/export?format=xlsx", "admin", false},
		{"health check (tiny)", "/healthz", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := get(t, http.MethodGet, tc.path, tc.as, "")
			want := body(plain)
			if ce := plain.Header.Get("Content-Encoding"); ce != "" {
				t.Fatalf("without Accept-Encoding: Content-Encoding %q", ce)
			}
			for _, enc := range []string{"gzip", "zstd"} {
				for round := range 2 { // the second answer comes from the kept bytes
					r := get(t, http.MethodGet, tc.path, tc.as, "br;q=1, "+enc+";q=0.9")
					got := body(r)
					ce := r.Header.Get("Content-Encoding")
					if !tc.wantCompressed {
						// (a workbook differs by its timestamps: compare its length)
						if ce != "" || len(got) < len(want)-16 || len(got) > len(want)+16 {
							t.Fatalf("%s: Content-Encoding %q (%d bytes), want the identity body (%d bytes)", enc, ce, len(got), len(want))
						}
						continue
					}
					if ce != enc {
						t.Fatalf("%s round %d: Content-Encoding %q", enc, round, ce)
					}
					if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
						t.Errorf("%s: Vary %q", enc, r.Header.Values("Vary"))
					}
					if r.Header.Get("Content-Length") != "" && r.Header.Get("Content-Length") != web.Itoa(len(got)) {
						t.Errorf("%s: Content-Length %s for %d bytes", enc, r.Header.Get("Content-Length"), len(got))
					}
					if len(got) >= len(want) || strings.HasPrefix(tc.path, "/api/v1/compliance?") && len(got) < web.MinCompressBytes {
						t.Errorf("%s: %d bytes compressed, %d plain", enc, len(got), len(want))
					}
					if in := inflate(t, enc, got); !bytes.Equal(in, want) {
						t.Fatalf("%s round %d: inflated body differs from the identity body (%d vs %d bytes)", enc, round, len(in), len(want))
					}
				}
			}
			if tc.wantCompressed && strings.HasPrefix(tc.path, "/api/v1/compliance?") && !json.Valid(want) {
				t.Errorf("identity body is not JSON")
			}
		})
	}
}
