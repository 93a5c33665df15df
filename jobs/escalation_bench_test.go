package jobs_test

import (
	"testing"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkPlanEscalations compares the escalation step of a digests run
// with the line-digest planning it joins, on the 150,000-officer demo
// force with CSE escalating after 90 days: compare ns/op of the two in the
// same run (a ratio, not a time).
func BenchmarkPlanEscalations(b *testing.B) {
	ds := benchDataset(benchForce())
	ds.Courses[0].EscalateAfterDays = 90
	asOf := training.DateOf(demo.Now())
	users := unitManagers(ds)
	b.Run("line-digests", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jobs.PlanLineDigests(ds, asOf, "")
		}
	})
	b.Run("escalations", func(b *testing.B) {
		b.ReportAllocs()
		var esc jobs.Escalations
		for b.Loop() {
			esc = jobs.PlanEscalations(ds, users, asOf)
		}
		b.ReportMetric(float64(esc.People), "people/op")
		b.ReportMetric(float64(len(esc.Keys())), "keys/op")
	})
}

// unitManagers is a manager account for every unit above someone's.
func unitManagers(ds *training.Dataset) []training.User {
	units := map[string]bool{}
	for _, o := range ds.Officers {
		if p := training.UnitAbove(o.Unit); p != "" {
			units[p] = true
		}
	}
	var users []training.User
	for u := range units {
		users = append(users, training.User{Username: "m-" + u, Role: training.RoleManager, Email: "m@force.example", Units: []string{u}})
	}
	return users
}
