package live

import (
	"context"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestReadRosterIsAsFreshAsTheStore: what the jobs read through the model
// holds every write the store had when they asked, whether it was logged
// (a completion posted by another replica: applied from the feed) or left
// a gap (a course edit: read again), with no Tail running and no reader
// having brought the model forward first.
func TestReadRosterIsAsFreshAsTheStore(t *testing.T) {
	st := newStore(t)
	a, b := newModel(st), newModel(st) // two replicas of one store
	defer a.Close()
	defer b.Close()
	ctx := context.Background()
	if err := b.Current(ctx); err != nil {
		t.Fatal(err)
	}
	c := training.Completion{OfficerID: "P03", CourseID: "cse-recognition", Date: training.DateFrom(2026, 11, 2),
		Source: training.Source{ImportID: "api-a", At: testNow}}
	rev, err := a.Post([]training.Completion{c}, training.ImportRecord{ID: "api-a", Kind: training.ImportAPI, By: "lms", At: testNow, Outcome: training.OutcomeApplied})
	if err != nil {
		t.Fatal(err)
	}
	var gotRev int64
	var comps []training.Completion
	var lent *training.Dataset
	if err := b.ReadRoster(ctx, func(ds *training.Dataset) error {
		gotRev, comps, lent = ds.Revision, ds.Completions["P03"], ds
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	isModels(t, b, lent)
	if gotRev < rev || len(comps) != 1 {
		t.Fatalf("after a post on another replica: roster at revision %d with %d completions of P03; want revision %d with 1", gotRev, len(comps), rev)
	}
	// A write that is not logged as a change: the model is read again
	// before fn runs, not in the background after.
	courses := append(training.DefaultCourses(), training.Course{ID: "first-aid", Title: "First aid", DueWithinDays: 90, DueSoonDays: 30})
	if err := st.PutCourses(ctx, courses); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := b.ReadRoster(ctx, func(ds *training.Dataset) error {
		n, lent = len(ds.Courses), ds
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	isModels(t, b, lent)
	if n != 3 {
		t.Fatalf("after a course added behind the model: the roster has %d courses, want 3", n)
	}
	// The model itself moved: the next reader gets the same roster.
	if want, _ := st.Revision(ctx); b.Revision() != want {
		t.Errorf("model at revision %d after ReadRoster, store at %d", b.Revision(), want)
	}
}

// isModels fails unless ds is the model's own Dataset (not a copy read
// for the caller).
func isModels(t *testing.T, m *Model, ds *training.Dataset) {
	t.Helper()
	var same bool
	m.View(func(own *training.Dataset) { same = own == ds })
	if !same {
		t.Fatal("ReadRoster lent a Dataset other than the model's own: a second copy of the roster")
	}
}

// TestReadRosterLoadsOnce: before any reader, the jobs' first read loads
// the model (it is then the server's, not a copy of the jobs' own).
func TestReadRosterLoadsOnce(t *testing.T) {
	st := newStore(t)
	m := newModel(st)
	defer m.Close()
	var first *training.Dataset
	if err := m.ReadRoster(context.Background(), func(ds *training.Dataset) error { first = ds; return nil }); err != nil {
		t.Fatal(err)
	}
	isModels(t, m, first)
	if len(first.Officers) != 40 {
		t.Errorf("ReadRoster lent %d officers, want 40", len(first.Officers))
	}
}
