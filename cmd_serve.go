package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/muster-police/muster/internal/accounts"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/training"
)

// serveFile is where a running `muster serve` on the embedded store says
// how a CLI can reach it: {"url": …, "token": …}, mode 0600.
const serveFile = "serve.json"

// serveInfo is the content of serve.json.
type serveInfo struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// App is `muster serve`: the store, the web server and the jobs, wired
// together. Tests start the same App on 127.0.0.1:0 with a temporary
// data directory.
type App struct {
	// Config is validated by the caller (serveCmd).
	Config Config
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// Clock is now for the server and the jobs (default time.Now).
	Clock func() time.Time
	// Out receives what the operator must see: the URL and a one-time
	// admin password.
	Out io.Writer
	// Demo loads a demo force into an empty store at start.
	Demo bool

	store  training.Store
	srv    *server.Server
	jobs   jobRunner
	token  string
	secret []byte
}

// jobRunner is the part of the scheduler the App drives.
type jobRunner interface {
	server.Jobs
	UseRoster(r jobs.Roster)
	Start(ctx context.Context) error
	Stop()
}

// Open opens the store and prepares everything Run serves: the secret,
// the first admin account, demo data when asked, the server and the jobs.
// On error nothing stays open.
func (a *App) Open(ctx context.Context) error {
	if a.Clock == nil {
		a.Clock = time.Now
	}
	if a.Out == nil {
		a.Out = io.Discard
	}
	if a.Logger == nil {
		a.Logger = slog.New(slog.DiscardHandler)
	}
	st, err := openStore(ctx, &a.Config, a.Logger)
	if err != nil {
		return err
	}
	a.store = st
	if err := a.prepare(ctx); err != nil {
		st.Close()
		a.store = nil
		return err
	}
	return nil
}

func (a *App) prepare(ctx context.Context) error {
	secret, err := storeSecret(ctx, &a.Config, a.store)
	if err != nil {
		return err
	}
	a.secret = secret
	if err := a.firstAdmin(ctx); err != nil {
		return err
	}
	if a.Demo {
		if err := a.loadDemo(ctx); err != nil {
			return err
		}
	}
	a.token = randomHex(32)
	jr, err := newJobs(a)
	if err != nil {
		return err
	}
	a.jobs = jr
	if a.Demo {
		if err := a.demoJobs(ctx, jr); err != nil {
			return err
		}
	}
	cfg := server.Config{
		Store: a.store, Logger: a.Logger, Clock: a.Clock,
		Addr: a.Config.Addr, BaseURL: a.Config.baseURL(), Secret: a.secret, LinkScope: a.Config.linkScope(),
		MaxUploadBytes: int64(a.Config.MaxUploadMB) << 20, CookieSecure: a.Config.CookieSecure,
		DemoAllowed: a.Demo, LocalToken: a.token, ExecCLI: a.execCLI, XAPIHomePage: a.Config.XAPIHomePage,
	}
	a.Config.serverSecurity(&cfg)
	a.Config.serverSSO(&cfg)
	cfg.Jobs = jr
	if a.Config.SMTP.Host == "" {
		cfg.MailDrop = a.Config.mailDir()
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	a.srv = srv
	// The jobs plan from the server's live model (one copy of the roster).
	jr.UseRoster(srv.Roster())
	return nil
}

// firstAdmin creates the admin account on a store without users, with
// MUSTER_ADMIN_PASSWORD or a printed one-time password.
func (a *App) firstAdmin(ctx context.Context) error {
	svc := &accounts.Service{Store: a.store, Now: a.Clock, Log: a.Logger}
	out, err := svc.FirstAdmin(ctx, a.Config.AdminPassword.reveal())
	switch {
	case err != nil || out.User.Username == "":
		return err
	case out.Password != "":
		fmt.Fprintf(a.Out, "Created the first account: user \"admin\", one-time password %s\n(shown once; you will be asked to change it at first login)\n", out.Password)
	default:
		fmt.Fprintln(a.Out, "Created the first account: user \"admin\" with the password in MUSTER_ADMIN_PASSWORD.")
	}
	return nil
}

// Run serves until ctx is done, then stops the jobs and the server
// gracefully. While it runs on the embedded store, serve.json lets the
// CLI forward commands to it.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Run(ctx) }()
	select {
	case <-a.srv.Ready():
	case err := <-errc:
		return err
	}
	if a.Config.RedisURL == "" {
		if err := a.writeServeFile(); err != nil {
			cancel()
			<-errc
			return err
		}
		defer os.Remove(filepath.Join(a.Config.DataDir, serveFile))
	}
	if a.jobs != nil {
		if err := a.jobs.Start(ctx); err != nil {
			cancel()
			<-errc
			return err
		}
	}
	fmt.Fprintf(a.Out, "Muster is running at %s (store: %s). Stop with Ctrl-C.\n", a.URL(), a.Config.storeName())
	if everyInterface(a.srv.Addr()) {
		fmt.Fprintf(a.Out, "WARNING: listening on EVERY network interface (%s): other machines can reach this service. Set MUSTER_ADDR=127.0.0.1:PORT to keep it on this machine.\n", a.Config.Addr)
	}
	err := <-errc
	if a.jobs != nil {
		a.jobs.Stop()
	}
	return err
}

