package web

import "testing"

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
