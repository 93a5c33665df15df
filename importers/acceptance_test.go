package importers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/testenv"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// sampleDir finds the sample rosters: the copy in testdata (so the test
// runs from the repository alone), else ../shared/samples beside the repo.
func sampleDir(t *testing.T) string {
	t.Helper()
	for _, d := range []string{filepath.Join("..", "testdata", "samples"), filepath.Join("..", "..", "shared", "samples")} {
		if _, err := os.Stat(filepath.Join(d, "expected-2026-11-24.json")); err == nil {
			return d
		}
	}
	testenv.Need(t, "sample rosters not found in testdata/samples or ../shared/samples", "restore testdata/samples from git")
	return ""
}

// sampleImport is one step of the samples' README, with the time it is
// done. The roster of file 1 says it was exported on 01/11/2026 and holds
// completions dated 28/10/2026, so it cannot be imported before then (they
// would be future dates, an error): it is imported on 1 November, the
// completion exports the days after, and file 4 ("next month") on
// 24 November, the report date. Only completion dates and leaving dates
// depend on these days; none changes a figure as long as file 1 comes
// after 28/10/2026.
type sampleImport struct {
	file string
	full bool
	at   time.Time
}

func sampleImports() []sampleImport {
	at := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, training.London) }
	return []sampleImport{
		{"1_roster_full.xlsx", true, at(11, 1)},
		{"2_lms_export.csv", false, at(11, 2)},
		{"3_legacy_export.csv", false, at(11, 3)},
		{"4_roster_full_next_month.xlsx", true, at(11, 24)},
	}
}

func openBolt(t *testing.T) training.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func importFile(t *testing.T, st training.Store, path string, opts importers.Options) *importers.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importers.Run(context.Background(), st, importers.Source{Name: filepath.Base(path), R: bytes.NewReader(b), Size: int64(len(b))}, opts)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	if rep.Outcome != training.OutcomeFailed && rep.Rows.Sum() != rep.Rows.Read {
		t.Errorf("import %s: the row outcomes %+v add up to %d, not the %d rows read", path, rep.Rows, rep.Rows.Sum(), rep.Rows.Read)
	}
	return rep
}

// flatten turns a report tree into path -> course -> counts, the shape of
// expected-2026-11-24.json.
type figures struct {
	training.Counts
	Percent *training.Percent `json:"percent"`
}

func flatten(n *training.ReportNode, out map[string]map[string]figures) {
	m := map[string]figures{}
	for _, c := range n.Courses {
		m[c.Course] = figures{Counts: c.Counts, Percent: c.Percent}
	}
	out[n.Unit] = m
	for _, u := range n.Units {
		flatten(u, out)
	}
}

// TestAcceptanceSampleCopyIsCurrent fails when the copy in testdata no
// longer matches ../shared/samples (when that exists), so the acceptance
// test never passes on stale files.
func TestAcceptanceSampleCopyIsCurrent(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "samples")
	names, err := filepath.Glob(filepath.Join(shared, "*"))
	if err != nil || len(names) == 0 {
		t.Skip("../shared/samples is not beside the repository; the copy in testdata is used as is")
	}
	for _, src := range names {
		want, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("..", "testdata", "samples", filepath.Base(src)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/samples/%s differs from %s (or is missing): copy it again", filepath.Base(src), src)
		}
	}
}

