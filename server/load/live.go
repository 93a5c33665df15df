package main

// The live mode (-mode live): N clients post single completions to
// POST /api/v1/completions, as learning platforms do, while M clients read
// one BCU's compliance JSON; the reads are measured first without writes,
// then during the posts, in the same run.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// liveTargets measures the BCU reads alone, then the posts with the reads.
// tokenSecret is the API token of user load that the live mode and
// -write-store create.
const tokenSecret = "mst_load-test-token-0123456789abcdef"

func createToken(ctx context.Context, st training.Store) error {
	sum := sha256.Sum256([]byte(tokenSecret))
	return st.CreateToken(ctx, training.Token{ID: "load-token", Hash: hex.EncodeToString(sum[:]), Name: "lms", Username: "load", Created: demo.Now()})
}

// writeForce writes the generated force, an admin "load" and its token
// into a new bolt file, to measure a real `muster serve` on it.
func writeForce(ctx context.Context, path string, cfg Config, out io.Writer) error {
	st, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	cs := demo.Force(1, cfg.Officers, cfg.Units, training.DateOf(demo.Now()))
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		return err
	}
	if err := st.CreateUser(ctx, training.User{Username: "load", Role: training.RoleAdmin, Created: demo.Now()}); err != nil {
		return err
	}
	if err := createToken(ctx, st); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d officers to %s; API token of user load: %s\n", len(cs.Officers), path, tokenSecret)
	return nil
}

func liveTargets(ctx context.Context, st training.Store, client *http.Client, base string, ids []string, bcu string, asOf training.Date, cfg Config, name string, progress func(string)) ([]Result, error) {
	secret := tokenSecret
	if err := createToken(ctx, st); err != nil {
		return nil, err
	}
	read := base + "/api/v1/compliance?unit=" + url.QueryEscape(bcu) + "&as_of=" + asOf.String()
	if err := get(client, read); err != nil {
		return nil, fmt.Errorf("BCU read warm-up: %w", err)
	}
	// The server's memory with the model loaded, idle: the generated
	// ChangeSet is gone by now, so the heap is the server's (and a few
	// idle clients').
	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	progress(fmt.Sprintf("%s: memory with the model loaded, after a GC: Go heap in use %d MiB, process RSS %s",
		name, mem.HeapInuse>>20, rss()))
	rcfg := cfg
	rcfg.Clients = cfg.Readers
	quiet := hammer(ctx, client, read, rcfg)
	quiet.Store, quiet.Target = name, "bcu-read"
	progress(fmt.Sprintf("%s: BCU %q read without writes: p99 %s", name, bcu, ms(quiet.P99)))

	var posts Result
	var wg sync.WaitGroup
	post, target := postCompletions, "post-completion"
	if cfg.Mode == "xapi" {
		post, target = postStatements, fmt.Sprintf("xapi-stmts/%d", cfg.Batch)
	}
	wg.Go(func() { posts = post(ctx, client, base, secret, ids, asOf, cfg) })
	busy := hammer(ctx, client, read, rcfg)
	wg.Wait()
	busy.Store, busy.Target = name, "bcu-read+posts"
	posts.Store, posts.Target = name, target
	if quiet.P99 > 0 {
		progress(fmt.Sprintf("%s: BCU read p99 during the posts / alone: %.2f×", name, float64(busy.P99)/float64(quiet.P99)))
	}
	if cfg.Mode == "xapi" {
		progress(fmt.Sprintf("%s: %.0f statements/s in batches of %d (requests counts statements; latencies are per batch)", name, posts.Throughput(), cfg.Batch))
	}
	progress(fmt.Sprintf("%s: process RSS after the run %s (server and load clients)", name, rss()))
	return []Result{quiet, busy, posts}, nil
}

// postCompletions runs cfg.Posters clients, each posting one completion
// per request (a random officer, course and recent date) for cfg.Duration.
func postCompletions(ctx context.Context, c *http.Client, base, secret string, ids []string, asOf training.Date, cfg Config) Result {
	courses := training.DefaultCourses()
	return postLoop(ctx, c, cfg, 9, 1, http.StatusCreated, func(rng *rand.Rand) *http.Request {
		body := fmt.Sprintf(`[{"officer_id":%q,"course":%q,"date":%q}]`, ids[rng.IntN(len(ids))],
			courses[rng.IntN(len(courses))].ID, asOf.AddDays(-rng.IntN(30)).String())
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/completions", bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		return req
	})
}

// postLoop runs cfg.Posters clients, each sending the requests next makes
// (from its own random source, seeded with seed) for cfg.Duration; a
// request is an error unless it answers want. The result counts items:
// each request carries perRequest of them (a batch); latencies are per request.
func postLoop(ctx context.Context, c *http.Client, cfg Config, seed uint64, perRequest, want int, next func(*rand.Rand) *http.Request) Result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(cfg.Duration)
	start := time.Now()
	pace := pacer(ctx, cfg.Rate)
	for p := range cfg.Posters {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(p), seed))
			var mine []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) && pace() {
				req := next(rng)
				t0 := time.Now()
				resp, err := c.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != want {
						err = fmt.Errorf("%s", resp.Status)
					}
				}
				if err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r := Result{Requests: (len(latencies) + int(errs.Load())) * perRequest, Errors: int(errs.Load()), Elapsed: time.Since(start)}
	summarise(&r, latencies)
	return r
}

// summarise fills r's percentiles from latencies.
func summarise(r *Result, latencies []time.Duration) {
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		i := int(p*float64(len(latencies))+0.5) - 1
		return latencies[min(max(i, 0), len(latencies)-1)]
	}
	r.P50, r.P90, r.P99 = pct(0.50), pct(0.90), pct(0.99)
	if len(latencies) > 0 {
		r.Max = latencies[len(latencies)-1]
	}
}

// rss is the process's resident memory (Linux), e.g. "412 MiB".
func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err == nil {
				return strconv.Itoa(kb>>10) + " MiB"
			}
		}
	}
	return "unknown"
}
