package main

// The list mode (-mode list): M clients read the first page of a filtered
// officers list (overdue on one course, 100 a page) while N clients post
// single completions; in the same run the list reads are measured alone
// (the reference), and the posts are measured again with M clients
// reading one BCU's compliance JSON instead (the posts/s reference: what
// the posts manage beside a read that does not list people).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"github.com/muster-police/muster/training"
)

// listPath is the list read of mode list, for the load's date.
func listPath(cfg Config, asOf training.Date) string {
	if cfg.ListPath != "" {
		return cfg.ListPath
	}
	return "/api/v1/officers?course=" + url.QueryEscape(training.DefaultCourses()[0].ID) + "&status=overdue&limit=100&as_of=" + asOf.String()
}

func listTargets(ctx context.Context, st training.Store, client *http.Client, base string, ids []string, bcu string, asOf training.Date, cfg Config, name string, progress func(string)) ([]Result, error) {
	if err := createToken(ctx, st); err != nil {
		return nil, err
	}
	list := base + listPath(cfg, asOf)
	if err := get(client, list); err != nil {
		return nil, fmt.Errorf("list read warm-up: %w", err)
	}
	if total, err := listTotal(client, list); err == nil {
		progress(fmt.Sprintf("%s: the list %s holds %d people", name, listPath(cfg, asOf), total))
	}
	rcfg := cfg
	rcfg.Clients = cfg.Readers
	quiet := hammer(ctx, client, list, rcfg)
	quiet.Store, quiet.Target = name, "list-read"
	progress(fmt.Sprintf("%s: list read without writes: p99 %s", name, ms(quiet.P99)))

	during := func(read, target string) (Result, Result) {
		var posts Result
		var wg sync.WaitGroup
		wg.Go(func() { posts = postCompletions(ctx, client, base, tokenSecret, ids, asOf, cfg) })
		busy := hammer(ctx, client, read, rcfg)
		wg.Wait()
		busy.Store, busy.Target = name, target
		posts.Store, posts.Target = name, "post-completion"
		return busy, posts
	}
	busy, posts := during(list, "list-read+posts")
	if quiet.P99 > 0 {
		progress(fmt.Sprintf("%s: list read p99 during the posts / alone: %.2f×", name, float64(busy.P99)/float64(quiet.P99)))
	}
	bcuRead := base + "/api/v1/compliance?unit=" + url.QueryEscape(bcu) + "&as_of=" + asOf.String()
	if err := get(client, bcuRead); err != nil {
		return nil, fmt.Errorf("BCU read warm-up: %w", err)
	}
	bcuBusy, refPosts := during(bcuRead, "bcu-read+posts")
	refPosts.Target = "post(bcu-readers)"
	if refPosts.Throughput() > 0 {
		progress(fmt.Sprintf("%s: posts/s beside list readers / beside BCU readers: %.2f×", name, posts.Throughput()/refPosts.Throughput()))
	}
	progress(fmt.Sprintf("%s: process RSS after the run %s (server and load clients)", name, rss()))
	return []Result{quiet, busy, posts, bcuBusy, refPosts}, nil
}

// listTotal reads the list's total from its JSON.
func listTotal(c *http.Client, u string) (int, error) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return body.Total, nil
}
