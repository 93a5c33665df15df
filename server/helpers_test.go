package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// testNow is the fixed clock of every server test: a Tuesday morning.
var testNow = time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)

const testPassword = "correct horse battery staple"

const testMetricsToken = "metrics-secret-token"

var testSecret = []byte("test-secret-0123456789abcdef0123")

// testHash is computed once: argon2id is slow on purpose.
var testHash = sync.OnceValue(func() string {
	h, err := accounts.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// testUsers are the callers of the authorization matrix.
var testUsers = []training.User{
	{Username: "admin", Role: training.RoleAdmin},
	{Username: "hr", Role: training.RoleHR},
	{Username: "mgr-a", Role: training.RoleManager, Units: []string{"Alpha"}},
	{Username: "mgr-line", Role: training.RoleManager, OfficerID: "L1"},
	{Username: "mgr-none", Role: training.RoleManager},
	// A trainer: records registers, sees no figures.
	{Username: "trainer", Role: training.RoleTrainer},
	// Two units and a reporting line outside them (A2 in Alpha / Team 2, B2 in Bravo / Team 9).
	{Username: "mgr-two", Role: training.RoleManager, Units: []string{"Bravo / Team 8", "Alpha / Team 1"}, OfficerID: "L1"},
}

// The roster: unit Alpha (two teams) and unit Bravo. Bravo's officers share
// the surname "Bravoname" so a test can see whether any of them leaked.
func testOfficers() []training.Officer {
	o := func(id, name, unit, lm string) training.Officer {
		return training.Officer{ID: id, DisplayID: id, Name: name, Unit: unit, LineManager: lm,
			Email:     strings.ToLower(strings.Fields(name)[0]) + "@police.test",
			StartDate: training.DateFrom(2020, 1, 6), FirstSeen: training.DateFrom(2025, 1, 1)}
	}
	return []training.Officer{
		o("A1", "Alice Aardvark", "Alpha / Team 1", ""),
		o("A2", "Adam Apple", "Alpha / Team 2", "L1"),
		o("L1", "Lena Linemanager", "Alpha / Team 1", ""),
		o("F1", "=HYPERLINK(\"http://evil.test\",\"x\")", "Alpha / Team 2", ""),
		o("B1", "Bella Bravoname", "Bravo / Team 9", ""),
		o("B2", "Boris Bravoname", "Bravo / Team 9", "L1"),
		o("B3", "Bruno Bravoname", "Bravo / Team 8", ""),
	}
}

// testEnv is a server on a real store (bolt in a temp dir unless built
// with newTestEnvOn), with seeded data and a fake scheduler.
type testEnv struct {
	t    *testing.T
	s    *Server
	st   training.Store
	jobs *fakeJobs
	// sessions and tokens by caller name: one per test user, plus "token"
	// (an API token of the hr user).
	cookies map[string]string
	csrf    map[string]string
	bearer  map[string]string
	ip      string
}

func newTestEnv(t *testing.T, mutate ...func(*Config)) *testEnv {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newTestEnvOn(t, st, mutate...)
}

// newTestEnvOn builds a testEnv on st, an empty store the caller closes.
func newTestEnvOn(t *testing.T, st training.Store, mutate ...func(*Config)) *testEnv {
	t.Helper()
	env := &testEnv{t: t, st: st, jobs: &fakeJobs{}, cookies: map[string]string{}, csrf: map[string]string{}, bearer: map[string]string{}, ip: "192.0.2.1"}
	cfg := Config{
		Store: st, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Clock: func() time.Time { return testNow }, Addr: "127.0.0.1:0", BaseURL: "http://muster.test",
		Secret: testSecret, Jobs: env.jobs, MaxUploadBytes: 1 << 20, LocalToken: "local-secret-token",
		MetricsToken: testMetricsToken,
		ExecCLI: func(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int {
			io.WriteString(stdout, "ran "+strings.Join(args, " "))
			for name, b := range files {
				io.WriteString(stdout, " "+name+"="+string(b))
			}
			return 3
		},
	}
	for _, m := range mutate {
		m(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	env.s = s
	env.seed()
	return env
}

// testWriter sends logs to the test's output.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func (e *testEnv) seed() {
	t, ctx := e.t, context.Background()
	rev, err := e.st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	courses, err := e.st.Courses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cse := courses[0].ID
	done := func(id string, d training.Date) training.Completion {
		return training.Completion{OfficerID: id, CourseID: cse, Date: d, Source: training.Source{ImportID: "seed", At: testNow}}
	}
	_, err = e.st.ApplyChanges(ctx, training.ChangeSet{
		BaseRevision: rev,
		Import:       training.ImportRecord{ID: "seed", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied},
		Officers:     testOfficers(),
		Completions: []training.Completion{
			done("A1", training.DateFrom(2026, 1, 10)),
			done("B1", training.DateFrom(2026, 2, 10)),
			done("B2", training.DateFrom(2026, 2, 11)),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range testUsers {
		u.PasswordHash = testHash()
		u.Created = testNow
		if err := e.st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		id, csrf := web.RandomToken(), web.RandomToken()
		if err := e.st.CreateSession(ctx, training.Session{IDHash: web.SHA256Hex(id), Username: u.Username, CSRFToken: csrf,
			Created: testNow, Expires: testNow.Add(sessionIdle)}); err != nil {
			t.Fatal(err)
		}
		e.cookies[u.Username], e.csrf[u.Username] = id, csrf
	}
	secret := tokenPrefix + web.RandomToken()
	if err := e.st.CreateToken(ctx, training.Token{ID: "tok1", Hash: web.SHA256Hex(secret), Name: "lms", Username: "hr", Created: testNow}); err != nil {
		t.Fatal(err)
	}
	e.bearer["token"] = secret
	units := map[string]map[string]training.Counts{
		"":      {cse: {Required: 7, Compliant: 3}},
		"Alpha": {cse: {Required: 4, Compliant: 1}},
		"Bravo": {cse: {Required: 3, Compliant: 2}},
	}
	for d := 0; d < 3; d++ {
		if err := e.st.PutDailySnapshot(ctx, training.DailySnapshot{Date: training.DateOf(testNow).AddDays(-d), Units: units}); err != nil {
			t.Fatal(err)
		}
	}
}

// req describes one request for do.
type req struct {
	method, path string
	as           string // "" anonymous; a username (session); "token"
	body         io.Reader
	ctype        string
	noCSRF       bool
	header       map[string]string
}

func (e *testEnv) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	hr := httptest.NewRequest(r.method, r.path, r.body)
	hr.RemoteAddr = e.ip + ":4321"
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	switch {
	case r.as == "":
	case e.bearer[r.as] != "":
		hr.Header.Set("Authorization", "Bearer "+e.bearer[r.as])
	default:
		hr.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: e.cookies[r.as]})
		if !r.noCSRF {
			hr.Header.Set("X-CSRF-Token", e.csrf[r.as])
		}
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, hr)
	return rec
}

func jsonBody(v any) io.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.NewReader(b)
}

// multipartBody builds a form with fields and one file part per files entry.
func multipartBody(t *testing.T, field string, fields map[string]string, files map[string]string) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		fw, err := w.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body.String(), err)
	}
	return v
}

// fakeJobs stands in for the scheduler.
type fakeJobs struct {
	mu   sync.Mutex
	runs []string
}

func (f *fakeJobs) Names() []string { return []string{"reminders", "snapshot"} }
func (f *fakeJobs) RunNow(ctx context.Context, job string, dryRun bool, asOf training.Date) (training.JobRun, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.runs = append(f.runs, job)
	return training.JobRun{ID: "run1", Job: job, DryRun: dryRun, Started: testNow, Finished: testNow}, nil
}
func (f *fakeJobs) PlanReminders(ctx context.Context, asOf training.Date) (*jobs.Plan, error) {
	return &jobs.Plan{AsOf: asOf}, nil
}
func (f *fakeJobs) Templates(ctx context.Context) (map[string]string, error) {
	return map[string]string{"reminder": "Hello"}, nil
}
func (f *fakeJobs) SetTemplate(ctx context.Context, name, text string) error { return nil }
func (f *fakeJobs) PreviewTemplate(ctx context.Context, name, text string) (string, string, string, error) {
	return "s", "t", "h", nil
}
