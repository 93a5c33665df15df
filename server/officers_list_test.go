package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/server/api"
	"github.com/muster-police/muster/training"
)

// listEnvs runs fn on a server on bolt and on one on Redis, each with n
// more officers than the seed (in Alpha / Team 3, Alpha / Team 4 and
// Bravo / Team 7; a third with a recent CSE completion, a third with an
// expired one, the rest with none), added before the model first loads.
func listEnvs(t *testing.T, n int, fn func(t *testing.T, e *testEnv)) {
	stores := auditStores() // the product's two backends (and miniredis, not used here)
	for _, name := range []string{"bolt", "redis"} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnvOn(t, stores[name](t))
			ctx := context.Background()
			rev, err := e.st.Revision(ctx)
			if err != nil {
				t.Fatal(err)
			}
			cs := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "more", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}
			units := []string{"Alpha / Team 3", "Alpha / Team 4", "Bravo / Team 7"}
			names := []string{"Pat Doe", "Sam Roe", "Kim Poe"}
			for i := range n {
				id := fmt.Sprintf("N%04d", i)
				cs.Officers = append(cs.Officers, training.Officer{ID: id, DisplayID: id, Name: names[i%len(names)], Unit: units[(i/3)%len(units)],
					StartDate: training.DateFrom(2020, 1, 6), FirstSeen: training.DateFrom(2025, 1, 1)})
				switch i % 3 {
				case 0:
					cs.Completions = append(cs.Completions, training.Completion{OfficerID: id, CourseID: "cse-recognition", Date: training.DateOf(testNow).AddDays(-30)})
				case 1:
					cs.Completions = append(cs.Completions, training.Completion{OfficerID: id, CourseID: "cse-recognition", Date: training.DateFrom(2021, 5, 1)})
				}
			}
			if _, err := e.st.ApplyChanges(ctx, cs); err != nil {
				t.Fatal(err)
			}
			fn(t, e)
		})
	}
}

// officersPage is GET /api/v1/officers as the API answers it, rows raw.
type officersPage struct {
	Total      int               `json:"total"`
	Officers   []json.RawMessage `json:"officers"`
	NextCursor string            `json:"next_cursor"`
	PrevCursor string            `json:"prev_cursor"`
}

func getOfficers(t *testing.T, e *testEnv, who, query string) officersPage {
	t.Helper()
	rec := e.do(req{method: "GET", path: "/api/v1/officers?" + query, as: who})
	if rec.Code != 200 {
		t.Fatalf("officers?%s as %s: %d %s", query, who, rec.Code, rec.Body)
	}
	var p officersPage
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// naiveRows is the list evaluated from what the store holds now, each row
// as the API encodes it, by officer ID, and in order.
func naiveRows(t *testing.T, e *testEnv, f training.OfficerFilter) (map[string]string, []string) {
	t.Helper()
	ds, err := e.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	var order []string
	for _, os := range training.ListOfficers(ds, training.DateOf(testNow), f) {
		b, _ := json.Marshal(os)
		rows[os.Officer.ID] = string(b)
		order = append(order, os.Officer.ID)
	}
	return rows, order
}

func rowID(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var os training.OfficerStatus
	if err := json.Unmarshal(raw, &os); err != nil {
		t.Fatal(err)
	}
	return os.Officer.ID
}

// TestOfficersAPIPagesWhilePosting walks the overdue list with the API's
// cursors, forwards and then back, while completions are posted through
// the API between pages (moving people out of it): nobody is shown twice,
// everyone overdue all along is shown, every row is the officer's fresh
// evaluation from the store, and the total is the fresh list's length.
func TestOfficersAPIPagesWhilePosting(t *testing.T) {
	listEnvs(t, 240, func(t *testing.T, e *testEnv) {
		f := training.OfficerFilter{Course: "cse-recognition", Status: training.StatusOverdue, Scope: training.Scope{All: true}}
		query := "course=cse-recognition&status=overdue&limit=9"
		_, start := naiveRows(t, e, f)
		rng := rand.New(rand.NewPCG(7, 8))
		for _, back := range []bool{false, true} {
			always := map[string]bool{}
			for _, id := range start {
				always[id] = true
			}
			shown := map[string]bool{}
			cursor := ""
			if back {
				// The last page: walk forward to it without posting.
				for p := getOfficers(t, e, "hr", query); p.NextCursor != ""; p = getOfficers(t, e, "hr", query+"&cursor="+p.NextCursor) {
					cursor = p.NextCursor
				}
			}
			for step := 0; ; step++ {
				q := query
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				p := getOfficers(t, e, "hr", q)
				fresh, order := naiveRows(t, e, f)
				if p.Total != len(order) {
					t.Errorf("back=%v step %d: total %d, fresh %d", back, step, p.Total, len(order))
				}
				for id := range always {
					if _, ok := fresh[id]; !ok {
						delete(always, id)
					}
				}
				for _, raw := range p.Officers {
					id := rowID(t, raw)
					if shown[id] {
						t.Fatalf("back=%v step %d: %s shown twice", back, step, id)
					}
					shown[id] = true
					if fresh[id] != string(raw) {
						t.Fatalf("back=%v step %d: row\n%s\nfresh\n%s", back, step, raw, fresh[id])
					}
				}
				cursor = p.NextCursor
				if back {
					cursor = p.PrevCursor
				}
				if cursor == "" {
					break
				}
				// Two officers complete CSE (one perhaps on this page).
				var in []api.CompletionInput
				for range 2 {
					id := order[rng.IntN(len(order))]
					in = append(in, api.CompletionInput{OfficerID: id, Course: "cse-recognition", Date: training.DateOf(testNow).AddDays(-1).String()})
				}
				if rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)}); rec.Code != 201 {
					t.Fatalf("post: %d %s", rec.Code, rec.Body)
				}
			}
			if len(always) < 20 {
				t.Fatalf("back=%v: only %d stayed in the list: the walk proves little", back, len(always))
			}
			for id := range always {
				if !shown[id] {
					t.Errorf("back=%v: %s was overdue all along but never shown", back, id)
				}
			}
		}
	})
}

