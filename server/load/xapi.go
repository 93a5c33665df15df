package main

// The xapi mode (-mode xapi): N clients post batches of -batch xAPI
// statements (completed, by account name = officer ID, about a course by
// its title) to POST /xapi/statements with HTTP Basic and an API token,
// as an LRS forwarding statements does, while M clients read one BCU's
// compliance JSON; the reads are measured alone first, in the same run.

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// postStatements runs cfg.Posters clients, each posting batches of
// cfg.Batch statements for cfg.Duration. The result counts statements
// (so its throughput is statements per second); its latencies are those
// of whole batches.
func postStatements(ctx context.Context, c *http.Client, base, secret string, ids []string, asOf training.Date, cfg Config) Result {
	courses := training.DefaultCourses()
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("load:"+secret))
	return postLoop(ctx, c, cfg, 21, cfg.Batch, http.StatusOK, func(rng *mrand.Rand) *http.Request {
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
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/xapi/statements", strings.NewReader(b.String()))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Experience-API-Version", "1.0.3")
		return req
	})
}

func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
