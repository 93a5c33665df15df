package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// listUnits are unit paths whose subtrees are not one run in list order
// ("A / B C" and "A / B!" sort between "A / B" and "A / B / X").
var listUnits = []string{"A", "A / B", "A / B C", "A / B!", "A / B / X", "A / B / X / Y", "A / BB", "Z", "Z / Q"}

// listStore is a bolt store with n officers in listUnits (names repeat,
// so the ID decides some places; every 13th is a leaver; officers i and
// i+1 manage the ones at i*7, a reporting line across units) with
// completions of various ages, so that every status occurs.
func listStore(t testing.TB, n int) training.Store {
	t.Helper()
	st, rev := coursesStore(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Ann Smith", "Bob Jones", "Cat Smith", "Dan Brown", "Eve Stone", "Fay Smithson"}
	cs := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "seed", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}
	for i := range n {
		o := training.Officer{ID: fmt.Sprintf("P%04d", i), DisplayID: fmt.Sprintf("P%04d", i), Name: names[rng.IntN(len(names))],
			Unit: listUnits[rng.IntN(len(listUnits))], StartDate: training.DateFrom(2020, 1, 6),
			FirstSeen: training.DateFrom(2025, 1, 1), Leaver: i%13 == 12}
		if i%7 == 0 && i > 0 {
			o.LineManager = "P0003"
		}
		cs.Officers = append(cs.Officers, o)
		for _, c := range training.DefaultCourses() {
			if rng.IntN(4) > 0 {
				cs.Completions = append(cs.Completions, training.Completion{OfficerID: o.ID, CourseID: c.ID,
					Date: training.DateOf(testNow).AddDays(-rng.IntN(1400)), Source: training.Source{ImportID: "seed"}})
			}
		}
	}
	if _, err := st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	return st
}

// listFilters are the lists the tests walk.
var listFilters = []struct {
	f      training.OfficerFilter
	search string
}{
	{f: training.OfficerFilter{Course: "cse-recognition", Status: training.StatusOverdue}},
	{f: training.OfficerFilter{Status: training.StatusDueSoon}},
	{f: training.OfficerFilter{}},
	{f: training.OfficerFilter{Unit: "A / B"}},
	{f: training.OfficerFilter{Unit: "A / B", Course: "trauma-informed-communication", Status: training.StatusCompliant}},
	{f: training.OfficerFilter{Status: training.StatusNotRequired, Leavers: true}},
	{f: training.OfficerFilter{Leavers: true, Unit: "Z"}},
	{f: training.OfficerFilter{Course: "cse-recognition"}, search: "smith"},
}

// naive is the list computed from the Dataset alone: what every page
// must agree with (f without a scope: the whole force).
func naive(ds *training.Dataset, f training.OfficerFilter, search string) []training.OfficerStatus {
	if f.Scope.Empty() {
		f.Scope = training.Scope{All: true}
	}
	var out []training.OfficerStatus
	for _, os := range training.ListOfficers(ds, training.DateOf(testNow), f) {
		if training.MatchesSearch(os.Officer, search) {
			out = append(out, os)
		}
	}
	return out
}

// poster posts and takes back completions of random officers (those for
// which mine is true), moving them into and out of lists.
type poster struct {
	m    *Model
	rng  *rand.Rand
	ids  []string
	sent []training.Completion
}

func (p *poster) post(t testing.TB, n int) {
	var b Batch
	for range n {
		if len(p.sent) > 0 && p.rng.IntN(3) == 0 {
			i := p.rng.IntN(len(p.sent))
			b.Removed = append(b.Removed, p.sent[i])
			p.sent = slices.Delete(p.sent, i, i+1)
			continue
		}
		c := training.Completion{OfficerID: p.ids[p.rng.IntN(len(p.ids))], CourseID: training.DefaultCourses()[p.rng.IntN(2)].ID,
			Date: training.DateOf(testNow).AddDays(-p.rng.IntN(1200)), Source: training.Source{ImportID: "api-test", By: "test", At: testNow}}
		b.Completions = append(b.Completions, c)
		p.sent = append(p.sent, c)
	}
	if _, err := p.m.PostBatch(b); err != nil {
		t.Error(err)
	}
}