func TestAcceptanceSamples(t *testing.T) {
	dir := sampleDir(t)
	st := openBolt(t)
	for _, step := range sampleImports() {
		rep := importFile(t, st, filepath.Join(dir, step.file), importers.Options{Full: step.full, By: "acceptance", Now: step.at})
		if rep.Outcome != training.OutcomeApplied {
			t.Fatalf("%s: outcome %s: %s", step.file, rep.Outcome, rep.Message)
		}
		t.Logf("%s: %s (%+v)", step.file, rep.Message, rep.Summary)
	}

	// Importing a file again changes nothing and says when it was first imported.
	again := importFile(t, st, filepath.Join(dir, "1_roster_full.xlsx"), importers.Options{Full: true, By: "acceptance", Now: sampleImports()[3].at})
	if again.Outcome != training.OutcomeNoChange || again.Message != "This file was already imported on 01/11/2026 by acceptance; nothing changed." {
		t.Errorf("re-import: %s %q", again.Outcome, again.Message)
	}

	ctx := context.Background()
	log, err := st.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[training.ImportOutcome]int{}
	for _, r := range log {
		outcomes[r.Outcome]++
		if len(r.Report) == 0 {
			t.Errorf("import log entry %s keeps no report", r.ID)
		}
	}
	if len(log) != 5 || outcomes[training.OutcomeApplied] != 4 || outcomes[training.OutcomeNoChange] != 1 {
		t.Errorf("import log: %d entries, outcomes %v; want 4 applied and 1 no_change", len(log), outcomes)
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	asOf := training.DateFrom(2026, 11, 24)
	got, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gotFlat := map[string]map[string]figures{}
	flatten(&got.ReportNode, gotFlat)

	raw, err := os.ReadFile(filepath.Join(dir, "expected-2026-11-24.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]figures
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	compareFigures(t, "", want, gotFlat)
}

// compareFigures reports every unit and course whose counts or percent
// differ between want and got (flattened reports).
func compareFigures(t *testing.T, what string, want, got map[string]map[string]figures) {
	t.Helper()
	paths := map[string]bool{}
	for p := range want {
		paths[p] = true
	}
	for p := range got {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	for _, p := range sorted {
		w, g := want[p], got[p]
		if w == nil || g == nil {
			t.Errorf("%sunit %q: in expected %v, in report %v", what, p, w != nil, g != nil)
			continue
		}
		for course, wf := range w {
			gf, ok := g[course]
			if !ok {
				t.Errorf("%sunit %q: course %s missing from report", what, p, course)
				continue
			}
			if gf.Counts != wf.Counts || !samePercent(gf.Percent, wf.Percent) {
				t.Errorf("%sunit %q course %s:\n got %+v %s\nwant %+v %s", what, p, course, gf.Counts, pct(gf.Percent), wf.Counts, pct(wf.Percent))
			}
		}
	}
}

func samePercent(a, b *training.Percent) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func pct(p *training.Percent) string {
	if p == nil {
		return "null"
	}
	return p.String() + "%"
}

// TestAcceptanceRefusedThenConfirmed checks, on the real store, that a file
// whose refusal was logged can still be applied once confirmed, and that a
// file logged as "no change" is applied when it later changes something:
// only applied imports make a file "already imported".
func TestAcceptanceRefusedThenConfirmed(t *testing.T) {
	dir := sampleDir(t)
	st := openBolt(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)
	run := func(name, content string, opts importers.Options) *importers.Report {
		t.Helper()
		opts.By, opts.Now = "hr", at
		rep, err := importers.Run(context.Background(), st, importers.Source{Name: name, R: strings.NewReader(content), Size: int64(len(content))}, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rep
	}
	if rep := importFile(t, st, filepath.Join(dir, "4_roster_full_next_month.xlsx"), importers.Options{Full: true, By: "hr", Now: at}); rep.Outcome != training.OutcomeApplied {
		t.Fatalf("roster: %s", rep.Message)
	}
	one := "Payroll No,Officer Name\n587963,Chloe Khan\n"
	if rep := run("one.csv", one, importers.Options{}); rep.Outcome != training.OutcomeNoChange {
		t.Fatalf("one officer, unchanged: %s %s", rep.Outcome, rep.Message)
	}
	two := "Payroll No,Officer Name\n475354,Jack Evans\n908796,Jack Walker\n"
	if rep := run("two.csv", two, importers.Options{Full: true}); rep.Outcome != training.OutcomeRefused || !rep.NeedsConfirmation {
		t.Fatalf("partial file as full roster: %s %s", rep.Outcome, rep.Message)
	}
	if rep := run("two.csv", two, importers.Options{Full: true, Confirmed: true}); rep.Outcome != training.OutcomeApplied || rep.Summary.Leavers < 250 {
		t.Fatalf("confirmed: %s %s", rep.Outcome, rep.Message)
	}
	rep := run("one.csv", one, importers.Options{})
	if rep.Outcome != training.OutcomeApplied || rep.Changes.ReturnedTotal != 1 {
		t.Fatalf("officer back on the roster: %s %s", rep.Outcome, rep.Message)
	}
	o, err := st.Officer(context.Background(), "587963")
	if err != nil || o.Officer.Leaver || !o.Officer.LeftOn.IsZero() || o.Officer.StartDate.IsZero() {
		t.Errorf("returning officer %+v (%v)", o.Officer, err)
	}
}
