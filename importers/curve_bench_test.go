package importers_test

import (
	"testing"
	"time"

	"github.com/muster-police/muster/internal/curve"
)

// BenchmarkCurveImport imports a generated Excel roster (shared strings,
// 25 people a team: benchRoster) of each size of the cost curve into a
// fresh bolt store, end to end, each import in a child process of its own
// (childUsage), whose wall time is the op's and whose peak memory is
// peak-MB. scripts/curve.sh runs one size a process.
func BenchmarkCurveImport(b *testing.B) {
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			path := benchRoster(b, n)
			var peak, cpu float64
			var wall time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				p, c := childUsage(b, "import", path)
				wall += time.Since(start)
				peak, cpu = max(peak, p), cpu+c
			}
			b.StopTimer()
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(n)/(wall.Seconds()/float64(b.N)), "rows/s")
		})
	}
}
