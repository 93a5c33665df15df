package live_test

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/curve"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkCurvePost posts one completion at a time (Model.Post: the
// store's transaction, fsync included, then the live figures) on a bolt
// store holding each size of the cost curve, with the live model loaded.
// Each op is one post for another person.
// scripts/curve.sh runs one size a process.
func BenchmarkCurvePost(b *testing.B) {
	now := demo.Now()
	asOf := training.DateOf(now)
	for _, n := range curve.Sizes() {
		b.Run(curve.Name(n), func(b *testing.B) {
			st, err := bolt.Open(filepath.Join(b.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			ctx := context.Background()
			if err := st.PutCourses(ctx, training.DefaultCourses()); err != nil {
				b.Fatal(err)
			}
			cs := demo.Force(1, n, curve.Units(n), asOf)
			if cs.BaseRevision, err = st.Revision(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := st.ApplyChanges(ctx, cs); err != nil {
				b.Fatal(err)
			}
			ids := make([]string, len(cs.Officers))
			for i, o := range cs.Officers {
				ids[i] = o.ID
			}
			cs = training.ChangeSet{}
			m := live.New(live.Config{Store: st, Clock: func() time.Time { return now }})
			defer m.Close()
			if err := m.Current(ctx); err != nil {
				b.Fatal(err)
			}
			if _, ok, err := m.ReportJSON(asOf, "", nil); err != nil || !ok {
				b.Fatalf("force-wide figures: ok=%v %v", ok, err)
			}
			group := training.ImportRecord{ID: "api-curve", Kind: training.ImportAPI, By: "lms", At: now, Outcome: training.OutcomeApplied,
				Summary: training.ImportSummary{Completions: 1}}
			step := curve.Start(b)
			i := 0
			for b.Loop() {
				c := training.Completion{OfficerID: ids[(i*7919)%len(ids)], CourseID: "cse-recognition", Date: asOf.AddDays(-(i % 300)),
					Source: training.Source{ImportID: group.ID, By: "lms", At: now}}
				if _, err := m.Post([]training.Completion{c}, group); err != nil {
					b.Fatal(err)
				}
				i++
			}
			step.Report(b)
			runtime.KeepAlive(m)
		})
	}
}