// TestOfficersAPICursorRefused: a cursor cut short, made up, or made for
// another list, date or user is a 400 that says what to do.
func TestOfficersAPICursorRefused(t *testing.T) {
	e := newTestEnv(t)
	p := getOfficers(t, e, "hr", "limit=2")
	if p.NextCursor == "" {
		t.Fatal("no next cursor")
	}
	next := url.QueryEscape(p.NextCursor)
	for _, tc := range []struct{ who, query, want string }{
		{"hr", "limit=2&cursor=" + next[:len(next)-3], "not one this list gave out"},
		{"hr", "limit=2&cursor=bm90IGEgY3Vyc29y", "not one this list gave out"},
		{"hr", "limit=2&cursor=!!!", "not one this list gave out"},
		{"hr", "limit=2&status=overdue&cursor=" + next, "another list"},
		{"admin", "limit=2&cursor=" + next, "another list"},
		{"hr", "limit=2&as_of=2026-11-01&cursor=" + next, "as of 2026-11-24, not 2026-11-01"},
	} {
		rec := e.do(req{method: "GET", path: "/api/v1/officers?" + tc.query, as: tc.who})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s %s: %d %s, want 400 saying %q", tc.who, tc.query, rec.Code, rec.Body, tc.want)
		}
	}
	// The cursor itself works.
	if p2 := getOfficers(t, e, "hr", "limit=2&cursor="+next); len(p2.Officers) != 2 || p2.PrevCursor == "" {
		t.Errorf("next page: %+v", p2)
	}
}

