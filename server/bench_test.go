package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/server/web"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// benchEnv is a server on bolt holding the demo force: 150,000 officers in
// 2,000 units, with an hr token and a manager of one command.
func benchEnv(b *testing.B) (*Server, string, string) {
	b.Helper()
	ctx := context.Background()
	st, err := bolt.Open(filepath.Join(b.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cs := demo.Force(1, 150_000, 2_000, training.DateOf(demo.Now()))
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		b.Fatal(err)
	}
	unit := training.SplitUnit(cs.Officers[0].Unit)[0]
	for _, u := range []training.User{{Username: "hr", Role: training.RoleHR}, {Username: "mgr", Role: training.RoleManager, Units: []string{unit}}} {
		u.PasswordHash = "x"
		if err := st.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	tokens := map[string]string{}
	for _, name := range []string{"hr", "mgr"} {
		secret := tokenPrefix + web.RandomToken()
		if err := st.CreateToken(ctx, training.Token{ID: name, Hash: web.SHA256Hex(secret), Name: "bench", Username: name, Created: demo.Now()}); err != nil {
			b.Fatal(err)
		}
		tokens[name] = secret
	}
	s, err := New(Config{Store: st, Secret: testSecret, Logger: slog.New(slog.DiscardHandler), Clock: demo.Now})
	if err != nil {
		b.Fatal(err)
	}
	return s, tokens["hr"], tokens["mgr"]
}

func benchGet(b *testing.B, s *Server, token, path string, header ...string) {
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := &discardWriter{h: http.Header{}}
	s.Handler().ServeHTTP(w, r)
	if w.code != http.StatusOK {
		b.Fatalf("%s: %d", path, w.code)
	}
}

// discardWriter is a ResponseWriter that keeps only the status, so the
// benchmark measures the server, not a recorder growing a buffer.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *discardWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(b)
	return len(b), nil
}

// BenchmarkCompliance measures GET /api/v1/compliance on 150,000 officers:
// cached (the steady state, in parallel like many dashboards), and cold
// (the first request after a roster change builds the report).
func BenchmarkCompliance(b *testing.B) {
	s, hr, mgr := benchEnv(b)
	cachedParallel := func(token string) func(*testing.B) {
		return func(b *testing.B) {
			benchGet(b, s, token, "/api/v1/compliance") // builds the cache
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					benchGet(b, s, token, "/api/v1/compliance")
				}
			})
		}
	}
	b.Run("force-cached-parallel", cachedParallel(hr))
	b.Run("manager-cached-parallel", cachedParallel(mgr))
	b.Run("force-cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Live.(*live.Model).DropCaches()
			benchGet(b, s, hr, "/api/v1/compliance")
		}
	})
	b.Run("dataset-load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Live.(*live.Model).DropCaches()
			if _, err := s.Live.Dataset(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
