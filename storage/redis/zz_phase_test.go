package redis

import (
	"testing"
	"time"
)

func BenchmarkPhases(b *testing.B) {
	cs := benchForce()
	for range b.N {
		s := benchBackends()[1].open(b).(*Store)
		t0 := time.Now()
		var tl, ts time.Time
		s.afterStep = func(step string) {
			switch step {
			case "locked":
				tl = time.Now()
			case "staged":
				ts = time.Now()
			}
		}
		t1 := time.Now()
		f := officerFields(cs.Officers)
		b.Logf("encode officers alone %v (%d bytes first)", time.Since(t1), len(f[1]))
		t0 = time.Now()
		if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
			b.Fatal(err)
		}
		b.Logf("lock %v stage %v lua %v", tl.Sub(t0), ts.Sub(tl), time.Since(ts))
	}
}
