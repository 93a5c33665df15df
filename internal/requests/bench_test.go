package requests_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// BenchmarkOpenCount is what the Requests link in the navigation costs a
// manager's page: a store holding 5,000 requests of which open are still
// waiting, and a roster of 10,000 people.
func BenchmarkOpenCount(b *testing.B) {
	for _, tc := range []struct {
		open   int
		cached bool // the scope from a cache, as the server's live model keeps it
	}{{0, false}, {200, false}, {200, true}} {
		open := tc.open
		b.Run(fmt.Sprintf("open=%d/cached-scope=%v", open, tc.cached), func(b *testing.B) {
			st, err := bolt.Open(filepath.Join(b.TempDir(), "m.db"), bolt.Options{Timeout: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			ctx := context.Background()
			now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			ds := &training.Dataset{Courses: training.DefaultCourses(), Officers: map[string]training.Officer{}}
			for i := range 10_000 {
				id := fmt.Sprint(i)
				ds.Officers[id] = training.Officer{ID: id, Unit: fmt.Sprintf("U%d / T%d", i%10, i%100), LineManager: "9999"}
			}
			for i := range 5_000 {
				created := now.AddDate(0, 0, -40) // lapsed
				if i < open {
					created = now
				}
				r := training.Request{ID: fmt.Sprintf("r%05d", i), Kind: training.RequestExtension, OfficerID: fmt.Sprint(i),
					CourseID: ds.Courses[0].ID, Reason: "Court", Deciders: []string{"sam"}, Created: created, State: training.RequestOpen}
				if err := st.CreateRequest(ctx, r); err != nil {
					b.Fatal(err)
				}
			}
			svc := &requests.Service{Store: st, Now: func() time.Time { return now },
				Dataset: func(context.Context) (*training.Dataset, error) { return ds, nil }}
			u := training.User{Username: "sam", Role: training.RoleManager, OfficerID: "9999", Units: []string{"U1"}}
			if tc.cached {
				scope := training.ScopeFor(u, ds)
				svc.Scope = func(training.User, *training.Dataset) training.Scope { return scope }
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := svc.OpenCount(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
