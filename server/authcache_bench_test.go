package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	rtmetrics "runtime/metrics"
	"testing"

	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
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
	// A signed-in browser's session, as the load tool (server/load) signs in.
	sid := web.RandomToken()
	if err := s.cfg.Store.CreateSession(b.Context(), training.Session{IDHash: web.SHA256Hex(sid), Username: "hr", CSRFToken: web.RandomToken(),
		Created: demo.Now(), Expires: demo.Now().Add(sessionIdle)}); err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		s       *Server
		session bool
	}{{"auth-cached", s, false}, {"auth-read-each-time", uncached, false}, {"session-cached", s, true}} {
		b.Run(tc.name, func(b *testing.B) {
			benchGet(b, tc.s, hr, "/api/v1/compliance", "Accept-Encoding", "gzip") // builds the cache
			// The request as net/http's server hands it over, without the
			// parsing a test request needs (4 KB of bufio.Reader each, which
			// net/http pools): what the allocations are is the server's own.
			req := httptest.NewRequest("GET", "/api/v1/compliance", nil)
			if tc.session {
				req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sid})
			} else {
				req.Header.Set("Authorization", "Bearer "+hr)
			}
			req.Header.Set("Accept-Encoding", "gzip")
			gc0, all0 := gcCPU()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serveShared(b, tc.s, req)
				}
			})
			if gc1, all1 := gcCPU(); all1 > all0 {
				b.ReportMetric(100*(gc1-gc0)/(all1-all0), "gc-cpu-%")
			}
		})
	}
}

// serveShared serves a copy of r (its URL and header shared, read only,
// as the handlers treat them) into a new response header, as net/http
// makes one for every response.
func serveShared(b *testing.B, s *Server, r *http.Request) {
	rc := *r
	w := &discardWriter{h: http.Header{}}
	s.Handler().ServeHTTP(w, &rc)
	if w.code != http.StatusOK {
		b.Fatalf("%s: %d", r.URL, w.code)
	}
}

// gcCPU returns the collector's CPU time and the CPU time the process
// used (GOMAXPROCS × wall time, less idle) so far: runtime/metrics'
// estimates, brought up to date by each collection (a benchmark of a few
// seconds sees dozens). Their differences over a benchmark give the share
// of its CPU spent collecting, which the requests' allocations cause
// while the 150,000-person model is live.
func gcCPU() (gc, all float64) {
	s := []rtmetrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/cpu/classes/total:cpu-seconds"},
		{Name: "/cpu/classes/idle:cpu-seconds"}}
	rtmetrics.Read(s)
	return s[0].Value.Float64(), s[1].Value.Float64() - s[2].Value.Float64()
}
