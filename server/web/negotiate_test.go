package web

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// negotiateByMap is NegotiateEncoding as it was first written, with a map
// of every name's weight: the reference the map-free one must agree with.
func negotiateByMap(header string) string {
	if header == "" {
		return ""
	}
	q := map[string]float64{}
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if name == "x-gzip" {
			name = encGzip
		}
		w := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				w = f
			}
		}
		q[name] = w
	}
	weight := func(name string) float64 {
		if w, ok := q[name]; ok {
			return w
		}
		return q["*"]
	}
	best, bestQ := "", 0.0
	for _, enc := range []string{encZstd, encGzip} {
		if w := weight(enc); w > bestQ {
			best, bestQ = enc, w
		}
	}
	if w, ok := q["identity"]; ok && w > bestQ {
		return ""
	}
	return best
}

// TestNegotiateEncodingAgreesWithMap compares the two on random headers
// made of the names and weights that matter, repeated, in any case and
// spacing, with malformed weights among them.
func TestNegotiateEncodingAgreesWithMap(t *testing.T) {
	names := []string{"gzip", "GZip", "x-gzip", "zstd", "ZSTD", "identity", "*", "br", "deflate", ""}
	weights := []string{"", ";q=0", ";q=1", ";q=0.5", ";Q=0.9", "; q = 0.3 ", ";q=bad", ";q=2", ";level=1", ";q=0.5;q=0"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20_000 {
		var parts []string
		for range 1 + rng.IntN(5) {
			sp := strings.Repeat(" ", rng.IntN(2))
			parts = append(parts, sp+names[rng.IntN(len(names))]+weights[rng.IntN(len(weights))]+sp)
		}
		h := strings.Join(parts, ",")
		if got, want := NegotiateEncoding(h), negotiateByMap(h); got != want {
			t.Fatalf("Accept-Encoding %q: got %q, the map's %q", h, got, want)
		}
	}
}

// BenchmarkNegotiateEncoding measures the map-free negotiation against
// the map's, in the same run, on a browser's usual header.
func BenchmarkNegotiateEncoding(b *testing.B) {
	for _, f := range []struct {
		name string
		fn   func(string) string
	}{{"map-free", NegotiateEncoding}, {"by-map", negotiateByMap}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f.fn("gzip, deflate, br, zstd")
			}
		})
	}
}
