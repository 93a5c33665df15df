// Package server is Muster's web service: the Echo route table, the JSON
// API under /api/v1, authentication (sessions, CSRF, API tokens, signed
// officer links), operations endpoints, and the web pages (pages*.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Config is everything the server needs; main builds it from flags and
// MUSTER_* variables.
type Config struct {
	Store  training.Store
	Logger *slog.Logger
	Clock  func() time.Time
	// Addr is the listen address: ":8080"; ":0" in tests.
	Addr string
	// BaseURL is the public root URL, for links in pages and emails.
	BaseURL string
	// Secret signs officer links (and derives other keys); at least 16 bytes.
	Secret []byte
	// Jobs may be nil: then job pages say jobs are off and job routes answer 503.
	Jobs           Jobs
	MaxUploadBytes int64
	CookieSecure   bool
	// DemoAllowed shows "load demo data" on an empty dashboard.
	DemoAllowed bool
	// LocalToken is accepted only on POST /api/v1/cli (CLI forwarding).
	LocalToken string
	// ExecCLI runs a muster CLI command in-process for POST /api/v1/cli;
	// it writes the command's output to stdout and returns the exit code.
	ExecCLI func(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int
}

// Jobs is what the web needs from jobs/ (implemented by *jobs.Scheduler).
type Jobs interface {
	Names() []string
	RunNow(ctx context.Context, job string, dryRun bool, asOf training.Date) (training.JobRun, error)
	// PlanReminders returns a JSON-encodable plan of who would get what.
	PlanReminders(ctx context.Context, asOf training.Date) (any, error)
	// Templates returns the email templates, name -> text.
	Templates(ctx context.Context) (map[string]string, error)
	// SetTemplate validates and stores a template; ErrInvalid if it does not parse.
	SetTemplate(ctx context.Context, name, text string) error
	PreviewTemplate(ctx context.Context, name, text string) (subject, textBody, htmlBody string, err error)
}

// Defaults for Config fields left unset.
const (
	DefaultMaxUploadBytes = 50 << 20
	// smallBodyBytes limits every request body that is not an upload.
	smallBodyBytes = 1 << 20
	// shutdownGrace is how long Run waits for in-flight requests.
	shutdownGrace = 30 * time.Second
)

// Server is the web service. Build it with New; serve it with Run or Handler.
type Server struct {
	cfg     Config
	store   training.Store
	log     *slog.Logger
	now     func() time.Time
	echo    *echo.Echo
	metrics *metrics
	limits  *loginLimiter
	cache   *dataCache
	live    *liveModel
	commits *committer

	// pageError, when set by the pages (in pageRoutes), renders errors for
	// non-API requests as HTML; otherwise they are plain text.
	pageError func(c echo.Context, status int, code, message string) error

	mu    sync.Mutex
	addr  string
	ready chan struct{}
}

// New checks cfg and builds the server with its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: Config.Store is required")
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("server: Config.Secret must be at least 16 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Addr == "" {
		cfg.Addr = ":8080"
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	s := &Server{
		cfg:     cfg,
		store:   cfg.Store,
		log:     cfg.Logger,
		now:     cfg.Clock,
		metrics: newMetrics(),
		limits:  newLoginLimiter(),
		cache:   newDataCache(),
		live:    newLiveModel(),
		ready:   make(chan struct{}),
	}
	s.store = liveStore{Store: cfg.Store, s: s}
	s.commits = &committer{s: s}
	s.metrics.reg.MustRegister(newJobRunsCollector(cfg.Store))
	s.echo = s.routes()
	return s, nil
}

// Handler returns the HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.echo }

// Run listens on Config.Addr and serves until ctx is done, then shuts down
// gracefully: it stops accepting connections and waits for in-flight
// requests to finish (up to 30 seconds).
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", s.cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           s.echo,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	close(s.ready)
	s.log.Info("listening", "addr", s.addr)

	tailCtx, stopTail := context.WithCancel(ctx)
	tailDone := make(chan struct{})
	go func() { defer close(tailDone); s.tailLive(tailCtx) }()
	defer func() { stopTail(); <-tailDone }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	s.Close()
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// Close releases what the server holds. Run calls it on the way out; call
// it after using Handler alone. Kept previews live in the store (so that
// any replica can confirm them) and expire there; nothing is left to remove
// but a reload of the live figures that may be running.
func (s *Server) Close() error {
	s.live.reloads.Wait()
	return nil
}

// Addr returns the address the server listens on, once Run has started
// listening ("" before).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Ready is closed once Run listens (then Addr is set).
func (s *Server) Ready() <-chan struct{} { return s.ready }
