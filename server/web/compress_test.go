package web

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func TestNegotiateEncoding(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"gzip, deflate, br, zstd", "zstd"},
		{"gzip;q=1.0, zstd;q=0.5", "gzip"},
		{"zstd;q=0, gzip", "gzip"},
		{"gzip;q=0, zstd;q=0", ""},
		{"*", "zstd"},
		{"*;q=0.5, zstd;q=0", "gzip"},
		{"br", ""},
		{"identity", ""},
		{"identity;q=1, gzip;q=0.5", ""},
		{"identity;q=0, gzip", "gzip"},
		{"GZIP ; Q=0.8", "gzip"},
		{"gzip;q=bad", ""},
	} {
		if got := NegotiateEncoding(tc.header); got != tc.want {
			t.Errorf("Accept-Encoding %q: got %q, want %q", tc.header, got, tc.want)
		}
	}
}

// TestKeptGzipWritersReused: bodies kept compressed one after another
// through the same Compressors (their gzip writer pooled) each inflate to
// their own bytes, the second no longer needing a writer of its own.
func TestKeptGzipWritersReused(t *testing.T) {
	cs := NewCompressors()
	bodies := []string{strings.Repeat(`{"unit":"North","percent":71.5},`, 3000), strings.Repeat(`{"unit":"South","due":"2026-12-01"},`, 2000), "short"}
	for i, raw := range bodies {
		b := &encodedBody{raw: []byte(raw)}
		zr, err := gzip.NewReader(bytes.NewReader(b.bytesFor(cs, encGzip)))
		if err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != raw {
			t.Fatalf("body %d inflates to %d bytes (%v), want %d", i, len(got), err, len(raw))
		}
	}
	// A new writer is ~1 MB of state; the kept one costs only the output.
	// A collection empties the pool (sync.Pool), so a run now and then
	// makes a new writer: the least any run allocated is what reuse costs.
	least := uint64(1 << 62)
	for range 10 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b := &encodedBody{raw: []byte(bodies[0])}
		b.bytesFor(cs, encGzip)
		runtime.ReadMemStats(&after)
		least = min(least, after.TotalAlloc-before.TotalAlloc)
	}
	if least > 256<<10 {
		t.Errorf("%d KB allocated to keep a body compressed: the gzip writer is not reused", least>>10)
	}
}

// BenchmarkKeptGzip compresses a new 100 KB body for the report cache.
func BenchmarkKeptGzip(b *testing.B) {
	cs := NewCompressors()
	raw := []byte(strings.Repeat(fmt.Sprintf(`{"unit":"North %d","percent":71.5},`, 7), 3000))
	b.ReportAllocs()
	for b.Loop() {
		body := &encodedBody{raw: raw}
		body.bytesFor(cs, encGzip)
	}
}
