package live

import (
	"context"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// revisionStore answers only Revision: the benchmark's model is built in
// memory, and a list page asks the store for nothing else.
type revisionStore struct {
	training.Store
	rev int64
}

func (s revisionStore) Revision(context.Context) (int64, error) { return s.rev, nil }

// benchModel is a model of the generated force (150,000 officers in 2,000
// units), loaded in memory.
func benchModel(b *testing.B) (*Model, *training.Dataset) {
	b.Helper()
	today := training.DateOf(demo.Now())
	// The load tool's force and courses (the store's defaults).
	ds := demo.Dataset(demo.Force(1, 150000, 2000, today), training.DefaultCourses())
	ds.Revision = 1
	m := New(Config{Store: revisionStore{rev: ds.Revision}, Clock: demo.Now})
	m.ds, m.ix, m.lx = ds, training.NewIndex(ds, today), newListIndex(ds, today)
	return m, ds
}

// BenchmarkListPage150k is the first page (100) of the officers overdue
// on one course, at 150,000 officers: from the list index (for HR, and
// for a manager of one BCU, whose scope is a mask made per page), and,
// for reference in the same run, the whole list evaluated and sorted
// (training.ListOfficers) as every page was before the index.
func BenchmarkListPage150k(b *testing.B) {
	m, ds := benchModel(b)
	ctx := context.Background()
	f := training.OfficerFilter{Course: "cse-recognition", Status: training.StatusOverdue}
	asOf := training.DateOf(demo.Now())
	bcu := training.SplitUnit(ds.Officers["100000"].Unit)[0]
	for _, u := range []training.User{{Username: "hr", Role: training.RoleHR}, {Username: "mgr", Role: training.RoleManager, Units: []string{bcu}}} {
		b.Run("index/"+string(u.Role), func(b *testing.B) {
			for b.Loop() {
				page, err := m.List(ctx, ListRequest{User: u, Filter: f, AsOf: asOf, Limit: 100})
				if err != nil || len(page.Rows) != 100 {
					b.Fatal(len(page.Rows), err)
				}
			}
		})
	}
	b.Run("index/next-page-after-a-post", func(b *testing.B) {
		u := training.User{Username: "hr", Role: training.RoleHR}
		first, err := m.List(ctx, ListRequest{User: u, Filter: f, AsOf: asOf, Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			// What a completion post costs the index: one officer re-placed.
			m.mu.Lock()
			m.lx.apply(ds, []string{first.Rows[i%100].Officer.ID})
			m.mu.Unlock()
			i++
			page, err := m.List(ctx, ListRequest{User: u, Filter: f, AsOf: asOf, Limit: 100, Cursor: first.Next})
			if err != nil || len(page.Rows) != 100 {
				b.Fatal(len(page.Rows), err)
			}
		}
	})
	b.Run("reference/ListOfficers", func(b *testing.B) {
		f := f
		f.Scope = training.Scope{All: true}
		for b.Loop() {
			if list := training.ListOfficers(ds, asOf, f); len(list) < 100 {
				b.Fatal(len(list))
			}
		}
	})
}
