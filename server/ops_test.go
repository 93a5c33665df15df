package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

func TestOperations(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		path, want string
		code       int
	}{
		{"/healthz", `"status":"ok"`, 200},
		{"/readyz", `"status":"ready"`, 200},
	}
	for _, tt := range tests {
		rec := e.do(req{method: "GET", path: tt.path})
		if rec.Code != tt.code || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %s", tt.path, rec.Code, rec.Body)
		}
	}
	// Traffic with personal data in the URL, then the metrics.
	e.do(req{method: "GET", path: "/api/v1/officers/B1?q=Bella", as: "hr"})
	e.do(req{method: "GET", path: "/api/v1/officers?q=Bravoname", as: "hr"})
	// The same route answering another status counts apart (the kept
	// observers are per method, route and status).
	e.do(req{method: "GET", path: "/api/v1/officers/NOBODY", as: "hr"})
	ctx := context.Background()
	for _, r := range []training.JobRun{
		{ID: "1", Job: "reminders", Started: testNow.Add(-48 * time.Hour), Finished: testNow.Add(-47 * time.Hour)},
		{ID: "2", Job: "reminders", Started: testNow.Add(-time.Hour), Finished: testNow.Add(-time.Hour + 90*time.Second), Errors: []string{"one address bounced"}},
		{ID: "3", Job: "snapshot", Started: testNow.Add(-2 * time.Hour), Finished: testNow.Add(-2*time.Hour + time.Second)},
	} {
		if err := e.st.PutJobRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	e.do(req{method: "POST", path: "/api/v1/completions", as: "hr", ctype: "application/json",
		body: jsonBody([]api.CompletionInput{{OfficerID: "B1", Course: "cse-recognition", Date: "2026-11-01"}})})
	rec := e.do(req{method: "GET", path: "/metrics", header: map[string]string{"Authorization": "Bearer " + testMetricsToken}})
	m := rec.Body.String()
	for _, want := range []string{
		`muster_http_requests_total{method="GET",route="/api/v1/officers/:id",status="200"} 1`,
		`muster_http_requests_total{method="GET",route="/api/v1/officers/:id",status="404"} 1`,
		`muster_http_request_duration_seconds_bucket{method="GET",route="/api/v1/officers",status="200",le=`,
		`muster_imports_total{outcome="api"} 1`,
		`go_goroutines`,
		`muster_job_last_run_success{job="reminders"} 0`,
		`muster_job_last_run_success{job="snapshot"} 1`,
		`muster_job_last_run_duration_seconds{job="reminders"} 90`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, personal := range []string{"Bella", "Bravoname", "B1"} {
		if strings.Contains(m, personal) {
			t.Errorf("metrics hold %q", personal)
		}
	}
}

// TestReadyzWhenStoreIsDown: a closed store makes the replica not ready.
func TestReadyzWhenStoreIsDown(t *testing.T) {
	e := newTestEnv(t)
	e.st.Close()
	if rec := e.do(req{method: "GET", path: "/readyz"}); rec.Code != 503 {
		t.Fatalf("readyz: %d", rec.Code)
	}
	if rec := e.do(req{method: "GET", path: "/healthz"}); rec.Code != 200 {
		t.Fatalf("healthz: %d", rec.Code)
	}
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "GET", path: "/api/v1/courses", as: "hr", header: map[string]string{"X-Request-ID": "abc-123"}})
	h := rec.Header()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
		"X-Request-Id":           "abc-123",
	} {
		if h.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	rec = e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "bad id\nwith newline"}})
	if id := rec.Header().Get("X-Request-Id"); len(id) != 16 {
		t.Errorf("an invalid request ID was kept or not replaced: %q", id)
	}
}

