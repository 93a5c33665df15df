package importers_test

import (
	"testing"
	"time"

	"github.com/muster-police/muster/importers"

	"github.com/muster-police/muster/internal/curve"
)

// BenchmarkCurveImport imports a generated Excel roster (shared strings,
// 25 people a team: benchRoster) of each size of the cost curve into a
// fresh bolt store, end to end, each import in a child process of its own
// (childUsage), whose wall time is the op's and whose peak memory is
// peak-MB. scripts/curve.sh runs one size a process. A million people's
// roster is beyond an upload's default limits (50 MB, 500,000 rows), so
// the curve imports within curveLimits at every size.
// curveLimits admit the curve's largest roster (66 MB, a sheet of 430 MB
// unpacked); the checks made are the same as with the defaults.
var curveLimits = importers.Limits{MaxBytes: 1 << 30, MaxRows: 2_000_000, MaxUnzipBytes: 2 << 30}

func BenchmarkCurveImport(b *testing.B) {
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			path := benchRoster(b, n)
			var peak, cpu float64
			var wall time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				p, c := childUsage(b, "import-curve", path)
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
