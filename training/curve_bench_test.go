package training_test

import (
	"runtime"
	"testing"

	"github.com/muster-police/muster/internal/curve"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkCurveBuildReport builds the force's figures (every unit, the
// demo's courses with their audiences) at each size of the cost curve
// (scripts/curve.sh runs one size a process).
func BenchmarkCurveBuildReport(b *testing.B) {
	asOf := training.DateFrom(2026, 11, 24)
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			ds := demoDataset(n, curve.Units(n), asOf, demo.Courses())
			step := curve.Start(b)
			for b.Loop() {
				if _, err := training.BuildReport(ds, asOf, training.ReportOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			step.Report(b)
			runtime.KeepAlive(ds)
		})
	}
}
