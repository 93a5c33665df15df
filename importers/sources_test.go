// This file tests the known sources (docs/sources.md) end to end: it imports the
// sample roster, generates a file in each source's layout with
// importers/sourcegen, imports it as the CLI does, and checks the store and
// the report against what the generator says must happen (docs/sources.md).
package importers_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/importers/sourcegen"
	"github.com/muster-police/muster/training"
)

// How the report says what the expectations ask (sourcegen's words).

func sourceOptions(e sourcegen.Expectation, confirm bool, at time.Time) importers.Options {
	return importers.Options{Full: e.Full, Confirmed: confirm, Now: at}
}

func reportSource(rep *importers.Report) string { return rep.Detection.SourceID }

// reportRows labels the report's row outcomes as sourcegen does: rows of a
// file that describes officers are "officer", rows that record (or had
// recorded) a completion are "recorded".
func reportRows(rep *importers.Report) map[string]int {
	ro := rep.Rows
	out := map[string]int{}
	add := func(k string, n int) {
		if n > 0 {
			out[k] += n
		}
	}
	done := sourcegen.RowRecorded
	if rep.Detection.Layout == importers.LayoutPeople || describesOfficers(rep.Detection) {
		done = sourcegen.RowOfficer
	}
	add(done, ro.Recorded+ro.AlreadyRecorded)
	for _, st := range ro.ByStatus {
		add(sourcegen.RowNothingPrefix+st.Status, st.Rows)
	}
	add(sourcegen.RowOtherCourse, ro.OtherCourses)
	add(sourcegen.RowRejectedPrefix+"no ID", ro.Rejected)
	add("not recorded (errors)", ro.NotRecorded)
	add("duplicates", ro.Duplicates)
	add("no date", ro.NoDate)
	return out
}

// describesOfficers reports whether a wide file maps a field that says who
// an officer is (not only what they completed).
func describesOfficers(d importers.Detection) bool {
	if d.Layout == importers.LayoutLong {
		return false
	}
	for _, c := range d.Columns {
		switch c.Field {
		case "", importers.FieldID, importers.FieldCourseColumn:
		default:
			return true
		}
	}
	return false
}

// When the imports happen: the roster on 1 November 2026 (as the samples'
// acceptance test), the source files the day after their export.
var (
	rosterAt = time.Date(2026, 11, 1, 10, 0, 0, 0, training.London)
	sourceAt = time.Date(2026, 11, 2, 14, 0, 0, 0, training.London)
)

// rosterStore is a fresh store holding the sample roster.
func rosterStore(t *testing.T) training.Store {
	t.Helper()
	st := openBolt(t)
	rep := importFile(t, st, filepath.Join(sampleDir(t), "1_roster_full.xlsx"), importers.Options{Full: true, Now: rosterAt})
	if rep.Outcome != training.OutcomeApplied {
		t.Fatalf("sample roster: %s: %s", rep.Outcome, rep.Message)
	}
	return st
}

