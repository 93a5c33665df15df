// Package server is Muster's web service: the Echo route table, the
// middleware, authentication (sessions, CSRF, API tokens, single sign-on),
// operations endpoints, and the wiring of the JSON API (server/api) and the
// web pages (server/ui) over what they share (server/web).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
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
	// LinkScope names this deployment in its officer links (the Redis
	// prefix); links signed for another scope do not open here
	// (training.LinkKey).
	LinkScope string
	// Jobs may be nil: then job pages say jobs are off and job routes answer 503.
	Jobs web.Jobs
	// MailDrop is the folder mail is written to as .eml files when there
	// is no SMTP relay ("" when there is one): the Jobs page then says
	// "written to files" and shows no relay state.
	MailDrop       string
	MaxUploadBytes int64
	CookieSecure   bool
	// DemoAllowed shows "load demo data" on an empty dashboard.
	DemoAllowed bool
	// XAPIHomePage is the xAPI account homePage whose account names are
	// officer IDs (MUSTER_XAPI_HOMEPAGE); empty accepts any home page.
	XAPIHomePage string
	// LocalToken is accepted only on POST /api/v1/cli (CLI forwarding).
	LocalToken string
	// ExecCLI runs a muster CLI command in-process for POST /api/v1/cli;
	// it writes the command's output to stdout and returns the exit code.
	ExecCLI func(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int

	// MetricsToken, when set, is the Bearer token GET /metrics requires.
	MetricsToken string
	// MetricsAddr, when set, is a separate listen address serving only
	// /metrics (without a token); the main address then has none.
	MetricsAddr string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client (for the login rate limit). Empty: the peer
	// address is the client, whatever headers say.
	TrustedProxies []*net.IPNet
	// Timeouts of the HTTP server (zero: the defaults below).
	Timeouts Timeouts
	// OneTimePasswordTTL is how long a generated password may be used to
	// sign in (default 72 hours).
	OneTimePasswordTTL time.Duration
	// Limits bound what concurrent requests may cost (zero fields: defaults).
	Limits web.Limits
	// OIDC, when set, turns on single sign-on (oidc.go).
	OIDC *OIDCConfig
	// PasswordLoginOff refuses password sign-in to everyone but
	// BreakGlassUser (an administrator kept for when the provider is down).
	PasswordLoginOff bool
	BreakGlassUser   string
	// AuthCacheTTL is how long a checked session or token is trusted
	// without reading the store again (0: DefaultAuthCacheTTL; negative:
	// read it on every request). Changes made through this server apply at
	// once; ones made through another replica within this time.
	AuthCacheTTL time.Duration
}

// Timeouts of the HTTP server. A slow client may hold a connection for at
// most ReadHeader to send its headers, Read (UploadRead on upload routes)
// for its whole request, and Idle between requests.
type Timeouts struct {
	ReadHeader, Read, UploadRead, Write, Idle time.Duration
}

// Default timeouts: an upload of 50 MB at 1 Mbit/s takes under 7 minutes.
var defaultTimeouts = Timeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	UploadRead: 10 * time.Minute,
	Write:      0, // set per request by the handlers that need it: reports may be long
	Idle:       2 * time.Minute,
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
	// Core is what the API and the pages share: the services (the store
	// as the server writes through it, the live read model, the use
	// cases), the settings they read, the log and the clock. The server's
	// own middleware reads them there too.
	*web.Core
	cfg     Config
	auth    *authCache
	echo    *echo.Echo
	metrics *metrics
	limits  *loginLimiter
	hashing *hashGate
	oidc    *oidcClient // nil: no single sign-on

	// pageError, when set by the pages (in pageRoutes), renders errors for
	// non-API requests as HTML; otherwise they are plain text.
	pageError func(c echo.Context, status int, code, message string) error
	// loginFailed, when set by the pages, answers a wrong username or
	// password on the login form (the form again, with the username kept).
	loginFailed func(c echo.Context, next, username string) error
	// api is the JSON API's handlers.
	api *api.Handler

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
	if cfg.OneTimePasswordTTL <= 0 {
		cfg.OneTimePasswordTTL = DefaultOneTimePasswordTTL
	}
	if cfg.AuthCacheTTL == 0 {
		cfg.AuthCacheTTL = DefaultAuthCacheTTL
	}
	if cfg.OIDC != nil {
		o := *cfg.OIDC
		if err := o.check(cfg.BaseURL); err != nil {
			return nil, err
		}
		if o.HTTPClient == nil {
			o.HTTPClient = &http.Client{Timeout: 15 * time.Second}
		}
		cfg.OIDC = &o
	}
	cfg.Timeouts = withDefaults(cfg.Timeouts, defaultTimeouts)
	cfg.Limits = withDefaults(cfg.Limits, web.DefaultLimits())
	s := &Server{
		Core: &web.Core{Log: cfg.Logger, Now: cfg.Clock, LinkKey: training.LinkKey(cfg.Secret, cfg.LinkScope),
			Compress: web.NewCompressors(), ImportGate: web.NewImportGate(cfg.Limits),
			Cfg: web.Settings{BaseURL: cfg.BaseURL, Secret: cfg.Secret, Jobs: cfg.Jobs, MailDrop: cfg.MailDrop,
				MaxUploadBytes: cfg.MaxUploadBytes, CookieSecure: cfg.CookieSecure, DemoAllowed: cfg.DemoAllowed,
				XAPIHomePage: cfg.XAPIHomePage, LocalToken: cfg.LocalToken, ExecCLI: cfg.ExecCLI, Limits: cfg.Limits,
				PasswordLoginOff: cfg.PasswordLoginOff}},
		cfg:     cfg,
		metrics: newMetrics(),
		limits:  newLoginLimiter(),
		hashing: newHashGate(cfg.Limits),
		ready:   make(chan struct{}),
	}
	s.Metrics = web.Metrics{Imports: s.metrics.imports, Jobs: s.metrics.jobs}
	if cfg.OIDC != nil {
		s.oidc = &oidcClient{cfg: *cfg.OIDC}
	}
	s.Live = live.New(live.Config{Store: cfg.Store, Clock: cfg.Clock, Log: cfg.Logger,
		OnCommit: func(posts int) { s.metrics.imports.WithLabelValues("api").Add(float64(posts)) },
		// People or courses may have changed: xAPI statements waiting for
		// them may match now (docs/xapi.md).
		AfterRefresh: func(ctx context.Context) {
			if n, err := s.api.RematchStatements(ctx); err != nil {
				s.Log.Warn("xapi: looking at waiting statements again failed", "err", err)
			} else if n > 0 {
				s.Log.Info("xapi: waiting statements now match", "statements", n)
			}
		}})
	// Writes through this replica refresh the figures before they return,
	// and drop the credentials they take away from the cache.
	s.auth = newAuthCache(cfg.AuthCacheTTL)
	s.Core.Store = authStore{Store: s.Live.Store(), cache: s.auth}
	s.Accounts = &accounts.Service{Store: s.Core.Store, Now: s.Now, Hash: s.hashPassword, Check: s.checkPassword, Log: s.Log}
	s.Requests = s.newRequests()
	s.Registers = &registers.Service{Store: s.Core.Store, Data: s.Live.Dataset, Now: s.Now, Log: s.Log}
	s.api = api.NewHandler(s.Core)
	s.metrics.reg.MustRegister(newJobRunsCollector(cfg.Store), newOutboxCollector(cfg.Store, cfg.Clock))
	if df, ok := cfg.Jobs.(deliveryFailures); ok {
		s.metrics.reg.MustRegister(failuresCollector{src: df, desc: prometheus.NewDesc("muster_mail_failures_total",
			"Failed sends by this process, by class: relay (the relay as a whole), recipient (refused for good), deferred (4xx, retried), message (unusable).",
			[]string{"class"}, nil)})
	}
	s.echo = s.routes()
	return s, nil
}

