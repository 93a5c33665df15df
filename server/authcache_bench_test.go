package server

import (
	"log/slog"
	"testing"

	"github.com/muster-police/muster/training/demo"
)

// BenchmarkComplianceGzip measures GET /api/v1/compliance for the whole
// force with Accept-Encoding: gzip (the kept compressed bytes), in
// parallel, with the credential check kept (the default) and read from the
// store on every request (AuthCacheTTL < 0), in the same run: what the
// cache saves per request.
func BenchmarkComplianceGzip(b *testing.B) {
	s, hr, _ := benchEnv(b)
	uncached, err := New(Config{Store: s.cfg.Store, Secret: testSecret, Logger: slog.New(slog.DiscardHandler), Clock: demo.Now, AuthCacheTTL: -1})
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		s    *Server
	}{{"auth-cached", s}, {"auth-read-each-time", uncached}} {
		b.Run(tc.name, func(b *testing.B) {
			benchGet(b, tc.s, hr, "/api/v1/compliance", "Accept-Encoding", "gzip") // builds the cache
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					benchGet(b, tc.s, hr, "/api/v1/compliance", "Accept-Encoding", "gzip")
				}
			})
		})
	}
}
