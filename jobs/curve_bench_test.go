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

// BenchmarkCurvePlanEscalations plans the escalations of a digests run at
// each size of the cost curve: CSE escalating after 90 days, a manager
// account for every unit with units below it (as BenchmarkPlanEscalations).
func BenchmarkCurvePlanEscalations(b *testing.B) {
	asOf := training.DateOf(demo.Now())
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			ds := benchDataset(demo.Force(1, n, curve.Units(n), asOf))
			ds.Courses[0].EscalateAfterDays = 90
			users := unitManagers(ds)
			step := curve.Start(b)
			var esc jobs.Escalations
			for b.Loop() {
				esc = jobs.PlanEscalations(ds, users, asOf)
			}
			b.ReportMetric(float64(esc.People), "people/op")
			step.Report(b)
			runtime.KeepAlive(ds)
		})
	}
}
