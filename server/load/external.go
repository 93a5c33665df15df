package main

// Running against a `muster serve` started elsewhere (-url), to measure
// that process's memory under a steady load: posts at -rate a second and
// reads at -read-rate, for -duration, as the README's "Memory of muster
// serve" does. The server's store is one written by -write-store (same
// -officers and -units), whose API token the clients send.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// bearer adds the load token to every request.
type bearer struct{ next http.RoundTripper }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+tokenSecret)
	return b.next.RoundTrip(r)
}

// externalLive posts single completions and reads one BCU's JSON against
// cfg.URL for cfg.Duration, at the configured rates.
func externalLive(ctx context.Context, cfg Config, progress func(string)) ([]Result, error) {
	asOf := training.DateOf(demo.Now())
	cs := demo.Force(1, cfg.Officers, cfg.Units, asOf)
	ids := make([]string, len(cs.Officers))
	for i, o := range cs.Officers {
		ids[i] = o.DisplayID
	}
	bcu := training.SplitUnit(cs.Officers[0].Unit)[0]
	cs = training.ChangeSet{}
	conns := cfg.Posters + cfg.Readers
	client := &http.Client{Timeout: time.Minute, Transport: bearer{&http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, IdleConnTimeout: time.Minute}}}
	read := cfg.URL + "/api/v1/compliance?unit=" + url.QueryEscape(bcu)
	if !cfg.ReadToday {
		read += "&as_of=" + asOf.String()
	}
	if err := get(client, read); err != nil {
		return nil, fmt.Errorf("BCU read warm-up: %w", err)
	}
	readDate := "on " + asOf.String()
	if cfg.ReadToday {
		readDate = "today"
	}
	progress(fmt.Sprintf("%s: posting at %g/s and reading %q %s at %g/s for %s", cfg.URL, cfg.Rate, bcu, readDate, cfg.ReadRate, cfg.Duration))
	rcfg := cfg
	rcfg.Clients = cfg.Readers
	var posts, reads Result
	done := make(chan struct{})
	go func() {
		defer close(done)
		reads = hammer(ctx, client, read, rcfg)
	}()
	posts = postCompletions(ctx, client, cfg.URL, tokenSecret, ids, asOf, cfg)
	<-done
	posts.Store, posts.Target = "external", "post-completion"
	reads.Store, reads.Target = "external", "bcu-read+posts"
	return []Result{reads, posts}, nil
}

// pacer returns a wait that lets through at most rate calls a second in
// all (rate ≤ 0: no limit).
func pacer(ctx context.Context, rate float64) func() bool {
	if rate <= 0 {
		return func() bool { return ctx.Err() == nil }
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	context.AfterFunc(ctx, tick.Stop)
	return func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
			return true
		}
	}
}
