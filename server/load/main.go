// Command load measures the web service under load on loopback: 100
// concurrent clients ask for the force-wide compliance JSON and the
// dashboard page of a generated force (150,000 officers in 2,000 units by
// default), on the bolt store and on Redis, and it prints throughput and
// latency percentiles.
//
//	go run ./server/load                      # bolt and Redis (redis-server on PATH or MUSTER_REDIS_URL)
//	go run ./server/load -stores bolt -duration 20s
//	go run ./server/load -mode live -posters 4 -readers 8   # reads of one BCU while single completions are posted
//	go run ./server/load -mode xapi -stores bolt -batch 100  # reads of one BCU while batches of xAPI statements are posted
//	go run ./server/load -mode static -stores bolt            # force-wide JSON gzipped, against a static server
//	go run ./server/load -mode list -stores bolt              # the first page of a filtered officers list while completions are posted
//
// Redis: MUSTER_REDIS_URL (or -redis-url) names a server to use (its keys
// go under a fresh prefix, removed afterwards is not attempted: use a
// scratch database); without it a private redis-server is started on a
// free port when one is installed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/muster-police/muster/internal/accounts"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/muster-police/muster/server"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// Config is one load run.
type Config struct {
	Officers, Units int
	Clients         int
	// Duration bounds each measurement; Requests, when > 0, bounds it by count instead.
	Duration time.Duration
	Requests int
	Stores   []string // "bolt", "redis"
	// Mode "live": Posters clients post single completions while Readers
	// clients read one BCU's compliance JSON.
	Mode             string
	Posters, Readers int
	// ListPath is the list read of mode "list" (default: the officers
	// API, overdue on the first course, 100 a page).
	ListPath string
	// Batch is the statements per request of mode "xapi".
	Batch int
	// AcceptEncoding, when set, is sent with every measured read and the
	// body is read as sent (mode static: gzip).
	AcceptEncoding string
	RedisURL       string
	Log            *slog.Logger
	// URL, when set, is a running `muster serve` on a -write-store store
	// to post to and read from (live mode; external.go); Rate and
	// ReadRate bound the posts and the reads a second (0: as fast as the
	// clients go).
	URL            string
	Rate, ReadRate float64
	// ReadToday, with URL, reads the BCU's figures for the server's today
	// (no as_of: what a dashboard reads, answered from the live index)
	// instead of the generated force's date (a past date to a server with
	// a real clock: each read after a post builds a report from a copy of
	// the model).
	ReadToday bool
}

// Result is one target on one store.
type Result struct {
	Store, Target string
	Requests      int
	Errors        int
	Elapsed       time.Duration
	P50, P90, P99 time.Duration
	Max           time.Duration
}