// Handler returns the HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.echo }

// Store is the store as the server writes through it: roster writes
// refresh the live model, and account writes drop the credentials they
// take away from the server's cache. Code running inside the server's
// process (a forwarded CLI command) writes through it too.
func (s *Server) Store() training.Store { return s.Core.Store }

// Roster is the live read model as the jobs read it (jobs.Roster): the
// jobs plan from the model's roster instead of reading a copy of their
// own.
func (s *Server) Roster() jobs.Roster { return s.Live }

// Run listens on Config.Addr and serves until ctx is done, then shuts down
// gracefully: it stops accepting connections and waits for in-flight
// requests to finish (up to 30 seconds).
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("server: listen on %s: %w", s.cfg.Addr, err)
	}
	srv := s.httpServer(ctx, s.echo)
	if s.cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", s.cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("server: listen on %s (metrics): %w", s.cfg.MetricsAddr, err)
		}
		msrv := s.httpServer(ctx, s.MetricsHandler())
		go msrv.Serve(mln)
		defer msrv.Close()
		s.Log.Info("metrics listening", "addr", mln.Addr().String())
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	close(s.ready)
	s.Log.Info("listening", "addr", s.addr)

	tailCtx, stopTail := context.WithCancel(ctx)
	tailDone := make(chan struct{})
	go func() { defer close(tailDone); s.Live.Tail(tailCtx) }()
	defer func() { stopTail(); <-tailDone }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.Log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err = srv.Shutdown(sctx)
	// The tail stops before Close waits for the reloads it may start
	// (a reload started while Close waits would race with the wait).
	stopTail()
	<-tailDone
	s.Close()
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("server: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// httpServer is the net/http server of h with the configured timeouts.
// ReadTimeout bounds a whole request, body included, so a body trickled a
// byte at a time cannot hold a connection forever; upload routes extend
// their own deadline to UploadRead (bodyLimit).
func (s *Server) httpServer(ctx context.Context, h http.Handler) *http.Server {
	t := s.cfg.Timeouts
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}

// withDefaults returns v with its zero fields taken from def (structs of
// numbers only).
func withDefaults[T any](v, def T) T {
	rv, rd := reflect.ValueOf(&v).Elem(), reflect.ValueOf(def)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			rv.Field(i).Set(rd.Field(i))
		}
	}
	return v
}

// DefaultOneTimePasswordTTL is how long a generated password works.
const DefaultOneTimePasswordTTL = 72 * time.Hour

// Close releases what the server holds. Run calls it on the way out; call
// it after using Handler alone. Kept previews live in the store (so that
// any replica can confirm them) and expire there; nothing is left to remove
// but a reload of the live figures that may be running.
func (s *Server) Close() error {
	s.Live.Close()
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

// Jobs is what the web needs from jobs/ (implemented by *jobs.Scheduler).
type Jobs = web.Jobs

// Limits bound concurrent work per user and in total (web.Limits).
type Limits = web.Limits

// DefaultLimits are the limits of an unconfigured server.
func DefaultLimits() Limits { return web.DefaultLimits() }
