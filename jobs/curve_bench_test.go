package jobs_test

import (
	"runtime"
	"testing"

	"github.com/muster-police/muster/internal/curve"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkCurvePlanReminders plans a first reminder run (nobody reminded
// yet) at each size of the cost curve (scripts/curve.sh runs one size a
// process).
func BenchmarkCurvePlanReminders(b *testing.B) {
	asOf := training.DateOf(demo.Now())
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			ds := benchDataset(demo.Force(1, n, curve.Units(n), asOf))
			step := curve.Start(b)
			var plan *jobs.Plan
			for b.Loop() {
				plan = jobs.PlanReminders(ds, ds.Courses, asOf, jobs.DefaultPolicy(), nil)
			}
			b.ReportMetric(float64(plan.Counts.ToRemind), "reminders/op")
			step.Report(b)
			runtime.KeepAlive(ds)
		})
	}
}