// everyInterface reports whether a listen address accepts connections
// from other machines: no host, 0.0.0.0 or [::].
func everyInterface(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return host == "" || (ip != nil && ip.IsUnspecified())
}

// URL is where the running server answers on this machine.
func (a *App) URL() string {
	host, port, err := net.SplitHostPort(a.srv.Addr())
	if err != nil {
		return "http://" + a.srv.Addr()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// writeServeFile publishes the URL and the forwarding token, 0600.
func (a *App) writeServeFile() error {
	b, err := json.Marshal(serveInfo{URL: a.URL(), Token: a.token, PID: os.Getpid()})
	if err != nil {
		return err
	}
	path := filepath.Join(a.Config.DataDir, serveFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	return os.Rename(tmp, path)
}

// Close releases the store. Run must have returned.
func (a *App) Close() error {
	if a.store == nil {
		return nil
	}
	err := a.store.Close()
	a.store = nil
	return err
}

// execCLI runs a forwarded CLI command against this server's store
// (server.Config.ExecCLI). Output and errors both go to stdout: the
// response body.
func (a *App) execCLI(ctx context.Context, args []string, files map[string][]byte, stdout io.Writer) int {
	if len(args) == 0 {
		return usageError(stdout, "no command was forwarded")
	}
	cmd, ok := lookup(args[0])
	if !ok || !cmd.forward {
		return usageError(stdout, "%q cannot be run through the server", args[0])
	}
	if files == nil {
		files = map[string][]byte{}
	}
	// Account changes go through the server's store, so that they end the
	// credentials they take away at once (server.Server.Store).
	env := &cmdEnv{cfg: a.Config, store: a.store, accountStore: a.srv.Store(), log: a.Logger, now: a.Clock, files: files, by: "cli (forwarded)"}
	return cmd.run(ctx, env, args[1:], stdout, stdout)
}

// serveCmd parses serve's flags (every setting has one) and runs the App.
func serveCmd(ctx context.Context, cfg Config, args []string, sys system) int {
	fs := flagSet("serve", "[--demo] [flags]")
	cfg.register(fs)
	demoFlag := fs.Bool("demo", false, "load a made-up force of 3,000 officers into an empty store")
	pos, code, ok := parseFlags(fs, args, sys.stdout, sys.stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(sys.stderr, "serve: unexpected argument %q", pos[0])
	}
	if err := cfg.Validate(); err != nil {
		fail(sys.stderr, err)
		return exitUsage
	}
	level, _ := cfg.level()
	log := slog.New(slog.NewJSONHandler(sys.stderr, &slog.HandlerOptions{Level: level}))
	log.Info("starting", "config", cfg)
	app := &App{Config: cfg, Logger: log, Clock: sys.now, Out: sys.stdout, Demo: *demoFlag}
	if err := app.Open(ctx); err != nil {
		if isLocked(err) {
			err = fmt.Errorf("%s is in use by another muster process (is `muster serve` already running?)", cfg.dbPath())
		}
		fail(sys.stderr, err)
		return exitFail
	}
	defer app.Close()
	if path := sys.getenv("MUSTER_HEAP_PROFILE"); path != "" {
		go watchHeapPeak(ctx, path)
	}
	if err := app.Run(ctx); err != nil {
		fail(sys.stderr, err)
		return exitFail
	}
	log.Info("stopped")
	return exitOK
}

// randomHex returns n random bytes, hex-encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
