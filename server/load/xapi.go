package main

// The xapi mode (-mode xapi): N clients post batches of -batch xAPI
// statements (completed, by account name = officer ID, about a course by
// its title) to POST /xapi/statements with HTTP Basic and an API token,
// as an LRS forwarding statements does, while M clients read one BCU's
// compliance JSON; the reads are measured alone first, in the same run.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/muster-police/muster/training"
)

// postStatements runs cfg.Posters clients, each posting batches of
// cfg.Batch statements for cfg.Duration. The result counts statements
// (so its throughput is statements per second); its latencies are those
// of whole batches.
func postStatements(ctx context.Context, c *http.Client, base, secret string, ids []string, asOf training.Date, cfg Config) Result {
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		wg        sync.WaitGroup
		sent      atomic.Int64
	)
	courses := training.DefaultCourses()
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("load:"+secret))
	deadline := time.Now().Add(cfg.Duration)
	start := time.Now()
	for p := range cfg.Posters {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(uint64(p), 21))
			var mine []time.Duration
			for ctx.Err() == nil && time.Now().Before(deadline) {
				var b strings.Builder
				b.WriteByte('[')
				for i := range cfg.Batch {
					if i > 0 {
						b.WriteByte(',')
					}
					c := courses[rng.IntN(len(courses))]
					ts := asOf.AddDays(-rng.IntN(30)).Time().Add(12 * time.Hour).UTC().Format(time.RFC3339)
					fmt.Fprintf(&b, `{"id":%q,"actor":{"account":{"homePage":"https://lms.example","name":%q}},`+
						`"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en":"completed"}},`+
						`"object":{"id":"https://lms.example/course/%s","definition":{"name":{"en":%q}}},"timestamp":%q}`,
						uuid4(), ids[rng.IntN(len(ids))], c.ID, c.Title, ts)
				}
				b.WriteByte(']')
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/xapi/statements", bytes.NewBufferString(b.String()))
				req.Header.Set("Authorization", auth)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Experience-API-Version", "1.0.3")
				t0 := time.Now()
				resp, err := c.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s", resp.Status)
					}
				}
				if err != nil {
					errs.Add(1)
					continue
				}
				sent.Add(int64(cfg.Batch))
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r := Result{Requests: int(sent.Load()) + int(errs.Load())*cfg.Batch, Errors: int(errs.Load()), Elapsed: time.Since(start)}
	summarise(&r, latencies)
	return r
}

func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