// Throughput is requests per second.
func (r Result) Throughput() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	cfg := Config{}
	stores := fs.String("stores", "bolt,redis", "stores to measure, comma-separated (bolt, redis)")
	fs.IntVar(&cfg.Officers, "officers", 150000, "officers in the generated force")
	fs.IntVar(&cfg.Units, "units", 2000, "teams in the generated force")
	fs.IntVar(&cfg.Clients, "clients", 100, "concurrent clients")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to measure each target")
	fs.IntVar(&cfg.Requests, "requests", 0, "measure this many requests per target instead of for -duration")
	fs.StringVar(&cfg.RedisURL, "redis-url", os.Getenv("MUSTER_REDIS_URL"), "Redis to use (default: start a private redis-server)")
	fs.StringVar(&cfg.AcceptEncoding, "accept-encoding", "", "Accept-Encoding of the measured reads (e.g. identity, gzip, zstd); default: the Go client's gzip, inflated by the load clients on this same machine")
	fs.StringVar(&cfg.Mode, "mode", "read", "read: the force-wide JSON and the dashboard; live: one BCU's JSON read while single completions are posted; xapi: the same while batches of xAPI statements are posted; static: the force-wide JSON gzipped, against a plain static server sending the same bytes and one sending them with Muster's headers; list: the first page of a filtered officers list read while single completions are posted")
	fs.IntVar(&cfg.Posters, "posters", 4, "live mode: clients posting single completions")
	fs.IntVar(&cfg.Readers, "readers", 8, "live and xapi modes: clients reading one BCU's compliance JSON")
	fs.StringVar(&cfg.ListPath, "list-path", "", "list mode: the list read (default /api/v1/officers?course=<first course>&status=overdue&limit=100)")
	fs.IntVar(&cfg.Batch, "batch", 100, "xapi mode: statements per POST /xapi/statements")
	writeStore := fs.String("write-store", "", "only write the generated force, user load and its API token (see live.go) into a new bolt file at this path, and exit (to measure `muster serve` on it)")
	fs.StringVar(&cfg.URL, "url", "", "live mode: post to and read from this running `muster serve` (on a -write-store store) instead of a server of its own")
	fs.Float64Var(&cfg.Rate, "rate", 0, "live mode: posts a second in all (0: as fast as the posters go)")
	fs.BoolVar(&cfg.ReadToday, "read-today", false, "live mode with -url: read the BCU's figures for the server's today (what a dashboard reads) instead of the generated force's date")
	fs.Float64Var(&cfg.ReadRate, "read-rate", 0, "live mode: reads a second in all while posting (0: as fast as the readers go)")
	verbose := fs.Bool("v", false, "log the server's warnings")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Stores = strings.Split(*stores, ",")
	if *writeStore != "" {
		return writeForce(ctx, *writeStore, cfg, out)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg.Log = slog.New(slog.DiscardHandler)
	if *verbose {
		cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	fmt.Fprintf(out, "machine: %d CPUs (%s), GOMAXPROCS %d, %s/%s\n", runtime.NumCPU(), cpuModel(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
	if cfg.Mode == "live" || cfg.Mode == "xapi" || cfg.Mode == "list" {
		fmt.Fprintf(out, "force: %d officers in %d units; %d posting clients, %d reading clients; ", cfg.Officers, cfg.Units, cfg.Posters, cfg.Readers)
	} else {
		fmt.Fprintf(out, "force: %d officers in %d units; %d clients; ", cfg.Officers, cfg.Units, cfg.Clients)
	}
	if cfg.Requests > 0 {
		fmt.Fprintf(out, "%d requests per target\n", cfg.Requests)
	} else {
		fmt.Fprintf(out, "%s per target\n", cfg.Duration)
	}
	if cfg.URL != "" {
		results, err := externalLive(ctx, cfg, func(s string) { fmt.Fprintln(out, s) })
		printResults(out, results)
		return err
	}
	results, err := Measure(ctx, cfg, func(s string) { fmt.Fprintln(out, s) })
	printResults(out, results)
	return err
}

func printResults(out io.Writer, results []Result) {
	if len(results) == 0 {
		return
	}
	fmt.Fprintf(out, "\n%-6s %-16s %9s %7s %10s %9s %9s %9s %9s\n", "store", "target", "requests", "errors", "req/s", "p50", "p90", "p99", "max")
	for _, r := range results {
		fmt.Fprintf(out, "%-6s %-16s %9d %7d %10.0f %9s %9s %9s %9s\n", r.Store, r.Target, r.Requests, r.Errors, r.Throughput(),
			ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
	}
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

// Measure runs the load against each store in turn.
func Measure(ctx context.Context, cfg Config, progress func(string)) ([]Result, error) {
	if cfg.Clients < 1 {
		cfg.Clients = 1
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	var results []Result
	for _, name := range cfg.Stores {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		rs, err := measureStore(ctx, cfg, name, progress)
		results = append(results, rs...)
		if err != nil {
			return results, fmt.Errorf("%s: %w", name, err)
		}
	}
	return results, nil
}

func measureStore(ctx context.Context, cfg Config, name string, progress func(string)) ([]Result, error) {
	st, closeStore, err := openStore(ctx, cfg, name)
	if err != nil {
		return nil, err
	}
	defer closeStore()

	start := time.Now()
	asOf := training.DateOf(demo.Now())
	cs := demo.Force(1, cfg.Officers, cfg.Units, asOf)
	if rev, err := st.Revision(ctx); err == nil {
		cs.BaseRevision = rev
	}
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		return nil, fmt.Errorf("loading the force: %w", err)
	}
	if err := demo.PutTrend(ctx, st, asOf, 4); err != nil {
		return nil, err
	}
	const password = "load-test-password-1"
	hash, err := accounts.HashPassword(password)
	if err != nil {
		return nil, err
	}
	if err := st.CreateUser(ctx, training.User{Username: "load", Role: training.RoleAdmin, PasswordHash: hash, Created: demo.Now()}); err != nil {
		return nil, err
	}
	progress(fmt.Sprintf("%s: loaded %d officers in %s", name, len(cs.Officers), time.Since(start).Round(time.Millisecond)))

	srv, err := server.New(server.Config{Store: st, Logger: cfg.Log, Clock: demo.Now, Addr: "127.0.0.1:0",
		BaseURL: "http://127.0.0.1", Secret: []byte("load-test-secret-0123456789")})
	if err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	// The service's goroutines (its listener's, and so every connection's)
	// carry the label side=muster in a CPU profile (-cpuprofile), so that
	// `go tool pprof -tagfocus side=muster` gives its share of the run.
	go pprof.Do(runCtx, pprof.Labels("side", "muster"), func(runCtx context.Context) { done <- srv.Run(runCtx) })
	defer func() {
		stop()
		<-done
	}()
	select {
	case <-srv.Ready():
	case err := <-done:
		return nil, err
	}
	base := "http://" + srv.Addr()

	client, err := signIn(base, "load", password, max(cfg.Clients, cfg.Posters+cfg.Readers))
	if err != nil {
		return nil, err
	}
	if cfg.Mode == "static" {
		return staticTargets(ctx, client, base, asOf, cfg, name, progress)
	}
	if cfg.Mode == "live" || cfg.Mode == "xapi" || cfg.Mode == "list" {
		ids := make([]string, len(cs.Officers))
		for i, o := range cs.Officers {
			ids[i] = o.DisplayID
		}
		bcu := training.SplitUnit(cs.Officers[0].Unit)[0]
		cs = training.ChangeSet{} // let the generated force go before measuring memory
		if cfg.Mode == "list" {
			return listTargets(ctx, st, client, base, ids, bcu, asOf, cfg, name, progress)
		}
		return liveTargets(ctx, st, client, base, ids, bcu, asOf, cfg, name, progress)
	}
	targets := []struct{ name, path string }{
		{"compliance-json", "/api/v1/compliance?as_of=" + asOf.String()},
		{"dashboard-page", "/?as_of=" + asOf.String()},
	}
	var results []Result
	for _, tg := range targets {
		// The first request builds the cached report; it is not measured.
		t0 := time.Now()
		if err := get(client, base+tg.path); err != nil {
			return results, fmt.Errorf("%s warm-up: %w", tg.name, err)
		}
		progress(fmt.Sprintf("%s: %s first request (builds the cache) %s", name, tg.name, time.Since(t0).Round(time.Millisecond)))
		r := hammer(ctx, client, base+tg.path, cfg)
		r.Store, r.Target = name, tg.name
		results = append(results, r)
	}
	return results, nil
}

// signIn logs in through the login form; the clients share the session cookie.
func signIn(base, user, password string, conns int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}
	c := &http.Client{Jar: jar, Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"username": {user}, "password": {password}, "next": {"/"}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		return nil, fmt.Errorf("login: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	return c, nil
}

func get(c *http.Client, u string) error { return getEncoded(c, u, "") }

// getEncoded asks for u with Accept-Encoding enc ("": the transport's own
// gzip, inflated on receipt); with enc set the body is read as sent.
func getEncoded(c *http.Client, u, enc string) error {
	rq, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if enc != "" {
		rq.Header.Set("Accept-Encoding", enc)
	}
	resp, err := c.Do(rq)
	if err != nil {
		return err
	}
	if want := strings.TrimPrefix(enc, "identity"); enc != "" && resp.Header.Get("Content-Encoding") != want {
		resp.Body.Close()
		return fmt.Errorf("GET %s: Content-Encoding %q, want %q", u, resp.Header.Get("Content-Encoding"), enc)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}

// hammer runs cfg.Clients clients against u until the duration or the
// request count is reached, and summarises the latencies.
func hammer(ctx context.Context, c *http.Client, u string, cfg Config) Result {
	latencies, errs, elapsed := hammerLatencies(ctx, c, u, cfg)
	r := Result{Requests: len(latencies) + errs, Errors: errs, Elapsed: elapsed}
	summarise(&r, latencies)
	return r
}

// hammerLatencies is hammer's measurement: each good request's latency,
// the failed requests and the time taken.
func hammerLatencies(ctx context.Context, c *http.Client, u string, cfg Config) ([]time.Duration, int, time.Duration) {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(cfg.Duration)
	next := make(chan struct{}, cfg.Clients)
	if cfg.Requests > 0 {
		next = make(chan struct{}, cfg.Requests)
		for range cfg.Requests {
			next <- struct{}{}
		}
		close(next)
	}
	start := time.Now()
	pace := pacer(ctx, cfg.ReadRate)
	for range cfg.Clients {
		wg.Add(1)
		go pprof.Do(ctx, pprof.Labels("side", "client", "url", u), func(ctx context.Context) {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				if cfg.Requests > 0 {
					if _, ok := <-next; !ok {
						break
					}
				} else if time.Now().After(deadline) || !pace() {
					break
				}
				t0 := time.Now()
				err := getEncoded(c, u, cfg.AcceptEncoding)
				d := time.Since(t0)
				if err != nil {
					bad++
					continue
				}
				mine = append(mine, d)
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return latencies, errs, time.Since(start)
}

// openStore opens a fresh store of the named kind and returns its closer.
func openStore(ctx context.Context, cfg Config, name string) (training.Store, func(), error) {
	switch name {
	case "bolt":
		dir, err := os.MkdirTemp("", "muster-load-")
		if err != nil {
			return nil, nil, err
		}
		st, err := bolt.Open(filepath.Join(dir, "muster.db"), bolt.Options{Logger: cfg.Log})
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return st, func() { st.Close(); os.RemoveAll(dir) }, nil
	case "redis":
		u := cfg.RedisURL
		stopRedis := func() {}
		if u == "" {
			var err error
			if u, stopRedis, err = startRedis(cfg.Mode == "live" || cfg.Mode == "list"); err != nil {
				return nil, nil, err
			}
		}
		prefix := "muster-load-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		st, err := redis.Open(ctx, u, redis.Options{Prefix: prefix, Logger: cfg.Log})
		if err != nil {
			stopRedis()
			return nil, nil, err
		}
		return st, func() { st.Close(); stopRedis() }, nil
	}
	return nil, nil, fmt.Errorf("unknown store %q (bolt or redis)", name)
}

// ErrNoRedis means neither MUSTER_REDIS_URL nor redis-server is available.
var ErrNoRedis = errors.New("no Redis: set MUSTER_REDIS_URL or install redis-server")

// startRedis starts a private redis-server on a free port: not persistent,
// or, when durable, with an append-only file synced on every write
// (appendfsync always), so that an acknowledged post is on disk.
func startRedis(durable bool) (string, func(), error) {
	exe, err := exec.LookPath("redis-server")
	if err != nil {
		return "", nil, ErrNoRedis
	}
	dir, err := os.MkdirTemp("", "muster-load-redis-")
	if err != nil {
		return "", nil, err
	}
	args := []string{"--save", "", "--appendonly", "no"}
	if durable {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	}
	// The tests' starter: a free port, taken again if another process
	// binds it first, and a check that the server answering is this one.
	srv := redistest.New(exe, dir, args...)
	if err := srv.Start(); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	stop := func() {
		srv.Stop()
		os.RemoveAll(dir)
	}
	return "redis://" + srv.Addr() + "/0", stop, nil
}

// cpuModel reads the CPU model name (Linux), for the report.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
