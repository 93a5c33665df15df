package main

// The static mode (-mode static): the force-wide compliance JSON as a
// browser asks for it (Accept-Encoding: gzip), from Muster and from a
// plain static server that sends the same compressed bytes from memory
// (as nginx's gzip_static does from disk), measured in the same run by
// the same clients. The ratio of their requests/s is what the service
// costs over sending a file. A second static server sends the same bytes
// with the headers Muster's answer carries (sameHeaders), which splits that
// cost between the headers and Muster's own work.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/muster-police/muster/training"
)

// staticRounds is how many turns each target of the static mode takes.
const staticRounds = 10

// fetchBody returns u's body as sent, asked for with Accept-Encoding enc.
func fetchBody(c *http.Client, u, enc string) ([]byte, error) {
	b, _, err := fetchAnswer(c, u, enc)
	return b, err
}

// fetchAnswer returns u's body as sent and its headers.
func fetchAnswer(c *http.Client, u, enc string) ([]byte, http.Header, error) {
	rq, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	rq.Header.Set("Accept-Encoding", enc)
	resp, err := c.Do(rq)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return b, resp.Header, err
}

// sameHeaders is a static handler that answers with body and the
// headers Muster sent with it (its security headers, Cache-Control, Vary,
// the request ID…; net/http adds Date), as a static server configured to
// send them (nginx's add_header) would: what answering costs the server
// and the client beyond the body, without Muster's own work.
func sameHeaders(muster http.Header, body []byte) http.HandlerFunc {
	fixed := muster.Clone()
	fixed.Del("Date")
	fixed.Set("Content-Length", strconv.Itoa(len(body)))
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range fixed {
			h[k] = v // shared, never modified in place
		}
		_, _ = w.Write(body)
	}
}

func staticTargets(ctx context.Context, client *http.Client, base string, asOf training.Date, cfg Config, name string, progress func(string)) ([]Result, error) {
	u := base + "/api/v1/compliance?as_of=" + asOf.String()
	t0 := time.Now()
	plain, err := fetchBody(client, u, "identity")
	if err != nil {
		return nil, err
	}
	progress(fmt.Sprintf("%s: first request (builds the cache) %s", name, time.Since(t0).Round(time.Millisecond)))
	gz, musterHeader, err := fetchAnswer(client, u, "gzip")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("the gzipped answer: %w", err)
	}
	if in, err := io.ReadAll(zr); err != nil || !bytes.Equal(in, plain) {
		return nil, fmt.Errorf("the gzipped answer does not inflate to the plain one (%v)", err)
	}
	zst, err := fetchBody(client, u, "zstd")
	if err != nil {
		return nil, err
	}
	progress(fmt.Sprintf("%s: force-wide JSON %d bytes plain, %d gzip (%.1f%%), %d zstd (%.1f%%)", name,
		len(plain), len(gz), 100*float64(len(gz))/float64(len(plain)), len(zst), 100*float64(len(zst))/float64(len(plain))))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	static := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Encoding", "gzip")
		h.Set("Vary", "Accept-Encoding")
		h.Set("Content-Length", strconv.Itoa(len(gz)))
		_, _ = w.Write(gz)
	}), ReadHeaderTimeout: 10 * time.Second}
	go pprof.Do(ctx, pprof.Labels("side", "static"), func(context.Context) { _ = static.Serve(ln) })
	defer static.Close()
	names := slices.Sorted(maps.Keys(musterHeader))
	progress(fmt.Sprintf("%s: Muster's answer has %d headers: %s", name, len(names), strings.Join(names, ", ")))
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	static2 := &http.Server{Handler: sameHeaders(musterHeader, gz), ReadHeaderTimeout: 10 * time.Second}
	go pprof.Do(ctx, pprof.Labels("side", "static-headers"), func(context.Context) { _ = static2.Serve(ln2) })
	defer static2.Close()

	cfg.AcceptEncoding = "gzip"
	targets := []struct{ target, url string }{
		{"static-gzip", "http://" + ln.Addr().String() + "/compliance.json"},
		{"static-headers", "http://" + ln2.Addr().String() + "/compliance.json"},
		{"muster-gzip", u},
	}
	for _, tg := range targets {
		if err := getEncoded(client, tg.url, "gzip"); err != nil {
			return nil, err
		}
	}
	// The targets take turns in staticRounds slices of the duration each
	// (static, Muster, static, …), so that a change in what else the
	// machine runs falls on both alike; one after the other, 10 s each,
	// the ratio moved by a third from run to run on a shared machine.
	rounds := staticRounds
	if cfg.Requests > 0 {
		rounds = 1
	}
	slice := cfg
	slice.Duration = cfg.Duration / time.Duration(rounds)
	lat := make([][]time.Duration, len(targets))
	results := make([]Result, len(targets))
	for range rounds {
		for i, tg := range targets {
			l, errs, took := hammerLatencies(ctx, client, tg.url, slice)
			lat[i] = append(lat[i], l...)
			results[i].Requests += len(l) + errs
			results[i].Errors += errs
			results[i].Elapsed += took
		}
	}
	for i, tg := range targets {
		results[i].Store, results[i].Target = name, tg.target
		summarise(&results[i], lat[i])
	}
	if m := results[len(results)-1].Throughput(); results[0].Throughput() > 0 && results[1].Throughput() > 0 {
		progress(fmt.Sprintf("%s: muster/static requests/s = %.2f; against a static server sending Muster's headers %.2f",
			name, m/results[0].Throughput(), m/results[1].Throughput()))
	}
	return results, nil
}