// TestErrorResponses: one JSON shape and the right status for every kind of error.
func TestErrorResponses(t *testing.T) {
	e := newTestEnv(t)
	tests := []struct {
		name   string
		r      req
		status int
		code   string
	}{
		{"unknown API route", req{method: "GET", path: "/api/v1/nothing", as: "hr"}, 404, "not_found"},
		{"unknown API route anonymous", req{method: "GET", path: "/api/v1/nothing"}, 404, "not_found"},
		{"wrong method", req{method: "DELETE", path: "/api/v1/compliance", as: "hr"}, 405, "invalid"},
		{"unauthenticated", req{method: "GET", path: "/api/v1/compliance"}, 401, "unauthorized"},
		{"forbidden", req{method: "GET", path: "/api/v1/users", as: "hr"}, 403, "forbidden"},
		{"invalid", req{method: "GET", path: "/api/v1/compliance?as_of=soon", as: "hr"}, 400, "invalid"},
		{"not found", req{method: "GET", path: "/api/v1/imports/nope", as: "hr"}, 404, "not_found"},
		{"conflict", req{method: "POST", path: "/api/v1/users", as: "admin", ctype: "application/json",
			body: strings.NewReader(`{"username":"hr","role":"hr","password":"long enough pw"}`)}, 409, "conflict"},
		{"too large", req{method: "PUT", path: "/api/v1/courses", as: "hr", ctype: "application/json",
			body: strings.NewReader(`[{"id":"x","title":"` + strings.Repeat("a", smallBodyBytes) + `"}]`)}, 413, "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(tt.r)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, clip(rec.Body.String()))
			}
			got := decode[web.ErrorBody](t, rec)
			if got.Error.Code != tt.code || got.Error.Message == "" {
				t.Fatalf("error %+v, want code %s", got, tt.code)
			}
		})
	}
}

// TestInternalErrorsAreHidden: detail of an unexpected error goes to the
// log with the request ID, never to the client.
func TestInternalErrorsAreHidden(t *testing.T) {
	var logs strings.Builder
	e := newTestEnv(t)
	e.s.Log = newTestLogger(&logs)
	e.s.echo.GET("/api/v1/test-boom", func(echo.Context) error { return errors.New("secret path /var/lib/muster exploded") })
	e.s.echo.GET("/api/v1/test-panic", func(echo.Context) error { panic("kaboom") })
	e.s.echo.GET("/api/v1/test-down", func(echo.Context) error {
		return errors.Join(training.ErrUnavailable, errors.New("redis at 10.0.0.5 refused"))
	})
	for path, status := range map[string]int{"/api/v1/test-boom": 500, "/api/v1/test-panic": 500, "/api/v1/test-down": 503} {
		rec := e.do(req{method: "GET", path: path})
		body := rec.Body.String()
		if rec.Code != status || strings.Contains(body, "secret") || strings.Contains(body, "kaboom") || strings.Contains(body, "10.0.0.5") {
			t.Errorf("%s: %d %s", path, rec.Code, body)
		}
		id := rec.Header().Get("X-Request-Id")
		if status == 500 && !strings.Contains(body, id) {
			t.Errorf("%s: the message does not give the request ID %s: %s", path, id, body)
		}
	}
	if !strings.Contains(logs.String(), "secret path") || !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("the detail was not logged: %s", logs.String())
	}
}

// TestRequestLogsHoldNoPersonalData: the access log names the route
// pattern, never the URL with its IDs and search words.
func TestRequestLogsHoldNoPersonalData(t *testing.T) {
	var logs strings.Builder
	e := newTestEnv(t)
	e.s.Log = newTestLogger(&logs)
	e.do(req{method: "GET", path: "/api/v1/officers/B1?as_of=2026-11-24", as: "hr"})
	e.do(req{method: "GET", path: "/api/v1/officers?q=Bella+Bravoname", as: "mgr-a"})
	e.do(req{method: "POST", path: "/api/v1/login", ctype: "application/json", body: jsonBody(loginRequest{Username: "bella.bravoname", Password: "x"})})
	out := logs.String()
	if !strings.Contains(out, "route=/api/v1/officers/:id") {
		t.Fatalf("no route pattern in the log: %s", out)
	}
	for _, personal := range []string{"B1", "Bella", "bravoname", "hr", "mgr-a"} {
		if strings.Contains(strings.ReplaceAll(out, "http", ""), " "+personal) || strings.Contains(out, "="+personal) || strings.Contains(out, personal+"&") {
			t.Errorf("the log holds %q: %s", personal, out)
		}
	}
}

func newTestLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// TestGracefulShutdown: cancelling Run's context lets an in-flight request
// finish, then Run returns nil.
func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	e := newTestEnv(t, func(c *Config) {
		c.ExecCLI = func(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int {
			close(started)
			<-release
			io.WriteString(stdout, "finished")
			return 0
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.s.Run(ctx) }()
	<-e.s.Ready()
	base := "http://" + e.s.Addr()
	type result struct {
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		b, ct := multipartBody(t, "file", map[string]string{"arg": "slow"}, nil)
		r, _ := http.NewRequest("POST", base+"/api/v1/cli", b)
		r.Header.Set("Content-Type", ct)
		r.Header.Set("Authorization", "Bearer local-secret-token")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		res <- result{body: string(body), err: err}
	}()
	<-started
	cancel()
	// Shutdown has begun once new connections are refused.
	for {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
	}
	close(release)
	got := <-res
	if got.err != nil || got.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", got.body, got.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}