// TestOfficersAPIManagerCursor: a manager's pages hold exactly their
// scope's list; a cursor sealed by the server but placed on an officer
// outside the scope (as a forged one would be) still shows only the
// manager's people.
func TestOfficersAPIManagerCursor(t *testing.T) {
	listEnvs(t, 60, func(t *testing.T, e *testEnv) {
		for _, who := range []string{"mgr-a", "mgr-two", "mgr-line"} {
			var u training.User
			for _, x := range testUsers {
				if x.Username == who {
					u = x
				}
			}
			ds, err := e.st.Dataset(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			sc := training.ScopeFor(u, ds)
			_, want := naiveRows(t, e, training.OfficerFilter{Scope: sc})
			var got []string
			query := "limit=4"
			for p := getOfficers(t, e, who, query); ; {
				for _, raw := range p.Officers {
					got = append(got, rowID(t, raw))
				}
				if p.Total != len(want) {
					t.Errorf("%s: total %d, want %d", who, p.Total, len(want))
				}
				if p.NextCursor == "" {
					break
				}
				p = getOfficers(t, e, who, query+"&cursor="+url.QueryEscape(p.NextCursor))
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: pages hold %v, want %v", who, got, want)
			}
			rq := live.ListRequest{User: u, AsOf: training.DateOf(testNow)}
			for _, o := range ds.Officers {
				if sc.Allows(o) {
					continue
				}
				for _, back := range []bool{false, true} {
					cur := e.s.EncodeCursor(&live.Cursor{Key: training.ListKeyOf(o), Back: back}, rq)
					p := getOfficers(t, e, who, query+"&cursor="+url.QueryEscape(cur))
					for _, raw := range p.Officers {
						var os training.OfficerStatus
						json.Unmarshal(raw, &os)
						if !sc.Allows(os.Officer) {
							t.Fatalf("%s with a cursor on %s: shown %s of %s", who, o.ID, os.Officer.ID, os.Officer.Unit)
						}
					}
				}
			}
		}
	})
}

// TestOfficersCSVStreamed: the CSV export of a list longer than one chunk
// holds the fresh list, every officer once, in order; the page's export
// too; and an export the manager may not see is refused before any byte.
func TestOfficersCSVStreamed(t *testing.T) {
	listEnvs(t, 1300, func(t *testing.T, e *testEnv) {
		_, want := naiveRows(t, e, training.OfficerFilter{Status: training.StatusOverdue, Scope: training.Scope{All: true}})
		if len(want) <= 500 {
			t.Fatalf("only %d overdue: one chunk", len(want))
		}
		for _, path := range []string{"/api/v1/officers?format=csv&status=overdue", "/export/officers.csv?status=overdue"} {
			rec := e.do(req{method: "GET", path: path, as: "hr"})
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
				t.Fatalf("%s: %d %v", path, rec.Code, rec.Header())
			}
			recs, err := csv.NewReader(bytes.NewReader(rec.Body.Bytes())).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs[1:] {
				got = append(got, r[0])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s: %d rows, want %d", path, len(got), len(want))
			}
		}
		rec := e.do(req{method: "GET", path: "/api/v1/officers?format=csv&unit=Bravo", as: "mgr-a"})
		if rec.Code != 403 || rec.Header().Get("Content-Disposition") != "" {
			t.Errorf("manager's export of Bravo: %d %v", rec.Code, rec.Header())
		}
	})
}

// TestOfficersPagePager: the officers page shows 100 a page with links
// to the next, previous and first pages, which lead where they say.
func TestOfficersPagePager(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	rev, _ := e.st.Revision(ctx)
	cs := training.ChangeSet{BaseRevision: rev, Import: training.ImportRecord{ID: "more", Kind: training.ImportPartial, By: "test", At: testNow, Outcome: training.OutcomeApplied}}
	for i := range 250 {
		id := fmt.Sprintf("N%04d", i)
		cs.Officers = append(cs.Officers, training.Officer{ID: id, DisplayID: id, Name: "Pat Doe", Unit: "Alpha / Team 3",
			StartDate: training.DateFrom(2020, 1, 6), FirstSeen: training.DateFrom(2025, 1, 1)})
	}
	if _, err := e.st.ApplyChanges(ctx, cs); err != nil {
		t.Fatal(err)
	}
	link := func(body, rel string) string {
		i := strings.Index(body, rel)
		if i < 0 {
			return ""
		}
		j := strings.LastIndex(body[:i], `href="`)
		k := strings.Index(body[j+6:], `"`)
		return strings.ReplaceAll(body[j+6:j+6+k], "&amp;", "&")
	}
	get := func(path string) string {
		rec := e.do(req{method: "GET", path: path, as: "hr"})
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	body := get("/officers?unit=Alpha")
	total := 250 + 4 // and the seed's four in Alpha
	if !strings.Contains(body, fmt.Sprintf("Showing 1–100 of %d", total)) || link(body, `rel="prev"`) != "" {
		t.Fatalf("first page: no pager, or a previous link")
	}
	body = get(link(body, `rel="next"`))
	if !strings.Contains(body, fmt.Sprintf("Showing 101–200 of %d", total)) || link(body, "« First") == "" {
		t.Fatalf("second page: %s", body[strings.Index(body, "pager"):][:300])
	}
	third := get(link(body, `rel="next"`))
	if !strings.Contains(third, fmt.Sprintf("Showing 201–%d of %d", total, total)) || link(third, `rel="next"`) != "" {
		t.Fatalf("last page")
	}
	if back := get(link(third, `rel="prev"`)); !strings.Contains(back, fmt.Sprintf("Showing 101–200 of %d", total)) {
		t.Fatalf("previous of the last page")
	}
}

// TestOfficersResponseWithRows: the officers page made from the rows'
// kept JSON is byte for byte what encoding the response writes, and the
// API's answer is the same with ?pretty (encoded whole) as without.
func TestOfficersResponseWithRows(t *testing.T) {
	e := newTestEnv(t)
	ds, err := e.st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list := training.ListOfficers(ds, training.DateOf(testNow), training.OfficerFilter{Scope: training.Scope{All: true}})
	for _, n := range []int{0, 1, len(list)} {
		resp := api.OfficersResponse{AsOf: training.DateOf(testNow), Total: 7, Limit: 3, Officers: list[:n], NextCursor: "abc_-", PrevCursor: "x"}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(resp); err != nil {
			t.Fatal(err)
		}
		var rows [][]byte
		for _, os := range list[:n] {
			b, _ := json.Marshal(os)
			rows = append(rows, b)
		}
		got, err := api.WithRows(resp, rows)
		if err != nil || string(got) != want.String() {
			t.Errorf("%d rows: %v\n%s\nwant\n%s", n, err, got, want.String())
		}
	}
	var plain, pretty map[string]any
	for q, v := range map[string]*map[string]any{"limit=3&status=overdue": &plain, "limit=3&status=overdue&pretty": &pretty} {
		rec := e.do(req{method: "GET", path: "/api/v1/officers?" + q, as: "hr"})
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("%s: %d %v", q, rec.Code, rec.Header())
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatal(err)
		}
		if (*v)["next_cursor"] == nil {
			t.Fatalf("%s: no next cursor in %s", q, rec.Body)
		}
		delete(*v, "next_cursor") // sealed afresh each time
	}
	if fmt.Sprint(plain) != fmt.Sprint(pretty) {
		t.Errorf("without ?pretty\n%v\nwith\n%v", plain, pretty)
	}
}

