package live

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/muster-police/muster/training"
)

// freshAt is the report as of asOf built from the store's data read now.
func freshAt(t *testing.T, st training.Store, asOf training.Date, unit string, courses []string) []byte {
	t.Helper()
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := training.BuildReport(ds, asOf, training.ReportOptions{Unit: unit, Courses: courses})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// samePast checks that the model's figures as of asOf (JSON and report)
// equal a fresh build from the store, for a few units and course
// selections, and returns the force's JSON.
func samePast(t *testing.T, m *Model, st training.Store, asOf training.Date, when string) []byte {
	t.Helper()
	var force []byte
	for _, unit := range []string{"", "Alpha", "Bravo / Team 9"} {
		for _, courses := range [][]string{nil, {"cse-recognition"}} {
			want := freshAt(t, st, asOf, unit, courses)
			e, ok, err := m.ReportJSON(asOf, unit, courses)
			if err != nil || !ok {
				t.Fatalf("%s: ReportJSON(%s, %q): ok=%v %v", when, asOf, unit, ok, err)
			}
			if !bytes.Equal(e.JSON, want) {
				t.Errorf("%s: figures as of %s, unit %q, courses %v differ from a fresh build:\n%s\nwant\n%s", when, asOf, unit, courses, e.JSON, want)
			}
			r, ok := m.Report(asOf, unit, courses)
			if !ok || r.Err != nil || !bytes.Equal(r.JSON, want) {
				t.Errorf("%s: Report(%s, %q, %v): ok=%v %v, equal %v", when, asOf, unit, courses, ok, r.Err, ok && bytes.Equal(r.JSON, want))
			}
			if unit == "" && courses == nil {
				force = want
			}
		}
	}
	return force
}

func postOne(t *testing.T, m *Model, c training.Completion) {
	t.Helper()
	c.Source = training.Source{ImportID: "api-past", At: testNow}
	g := training.ImportRecord{ID: "api-past", Kind: training.ImportAPI, By: "lms", At: testNow, Outcome: training.OutcomeApplied,
		Summary: training.ImportSummary{Completions: 1}}
	if _, err := m.Post([]training.Completion{c}, g); err != nil {
		t.Fatal(err)
	}
}

// TestPastDateFigures: the figures of a date other than today come from
// an index kept with the model (no snapshot cloned, neither to count them
// nor per read), and equal a report built afresh from the store after
// every kind of change: posts while the index is being counted (of
// officers counted already and not yet), posts dated after the date (no
// effect) and before it (an effect), a completion without a date, a
// completion taken back, another replica's post followed from the feed,
// more dates than are kept, and a roster write.
func TestPastDateFigures(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	d := training.DateFrom(2026, 11, 1) // today is 2026-11-24
	if err := m.Current(ctx); err != nil {
		t.Fatal(err)
	}
	// Counted 7 officers at a time; between chunks, two posts: from the
	// two ends of the roster, so that some are of officers counted
	// already and some of officers not yet counted.
	m.pastChunk = 7
	pauses := 0
	m.betweenChunks = func() {
		for _, id := range []string{fmt.Sprintf("P%02d", pauses), fmt.Sprintf("P%02d", 39-pauses)} {
			postOne(t, m, training.Completion{OfficerID: id, CourseID: "cse-recognition", Date: d.AddDays(-10 - pauses)})
		}
		pauses++
	}
	if _, ok, err := m.ReportJSON(d, "", nil); !ok || err != nil {
		t.Fatalf("first read: ok=%v %v", ok, err)
	}
	m.betweenChunks = nil
	start := samePast(t, m, st, d, "first read, with posts while it was counted")
	if pauses != 5 {
		t.Fatalf("counting 40 officers 7 at a time paused %d times, not 5", pauses)
	}
	if bytes.Equal(start, samePastEmpty(t, d)) {
		t.Fatal("ten completions before the date did not move its figures")
	}

	postOne(t, m, training.Completion{OfficerID: "P14", CourseID: "cse-recognition", Date: training.DateFrom(2026, 11, 20)})
	after := samePast(t, m, st, d, "a completion dated after the date")
	if !bytes.Equal(after, start) {
		t.Errorf("a completion dated after %s changed its figures:\n%s\nwas\n%s", d, after, start)
	}
	postOne(t, m, training.Completion{OfficerID: "P13", CourseID: "cse-recognition", Date: training.DateFrom(2026, 9, 15)})
	before := samePast(t, m, st, d, "a completion dated before the date")
	if bytes.Equal(before, after) {
		t.Errorf("a completion dated before %s did not change its figures", d)
	}
	postOne(t, m, training.Completion{OfficerID: "P15", CourseID: "cse-recognition", Date: training.DateFrom(2026, 10, 20), DateUnknown: true})
	undated := samePast(t, m, st, d, "a completion without a date")
	taken := training.Completion{OfficerID: "P13", CourseID: "cse-recognition", Date: training.DateFrom(2026, 9, 15),
		Source: training.Source{ImportID: "api-past", At: testNow}}
	if _, err := m.PostBatch(Batch{Removed: []training.Completion{taken}}); err != nil {
		t.Fatal(err)
	}
	if got := samePast(t, m, st, d, "a completion taken back"); bytes.Equal(got, undated) {
		t.Error("taking back a completion dated before the date did not change its figures")
	}
	if m.snap.Load() != nil {
		t.Error("counting or reading a past date's figures cloned the model")
	}

	// Another replica follows a post from the feed.
	b := newModel(st)
	defer b.Close()
	if err := b.Current(ctx); err != nil {
		t.Fatal(err)
	}
	samePast(t, b, st, d, "replica b, first read")
	postOne(t, m, training.Completion{OfficerID: "P17", CourseID: "cse-recognition", Date: training.DateFrom(2026, 8, 1)})
	if err := b.Current(ctx); err != nil {
		t.Fatal(err)
	}
	samePast(t, b, st, d, "replica b after a post through a")

	// More dates than are kept: the first is counted again when asked for.
	for i := range maxPastDates + 1 {
		samePast(t, m, st, d.AddDays(-30*(i+1)), fmt.Sprintf("date %d", i))
	}
	if len(m.past) > maxPastDates {
		t.Errorf("%d past dates kept, at most %d", len(m.past), maxPastDates)
	}
	postOne(t, m, training.Completion{OfficerID: "P18", CourseID: "cse-recognition", Date: training.DateFrom(2026, 7, 1)})
	samePast(t, m, st, d, "a date counted again")

	// A roster write reads the model again, and the date is counted again.
	courses := append(training.DefaultCourses(), training.Course{ID: "first-aid", Title: "First aid", DueWithinDays: 90, DueSoonDays: 30})
	if err := m.Store().PutCourses(ctx, courses); err != nil {
		t.Fatal(err)
	}
	samePast(t, m, st, d, "after a course was added")
}

// samePastEmpty is the force's figures as of asOf with nobody trained.
func samePastEmpty(t *testing.T, asOf training.Date) []byte {
	t.Helper()
	return freshAt(t, newStore(t), asOf, "", nil)
}

// TestUnchangedUnitKeepsItsEntry: a post in one unit leaves another
// unit's report entry as it was (the same Entry, with what a reader kept
// of it, is served at the new revision); a post in the unit itself makes
// a new one. Both equal a fresh build, today and on a past date.
func TestUnchangedUnitKeepsItsEntry(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	if err := m.Current(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, asOf := range []training.Date{training.DateOf(testNow), training.DateFrom(2026, 11, 1)} {
		entry := func(when string) *Entry {
			t.Helper()
			e, ok, err := m.ReportJSON(asOf, "Alpha", nil)
			if err != nil || !ok {
				t.Fatalf("%s: ReportJSON(%s): ok=%v %v", when, asOf, ok, err)
			}
			if want := freshAt(t, st, asOf, "Alpha", nil); !bytes.Equal(e.JSON, want) {
				t.Fatalf("%s: Alpha's figures as of %s differ from a fresh build:\n%s\nwant\n%s", when, asOf, e.JSON, want)
			}
			return e
		}
		first := entry("first read")
		kept := first.Keep(func(js []byte) any { return "compressed" })
		// P01 is in Bravo.
		postOne(t, m, training.Completion{OfficerID: "P01", CourseID: "cse-recognition", Date: asOf.AddDays(-20)})
		if e := entry("after a post in Bravo"); e != first || e.Keep(func([]byte) any { return "again" }) != kept {
			t.Errorf("as of %s: a post in Bravo made Alpha's entry anew", asOf)
		}
		// P00 is in Alpha.
		postOne(t, m, training.Completion{OfficerID: "P00", CourseID: "cse-recognition", Date: asOf.AddDays(-20)})
		if e := entry("after a post in Alpha"); e == first || bytes.Equal(e.JSON, first.JSON) {
			t.Errorf("as of %s: a post in Alpha kept Alpha's old figures", asOf)
		}
	}
}

// TestSnapshotNotKeptByTheModel: a snapshot lives while a reader holds
// it, not because the model made it (at 150,000 officers its completions
// map is ~10 MB that nobody reads after the next post); a report built on
// it stays cached when the same revision is cloned again.
func TestSnapshotNotKeptByTheModel(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	ctx := context.Background()
	var builds int
	read := func() {
		ds, err := m.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		key := ReportKey{Rev: ds.Revision, AsOf: training.DateFrom(2026, 11, 1), Unit: "Alpha", Scope: "user:test"}
		e := m.Build(ds, key, func() (*training.Report, error) {
			builds++
			return training.BuildReport(ds, key.AsOf, training.ReportOptions{Unit: key.Unit})
		})
		if e.Err != nil {
			t.Fatal(e.Err)
		}
		if again, _ := m.Dataset(ctx); again != ds {
			t.Fatal("a snapshot in use was cloned again at the same revision")
		}
	}
	read()
	runtime.GC()
	if m.snap.Load().ds.Value() != nil {
		t.Error("the model keeps a snapshot nobody holds")
	}
	read()
	if builds != 1 {
		t.Errorf("the report was built %d times at one revision", builds)
	}
}