// TestListPagesWhilePosting walks every list with a cursor, forwards and
// back, posting completions between the pages: nobody is shown twice;
// everyone who stays in the list all along is shown; every row is the
// officer's fresh evaluation from the store's Dataset at that moment and
// is in the naive list then; the total is the naive list's length.
func TestListPagesWhilePosting(t *testing.T) {
	st := listStore(t, 400)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	admin := training.User{Username: "hr", Role: training.RoleHR}
	ds0, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range ds0.Officers {
			if !yield(id) {
				return
			}
		}
	})
	p := &poster{m: m, rng: rand.New(rand.NewPCG(3, 4)), ids: ids}
	for _, tc := range listFilters {
		for _, back := range []bool{false, true} {
			name := fmt.Sprintf("%+v/%q/back=%v", tc.f, tc.search, back)
			rq := ListRequest{User: admin, Filter: tc.f, Search: tc.search, AsOf: training.DateOf(testNow), Limit: 7, JSON: true}
			if back {
				// From past the end: the page before a key after everyone.
				rq.Cursor = &Cursor{Key: training.ListKey{Unit: "\U0010ffff"}, Back: true}
			}
			var always map[string]bool // in the naive list at every step
			shown := map[string]bool{}
			var lastKey *training.ListKey
			for step := 0; ; step++ {
				page, err := m.List(ctx, rq)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				ds, err := st.Dataset(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if page.Revision != ds.Revision {
					t.Fatalf("%s: page at revision %d, store at %d", name, page.Revision, ds.Revision)
				}
				want := naive(ds, tc.f, tc.search)
				if page.Total != len(want) {
					t.Errorf("%s step %d: total %d, naive %d", name, step, page.Total, len(want))
				}
				if len(page.Rows) > 0 {
					before := slices.IndexFunc(want, func(os training.OfficerStatus) bool { return os.Officer.ID == page.Rows[0].Officer.ID })
					if page.Before != before {
						t.Errorf("%s step %d: %d before the page, naive %d", name, step, page.Before, before)
					}
				}
				in := map[string]training.OfficerStatus{}
				for _, os := range want {
					in[os.Officer.ID] = os
				}
				if always == nil {
					always = map[string]bool{}
					for id := range in {
						always[id] = true
					}
				}
				for id := range always {
					if _, ok := in[id]; !ok {
						delete(always, id)
					}
				}
				if len(page.JSON) != len(page.Rows) {
					t.Fatalf("%s step %d: %d rows, %d in JSON", name, step, len(page.Rows), len(page.JSON))
				}
				for i, os := range page.Rows {
					// The kept JSON of a row is that of its fresh evaluation.
					if b, _ := json.Marshal(os); string(page.JSON[i]) != string(b) {
						t.Fatalf("%s step %d: kept JSON\n%s\nfresh\n%s", name, step, page.JSON[i], b)
					}
					id := os.Officer.ID
					if shown[id] {
						t.Fatalf("%s step %d: %s shown twice", name, step, id)
					}
					shown[id] = true
					if w, ok := in[id]; !ok || !reflect.DeepEqual(os, w) {
						t.Fatalf("%s step %d: row %+v, naive %+v (in list: %v)", name, step, os, w, ok)
					}
					k := training.ListKeyOf(os.Officer)
					if lastKey != nil && (k.Compare(*lastKey) <= 0) != back {
						t.Fatalf("%s step %d: %v after %v", name, step, k, *lastKey)
					}
				}
				if len(page.Rows) > 0 {
					// Within a page rows go forwards; between pages the
					// walk goes the way it goes.
					if back {
						lastKey = ptr(training.ListKeyOf(page.Rows[0].Officer))
					} else {
						lastKey = ptr(training.ListKeyOf(page.Rows[len(page.Rows)-1].Officer))
					}
				}
				next := page.Next
				if back {
					next = page.Prev
				}
				if next == nil {
					break
				}
				rq.Cursor = next
				p.post(t, 3)
			}
			for id := range always {
				if !shown[id] {
					t.Errorf("%s: %s was in the list all along but never shown", name, id)
				}
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// withAll is f for someone who sees the whole force.
func withAll(f training.OfficerFilter) training.OfficerFilter {
	f.Scope = training.Scope{All: true}
	return f
}

// TestListPagesConcurrentPosts walks lists while other goroutines post
// for half the officers: the other half, whose statuses never change,
// are each shown exactly once, as evaluated before the walk.
func TestListPagesConcurrentPosts(t *testing.T) {
	st := listStore(t, 400)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	ds0, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var moving, still []string
	for id := range ds0.Officers {
		if id[len(id)-1]%2 == 1 {
			moving = append(moving, id)
		} else {
			still = append(still, id)
		}
	}
	slices.Sort(moving)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 3 {
		p := &poster{m: m, rng: rand.New(rand.NewPCG(uint64(g), 9)), ids: moving}
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					p.post(t, 2)
				}
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	admin := training.User{Username: "hr", Role: training.RoleHR}
	for _, tc := range listFilters {
		want := map[string]training.OfficerStatus{}
		for _, os := range naive(ds0, tc.f, tc.search) {
			if slices.Contains(still, os.Officer.ID) {
				want[os.Officer.ID] = os
			}
		}
		rq := ListRequest{User: admin, Filter: tc.f, Search: tc.search, AsOf: training.DateOf(testNow), Limit: 5}
		shown := map[string]int{}
		for {
			page, err := m.List(ctx, rq)
			if err != nil {
				t.Fatal(err)
			}
			for _, os := range page.Rows {
				shown[os.Officer.ID]++
				if w, ok := want[os.Officer.ID]; ok && !reflect.DeepEqual(os, w) {
					t.Errorf("%+v: row %+v, want %+v", tc.f, os, w)
				}
				if f := tc.f; !withAll(f).Selects(os) {
					t.Errorf("%+v: row %+v is not in the list", tc.f, os)
				}
			}
			if page.Next == nil {
				break
			}
			rq.Cursor = page.Next
		}
		for id, n := range shown {
			if n != 1 {
				t.Errorf("%+v: %s shown %d times", tc.f, id, n)
			}
		}
		for id := range want {
			if shown[id] == 0 {
				t.Errorf("%+v: %s never shown", tc.f, id)
			}
		}
	}
}

// TestListManagerScope: a manager's pages hold exactly the naive list of
// their scope (their unit's subtree and reporting line), whatever the
// cursor: one crafted to sit on, or before, someone outside the scope
// leads to the same rows as an honest one; a unit outside is refused.
func TestListManagerScope(t *testing.T) {
	st := listStore(t, 300)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	mgr := training.User{Username: "mgr", Role: training.RoleManager, Units: []string{"A / B"}, OfficerID: "P0003"}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sc := training.ScopeFor(mgr, ds)
	if len(sc.Officers) == 0 {
		t.Fatal("the manager has no reporting line")
	}
	var outside []training.Officer
	for _, o := range ds.Officers {
		if !sc.Allows(o) {
			outside = append(outside, o)
		}
	}
	slices.SortFunc(outside, func(a, b training.Officer) int { return training.ListKeyOf(a).Compare(training.ListKeyOf(b)) })
	_, err = m.List(ctx, ListRequest{User: mgr, Filter: training.OfficerFilter{Unit: "Nowhere"}, AsOf: training.DateOf(testNow)})
	if !errors.Is(err, reports.ErrOutOfScope) {
		t.Errorf("a unit the manager does not see: %v, want out of scope", err)
	}
	for _, tc := range listFilters {
		if !reports.UnitVisible(sc, ds, tc.f.Unit) {
			t.Fatalf("unit %q is not the manager's", tc.f.Unit)
		}
		f := tc.f
		f.Scope = sc
		want := naive(ds, f, tc.search)
		var got []training.OfficerStatus
		rq := ListRequest{User: mgr, Filter: tc.f, Search: tc.search, AsOf: training.DateOf(testNow), Limit: 4}
		for {
			page, err := m.List(ctx, rq)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(want) {
				t.Errorf("%+v: total %d, want %d", tc.f, page.Total, len(want))
			}
			got = append(got, page.Rows...)
			if page.Next == nil {
				break
			}
			rq.Cursor = page.Next
		}
		if !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Errorf("%+v: %d rows, want %d", tc.f, len(got), len(want))
		}
		// Crafted cursors: on and around officers outside the scope, both ways.
		for i, o := range outside {
			if i%5 != 0 {
				continue
			}
			for _, back := range []bool{false, true} {
				k := training.ListKeyOf(o)
				page, err := m.List(ctx, ListRequest{User: mgr, Filter: tc.f, Search: tc.search, AsOf: training.DateOf(testNow), Limit: 6, Cursor: &Cursor{Key: k, Back: back}})
				if err != nil {
					t.Fatal(err)
				}
				for _, os := range page.Rows {
					if !sc.Allows(os.Officer) {
						t.Fatalf("cursor on %v (back %v): %s of %s shown to the manager", k, back, os.Officer.ID, os.Officer.Unit)
					}
				}
				// The same rows as the honest list from that place.
				var honest []training.OfficerStatus
				for _, os := range want {
					c := training.ListKeyOf(os.Officer).Compare(k)
					if !back && c > 0 || back && c < 0 {
						honest = append(honest, os)
					}
				}
				if back {
					honest = honest[max(len(honest)-6, 0):]
				} else {
					honest = honest[:min(len(honest), 6)]
				}
				if len(page.Rows)+len(honest) > 0 && !reflect.DeepEqual(page.Rows, honest) {
					t.Errorf("cursor on %v (back %v): %d rows, want %d", k, back, len(page.Rows), len(honest))
				}
			}
		}
	}
}

// TestListOtherDate: a list for a date that is not today is computed from
// a snapshot, paged the same way.
func TestListOtherDate(t *testing.T) {
	st := listStore(t, 120)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	asOf := training.DateOf(testNow).AddDays(-400)
	f := training.OfficerFilter{Course: "cse-recognition", Status: training.StatusCompliant}
	want := training.ListOfficers(ds, asOf, training.OfficerFilter{Course: f.Course, Status: f.Status, Scope: training.Scope{All: true}})
	var got []training.OfficerStatus
	rq := ListRequest{User: training.User{Role: training.RoleAdmin}, Filter: f, AsOf: asOf, Limit: 9}
	for {
		page, err := m.List(ctx, rq)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Rows...)
		if page.Next == nil {
			break
		}
		rq.Cursor = page.Next
	}
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
}

// TestEachListed streams a list in chunks while posts arrive: nobody
// twice, in list order.
func TestEachListed(t *testing.T) {
	st := listStore(t, 1200)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	p := &poster{m: m, rng: rand.New(rand.NewPCG(5, 6)), ids: []string{"P0001", "P0002", "P0005"}}
	var last *training.ListKey
	n := 0
	began := 0
	rows, err := m.EachListed(ctx, ListRequest{User: training.User{Role: training.RoleHR}, AsOf: training.DateOf(testNow)},
		func(courses []training.Course) error {
			if began++; len(courses) != 2 || n > 0 {
				t.Errorf("begin with %d courses after %d rows", len(courses), n)
			}
			return nil
		},
		func(os training.OfficerStatus) error {
			k := training.ListKeyOf(os.Officer)
			if last != nil && k.Compare(*last) <= 0 {
				t.Fatalf("%v after %v", k, *last)
			}
			last = &k
			if n++; n%exportChunk == 0 {
				p.post(t, 2)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := st.Dataset(ctx)
	if want := len(naive(ds, training.OfficerFilter{Scope: training.Scope{All: true}}, "")); n != want || rows != n || began != 1 {
		t.Fatalf("%d rows (%d counted, begun %d times), want %d", n, rows, began, want)
	}
}
