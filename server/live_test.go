package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// complianceJSON returns GET /api/v1/compliance?unit=unit as hr.
func complianceJSON(t *testing.T, e *testEnv, unit string) string {
	t.Helper()
	return complianceJSONAs(t, e, "hr", unit)
}

func complianceJSONAs(t *testing.T, e *testEnv, who, unit string) string {
	t.Helper()
	rec := e.do(req{method: "GET", path: "/api/v1/compliance?unit=" + url.QueryEscape(unit), as: who})
	if rec.Code != 200 {
		t.Fatalf("compliance %q: %d %s", unit, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// builtJSON is the same report built from scratch from what the store holds.
func builtJSON(t *testing.T, st training.Store, unit string) string {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := training.BuildReport(ds, training.DateOf(testNow), training.ReportOptions{Unit: training.ParseUnit(unit)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rep)
	return string(b) + "\n"
}

// TestConcurrentSinglePosts: clients posting single completions at once
// all succeed (no conflicts), every completion is stored once with its
// own provenance, the posts of one client share one history entry, and
// the live figures equal a from-scratch build of what the store holds.
func TestConcurrentSinglePosts(t *testing.T) {
	e := newTestEnv(t)
	before := complianceJSON(t, e, "")
	officers := []string{"A1", "A2", "L1", "F1", "B1", "B2", "B3"}
	const clients, each = 4, 15
	var wg sync.WaitGroup
	for cl := range clients {
		wg.Go(func() {
			for i := range each {
				in := []api.CompletionInput{{OfficerID: officers[(cl*each+i)%len(officers)], Course: "cse-recognition",
					Date: training.DateOf(testNow).AddDays(-(cl*each + i)).String()}}
				rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)})
				if rec.Code != 201 {
					t.Errorf("client %d post %d: %d %s", cl, i, rec.Code, rec.Body)
				}
			}
		})
	}
	wg.Wait()
	for _, unit := range []string{"", "Alpha", "Alpha / Team 2", "Bravo"} {
		if got, want := complianceJSON(t, e, unit), builtJSON(t, e.st, unit); got != want {
			t.Errorf("unit %q: live figures differ from a fresh build:\nlive  %s\nbuilt %s", unit, got, want)
		}
	}
	if complianceJSON(t, e, "") == before {
		t.Error("the figures did not move")
	}
	// A manager of Alpha sees everyone in Alpha: the same figures; above
	// Alpha, only Alpha's officers count.
	for _, unit := range []string{"Alpha", "Alpha / Team 1"} {
		if got, want := complianceJSONAs(t, e, "mgr-a", unit), builtJSON(t, e.st, unit); got != want {
			t.Errorf("manager of Alpha, unit %q:\n got  %s\n want %s", unit, got, want)
		}
	}
	if got, all := complianceJSONAs(t, e, "mgr-a", ""), complianceJSON(t, e, ""); got == all || strings.Contains(got, "Bravo") {
		t.Errorf("manager of Alpha sees the force's figures: %s", got)
	}
	ds, err := e.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	group := api.GroupID("lms (token of hr)", testNow)
	for _, cs := range ds.Completions {
		for _, c := range cs {
			if c.Source.ImportID == group {
				n++
				if c.Source.By != "lms (token of hr)" || !c.Source.At.Equal(testNow) {
					t.Errorf("provenance %+v", c.Source)
				}
			}
		}
	}
	if n != clients*each {
		t.Errorf("%d completions stored from the posts, want %d", n, clients*each)
	}
	recs, err := e.st.Imports(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var api []training.ImportRecord
	for _, r := range recs {
		if r.Kind == training.ImportAPI {
			api = append(api, r)
		}
	}
	if len(api) != 1 || api[0].ID != group || api[0].Summary.Completions != clients*each {
		t.Errorf("history of the posts: %+v, want one entry %s of %d", api, group, clients*each)
	}
}

// gatedStore holds Dataset calls while its gate is closed.
type gatedStore struct {
	training.Store
	mu   sync.Mutex
	gate chan struct{} // nil: open
}

func (g *gatedStore) Dataset(ctx context.Context) (*training.Dataset, error) {
	g.mu.Lock()
	gate := g.gate
	g.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return g.Store.Dataset(ctx)
}

// TestReadsDoNotWaitForReload: after a write the change feed does not
// carry (here a course added behind the server's back, as another
// replica's import would be), reads go on with the old figures while the
// new ones are built, and get the new ones once built.
func TestReadsDoNotWaitForReload(t *testing.T) {
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := &gatedStore{Store: st}
	e := newTestEnvOn(t, g)
	old := complianceJSON(t, e, "Alpha")

	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
	if err := st.PutCourses(context.Background(), []training.Course{{ID: "new-course", Title: "New", DueWithinDays: 90, DueSoonDays: 30}}); err != nil {
		t.Fatal(err)
	}
	if got := complianceJSON(t, e, "Alpha"); got != old {
		t.Fatalf("while the reload waits, a read got other figures:\n%s", got)
	}
	close(g.gate)
	want := builtJSON(t, st, "Alpha")
	for deadline := time.Now().Add(10 * time.Second); ; {
		got := complianceJSON(t, e, "Alpha")
		if got == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new figures never came:\n got  %s\n want %s", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestReplicasSeeEachOthersPosts: two servers on one real redis-server;
// a completion posted through A reaches B's figures through the change
// feed (B is not asked anything meanwhile), and both show the same
// figures as a fresh build.
func TestReplicasSeeEachOthersPosts(t *testing.T) {
	st := openRedis(t, "redis://"+redistest.Start(t, "--save", "", "--appendonly", "no").Addr())
	a := newTestEnvOn(t, st)
	b := replica(t, a, 0)
	complianceJSON(t, b, "") // loads B's model
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); b.s.Live.Tail(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	for i, id := range []string{"B1", "A2", "B3"} {
		in := []api.CompletionInput{{OfficerID: id, Course: "cse-recognition", Date: fmt.Sprintf("2026-11-%02d", 10+i)}}
		rec := a.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)})
		if rec.Code != 201 {
			t.Fatalf("post on A: %d %s", rec.Code, rec.Body)
		}
		rev := decode[api.CompletionsResponse](t, rec).Revision
		start := time.Now()
		for b.s.Live.Revision() < rev {
			if time.Since(start) > 5*time.Second {
				t.Fatalf("B is at revision %d, not %d, 5 s after the post on A", b.s.Live.Revision(), rev)
			}
			time.Sleep(time.Millisecond)
		}
		t.Logf("post %d reached B after %v", i+1, time.Since(start))
	}
	want := builtJSON(t, st, "")
	for name, e := range map[string]*testEnv{"A": a, "B": b} {
		if got := complianceJSON(t, e, ""); got != want {
			t.Errorf("%s's figures differ from a fresh build:\n got  %s\n want %s", name, got, want)
		}
	}
}

// TestLiveFiguresOnTheSamples imports the four sample files through the
// server (as the samples' acceptance test does through the CLI, whose
// figures are checked against expected-2026-11-24.json), with completion
// posts in between, and checks after each step that the live compliance
// JSON of every unit is byte for byte a fresh BuildReport's.
func TestLiveFiguresOnTheSamples(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	complianceJSON(t, e, "") // the model is loaded before the imports
	steps := []struct {
		file string
		full bool
	}{{"1_roster_full.xlsx", true}, {"2_lms_export.csv", false}, {"3_legacy_export.csv", false}, {"4_roster_full_next_month.xlsx", true}}
	for i, st := range steps {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "samples", st.file))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.ImportFile(ctx, "hr", bytes.NewReader(data), int64(len(data)), st.file, web.ImportOptions{Full: st.full, Confirmed: true}); err != nil {
			t.Fatalf("%s: %v", st.file, err)
		}
		ds, err := e.st.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for id, o := range ds.Officers {
			if o.Active() {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		for j := range 3 {
			in := []api.CompletionInput{{OfficerID: ids[(i*7+j*13)%len(ids)], Course: "cse-recognition", Date: fmt.Sprintf("2026-10-%02d", 1+i*3+j)}}
			if rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)}); rec.Code != 201 {
				t.Fatalf("post: %d %s", rec.Code, rec.Body)
			}
		}
		var full training.Report
		if err := json.Unmarshal([]byte(builtJSON(t, e.st, "")), &full); err != nil {
			t.Fatal(err)
		}
		n := 0
		full.Walk(func(node *training.ReportNode) {
			n++
			if got, want := complianceJSON(t, e, node.Unit), builtJSON(t, e.st, node.Unit); got != want {
				t.Errorf("after %s, unit %q:\n live  %s\n built %s", st.file, node.Unit, got, want)
			}
		})
		t.Logf("%s: %d units", st.file, n)
		if n < 5 {
			t.Fatalf("after %s only %d units", st.file, n)
		}
	}
}
