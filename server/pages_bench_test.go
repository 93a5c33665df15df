package server

import (
	"context"
	"net/http"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkDashboardPage renders the force-wide dashboard of a generated
// force of 150,000 officers in 2,000 units, once the first request has
// filled the caches (the steady state of a busy morning). The load
// generator in server/load measures the same page under 100 clients.
func BenchmarkDashboardPage(b *testing.B) {
	f := newWebFixture(b, false)
	cs := demo.Force(1, 150000, 2000, training.DateOf(webNow))
	ctx := context.Background()
	if _, err := f.store.ApplyChanges(ctx, cs); err != nil {
		b.Fatal(err)
	}
	// The snapshot job has run (it catches up at start): the trend shows.
	ds, err := f.store.Dataset(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for w := 4; w >= 0; w-- {
		r, err := training.BuildReport(ds, training.DateOf(webNow).AddDays(-7*w), training.ReportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.store.PutDailySnapshot(ctx, training.SnapshotOf(r)); err != nil {
			b.Fatal(err)
		}
	}
	c := f.login("admin")
	b.ResetTimer()
	for b.Loop() {
		resp, err := c.http.Get(f.http.URL + "/")
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET /: %d", resp.StatusCode)
		}
	}
}