// TestOfficersPageAfterPost: the page's body is kept for a revision, not
// longer: after a completion is posted the same page shows the change.
func TestOfficersPageAfterPost(t *testing.T) {
	e := newTestEnv(t)
	path := "/officers?course=cse-recognition&status=overdue"
	page := func(who string) string {
		rec := e.do(req{method: "GET", path: path, as: who})
		if rec.Code != 200 {
			t.Fatalf("%s: %d", who, rec.Code)
		}
		return rec.Body.String()
	}
	if a, b := page("hr"), page("hr"); !strings.Contains(a, "Bruno Bravoname") || a != b {
		t.Fatalf("B3 is not overdue, or the body differs within a revision")
	}
	in := []api.CompletionInput{{OfficerID: "B3", Course: "cse-recognition", Date: training.DateOf(testNow).AddDays(-1).String()}}
	if rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)}); rec.Code != 201 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(page("hr"), "Bruno Bravoname") {
		t.Errorf("B3 is still shown overdue after completing the course")
	}
	if strings.Contains(page("admin"), "Bruno Bravoname") {
		t.Errorf("admin sees B3 overdue")
	}
}

// TestOfficersAPIAfterPost: an API page is kept encoded for a revision,
// not longer, and for one user as their account stands: after a post the
// same request shows the change, and a manager whose units change sees
// their new units at once.
func TestOfficersAPIAfterPost(t *testing.T) {
	e := newTestEnv(t)
	has := func(who, query, id string) bool {
		for _, raw := range getOfficers(t, e, who, query).Officers {
			if rowID(t, raw) == id {
				return true
			}
		}
		return false
	}
	overdue := "course=cse-recognition&status=overdue"
	// Twice: the second answer is the kept one.
	if first, kept := has("hr", overdue, "B3"), has("hr", overdue, "B3"); !first || !kept {
		t.Fatal("B3 is not overdue")
	}
	in := []api.CompletionInput{{OfficerID: "B3", Course: "cse-recognition", Date: training.DateOf(testNow).AddDays(-1).String()}}
	if rec := e.do(req{method: "POST", path: "/api/v1/completions", as: "token", ctype: "application/json", body: jsonBody(in)}); rec.Code != 201 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body)
	}
	if has("hr", overdue, "B3") {
		t.Error("B3 is still overdue after completing the course")
	}
	if has("mgr-a", "limit=50", "B2") {
		t.Fatal("mgr-a sees Bravo")
	}
	if rec := e.do(req{method: "PATCH", path: "/api/v1/users/mgr-a", as: "admin", ctype: "application/json", body: strings.NewReader(`{"units":["Bravo"]}`)}); rec.Code != 200 {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body)
	}
	if !has("mgr-a", "limit=50", "B2") || has("mgr-a", "limit=50", "A2") {
		t.Error("mgr-a's list did not follow their new unit")
	}
}