func dataset(t *testing.T, st training.Store) *training.Dataset {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// runImport imports a fixture as the CLI does, returning the report even
// when the import is refused or fails.
func runImport(t *testing.T, st training.Store, path string, opts importers.Options) (*importers.Report, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := importers.Run(context.Background(), st,
		importers.Source{Name: filepath.Base(path), R: bytes.NewReader(b), Size: int64(len(b))}, opts)
	if rep == nil {
		t.Fatalf("%s: no report: %v", filepath.Base(path), err)
	}
	return rep, err
}

func TestKnownSources(t *testing.T) {
	ds := dataset(t, rosterStore(t))
	fixtures, err := sourcegen.Generate(t.TempDir(), sourcegen.Input{Officers: sourcegen.FromDataset(ds), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.Layout, func(t *testing.T) { checkSource(t, f) })
	}
}

func checkSource(t *testing.T, f sourcegen.Fixture) {
	e := f.Expect
	st := rosterStore(t)
	before := dataset(t, st)
	name := filepath.Base(f.Path)

	rep, err := runImport(t, st, f.Path, sourceOptions(e, false, sourceAt))
	if e.Refused {
		if err == nil && rep.Outcome == training.OutcomeApplied {
			t.Errorf("%s: imported (%s); want refused: %s", name, rep.Message, e.RefusedBecause)
		}
		unchangedStore(t, name, before, dataset(t, st))
		return
	}
	if e.NeedsConfirmation {
		if err != nil || rep.Outcome == training.OutcomeApplied || !rep.NeedsConfirmation {
			t.Errorf("%s: outcome %s, needs confirmation %v, err %v (%q); want refused until confirmed: %s",
				name, rep.Outcome, rep.NeedsConfirmation, err, rep.Message, e.ConfirmBecause)
		}
		unchangedStore(t, name, before, dataset(t, st))
		rep, err = runImport(t, st, f.Path, sourceOptions(e, true, sourceAt))
	}
	if err != nil {
		t.Fatalf("%s: import failed: %v", name, err)
	}
	// A file that records nothing (Moodle's activity report) may end as
	// no_change, but its sentence must not claim it was already recorded.
	recordsNothing := len(e.Completions) == 0 && e.Rows[sourcegen.RowOfficer] == 0
	switch {
	case recordsNothing && rep.Outcome == training.OutcomeNoChange:
		if strings.Contains(strings.ToLower(rep.Message), "already recorded") {
			t.Errorf("%s: message %q claims the file is already recorded; it records nothing (%v)", name, rep.Message, e.Rows)
		}
	case rep.Outcome != training.OutcomeApplied:
		t.Fatalf("%s: outcome %s: %s", name, rep.Outcome, rep.Message)
	}
	if got := reportSource(rep); got != e.Source {
		t.Errorf("%s: report names source %q, want %q", name, got, e.Source)
	}
	after := dataset(t, st)
	checkNoOfficersAdded(t, name, before, after)
	checkCompletions(t, name, e, after)
	checkStatuses(t, name, e, after)
	checkUnchanged(t, name, e, before, after)
	checkPosts(t, name, e, before, after)
	checkRows(t, name, e, reportRows(rep))
	checkFigures(t, name, e, before, after)
}

// checkFigures compares the store's compliance figures after the import
// with the figures of the roster before it plus what the expectation says
// the file holds, computed independently of the importer: every unit,
// every course, on the samples' report date.
func checkFigures(t *testing.T, name string, e sourcegen.Expectation, before, after *training.Dataset) {
	t.Helper()
	want := cloneForFigures(before)
	for _, c := range e.Completions {
		id := training.NormalizeID(c.OfficerID)
		if c.DateUnknown {
			if hasCourse(want.Completions[id], c.CourseID) {
				continue
			}
			want.Completions[id] = append(want.Completions[id], training.Completion{OfficerID: id, CourseID: c.CourseID, Date: training.DateOf(sourceAt), DateUnknown: true})
			continue
		}
		want.Completions[id] = append(want.Completions[id], training.Completion{OfficerID: id, CourseID: c.CourseID, Date: c.Date})
	}
	for _, id := range e.Leavers {
		o := want.Officers[training.NormalizeID(id)]
		o.Leaver, o.LeftOn = true, training.DateOf(sourceAt)
		want.Officers[o.ID] = o
	}
	for id, u := range e.Moves {
		o := want.Officers[training.NormalizeID(id)]
		o.Unit = u
		want.Officers[o.ID] = o
	}
	asOf := training.DateFrom(2026, 11, 24)
	wantRep, err := training.BuildReport(want, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gotRep, err := training.BuildReport(after, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wf, gf := map[string]map[string]figures{}, map[string]map[string]figures{}
	flatten(&wantRep.ReportNode, wf)
	flatten(&gotRep.ReportNode, gf)
	compareFigures(t, name+": figures on 24/11/2026: ", wf, gf)
}

func hasCourse(cs []training.Completion, course string) bool {
	for _, c := range cs {
		if c.CourseID == course {
			return true
		}
	}
	return false
}

// cloneForFigures copies the parts of a dataset the figures depend on.
func cloneForFigures(ds *training.Dataset) *training.Dataset {
	out := *ds
	out.Officers = make(map[string]training.Officer, len(ds.Officers))
	for k, v := range ds.Officers {
		out.Officers[k] = v
	}
	out.Completions = make(map[string][]training.Completion, len(ds.Completions))
	for k, v := range ds.Completions {
		out.Completions[k] = append([]training.Completion(nil), v...)
	}
	return &out
}

// failures collects messages and reports the first few with a count, so a
// broken importer gives a readable failure instead of hundreds of lines.
type failures struct {
	t    *testing.T
	what string
	msgs []string
}

func (f *failures) add(format string, args ...any) {
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func (f *failures) report() {
	f.t.Helper()
	if len(f.msgs) == 0 {
		return
	}
	shown := f.msgs
	if len(shown) > 8 {
		shown = shown[:8]
	}
	f.t.Errorf("%s: %d wrong, e.g.\n  %s", f.what, len(f.msgs), strings.Join(shown, "\n  "))
}

func unchangedStore(t *testing.T, name string, before, after *training.Dataset) {
	t.Helper()
	if after.Revision != before.Revision {
		t.Errorf("%s: the store changed (revision %d → %d) although the import was refused", name, before.Revision, after.Revision)
	}
}

func checkNoOfficersAdded(t *testing.T, name string, before, after *training.Dataset) {
	t.Helper()
	fs := &failures{t: t, what: name + ": officers added"}
	ids := make([]string, 0)
	for id := range after.Officers {
		if _, ok := before.Officers[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := after.Officers[id]
		fs.add("officer %s %q (unit %q) was not on the roster", id, o.Name, o.Unit)
	}
	fs.report()
}

func checkCompletions(t *testing.T, name string, e sourcegen.Expectation, after *training.Dataset) {
	t.Helper()
	fs := &failures{t: t, what: name + ": completions"}
	for _, c := range e.Completions {
		id := training.NormalizeID(c.OfficerID)
		var got []string
		found := false
		for _, have := range after.Completions[id] {
			if have.CourseID != c.CourseID {
				continue
			}
			got = append(got, have.Date.String())
			if c.DateUnknown || (have.Date == c.Date && !have.DateUnknown) {
				found = true
			}
		}
		if found {
			continue
		}
		want := c.Date.String()
		if c.DateUnknown {
			want = "completed, date unknown"
		}
		who := "officer"
		if !c.OnRoster {
			who = "not on roster"
		}
		fs.add("%s (%s) %s: want %s, store has %v", c.OfficerID, who, c.CourseID, want, got)
	}
	fs.report()
}

func checkStatuses(t *testing.T, name string, e sourcegen.Expectation, after *training.Dataset) {
	t.Helper()
	fs := &failures{t: t, what: name + ": leavers and active officers"}
	for _, id := range e.Leavers {
		if o, ok := after.Officers[training.NormalizeID(id)]; !ok || !o.Leaver {
			fs.add("%s: want leaver, is active (or missing)", id)
		}
	}
	for _, id := range e.Active {
		if o, ok := after.Officers[training.NormalizeID(id)]; !ok || o.Leaver {
			fs.add("%s: want active, is a leaver (or missing)", id)
		}
	}
	fs.report()
}

// checkPosts: an HR export's roles, staff types and in-post dates are
// stored; a file without them leaves every officer's as it was.
func checkPosts(t *testing.T, name string, e sourcegen.Expectation, before, after *training.Dataset) {
	t.Helper()
	fs := &failures{t: t, what: name + ": roles, staff types and in-post dates"}
	for id, a := range after.Officers {
		b := before.Officers[id]
		want := sourcegen.Post{Role: b.Role, StaffType: b.StaffType, InPostSince: b.InPostSince}
		for pid, p := range e.Posts {
			if training.NormalizeID(pid) == id {
				want = p
			}
		}
		if got := (sourcegen.Post{Role: a.Role, StaffType: a.StaffType, InPostSince: a.InPostSince}); got != want {
			fs.add("%s: %+v, want %+v", id, got, want)
		}
	}
	fs.report()
}

func checkUnchanged(t *testing.T, name string, e sourcegen.Expectation, before, after *training.Dataset) {
	t.Helper()
	fs := &failures{t: t, what: name + ": names, units and start dates that must not change"}
	for _, id := range e.Unchanged {
		k := training.NormalizeID(id)
		b, a := before.Officers[k], after.Officers[k]
		if a.Name != b.Name {
			fs.add("%s: name %q → %q", id, b.Name, a.Name)
		}
		want := b.Unit
		if u, ok := e.Moves[id]; ok {
			want = u
		}
		if a.Unit != want {
			fs.add("%s: unit %q → %q (want %q)", id, b.Unit, a.Unit, want)
		}
		if e.StartDateUnchanged && a.StartDate != b.StartDate {
			fs.add("%s: start date %s → %s", id, b.StartDate, a.StartDate)
		}
	}
	for id, unit := range e.Moves {
		if a := after.Officers[training.NormalizeID(id)]; a.Unit != unit {
			fs.add("%s: unit %q after the confirmed import, want %q", id, a.Unit, unit)
		}
	}
	fs.report()
}

func checkRows(t *testing.T, name string, e sourcegen.Expectation, got map[string]int) {
	t.Helper()
	fs := &failures{t: t, what: name + ": rows per outcome"}
	keys := map[string]bool{}
	for k := range e.Rows {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		if got[k] != e.Rows[k] {
			fs.add("%q: report says %d rows, want %d", k, got[k], e.Rows[k])
		}
	}
	fs.report()
}

// TestKnownSourcesCourseOption imports a one-course Moodle file under a
// name that says nothing, with the course given as --course would.
func TestKnownSourcesCourseOption(t *testing.T) {
	ds := dataset(t, rosterStore(t))
	dir := t.TempDir()
	fixtures, err := sourcegen.Generate(dir, sourcegen.Input{Officers: sourcegen.FromDataset(ds), Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		if f.Layout != "moodle-course-completion-csv" {
			continue
		}
		renamed := filepath.Join(dir, "download.csv")
		if err := os.Rename(f.Path, renamed); err != nil {
			t.Fatal(err)
		}
		st := rosterStore(t)
		opts := sourceOptions(f.Expect, false, sourceAt)
		opts.Course = f.Expect.Course
		rep, err := runImport(t, st, renamed, opts)
		if err != nil || rep.Outcome != training.OutcomeApplied {
			t.Fatalf("download.csv with --course %s: %s %v (%s)", f.Expect.Course, rep.Outcome, err, rep.Message)
		}
		checkCompletions(t, "download.csv", f.Expect, dataset(t, st))
		return
	}
	t.Fatal("no moodle-course-completion-csv fixture")
}
