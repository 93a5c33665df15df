// Package storagetest is the conformance suite every training.Store
// backend runs unchanged:
//
//	func TestStore(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) training.Store { ... })
//	}
//
// Each subtest gets a fresh, empty store from newStore, which must also
// arrange (t.Cleanup) for it to be closed.
//
// Beyond the doc comments of training.Store, the suite pins down what
// callers may rely on in every backend:
//   - a fresh store has revision 0 and DefaultCourses;
//   - every write to roster data (ApplyChanges, ApplyChangeParts, PutCourses)
//     adds 1 to the revision;
//   - an officer's completions come sorted by course, date, dated before
//     undated; exemptions sorted by course; empty lists are non-nil in
//     OfficerRecord;
//   - times come back in UTC;
//   - DueMessages orders by NextAttempt then ID; Messages by Created then
//     ID, newest first; JobRuns by Started then ID, newest first; Tokens by
//     Created then ID, with Hash empty; a limit <= 0 (DueMessages included)
//     means all;
//   - a session, a lock or an upload is expired at its expiry instant
//     (valid while now is before it);
//   - DeleteUser and DeleteToken of a missing record give ErrNotFound,
//     DeleteSession and DeleteUpload of a missing one succeed;
//   - Enqueue sets an empty State to queued;
//   - returned values are copies: changing them never changes the store;
//   - a call with a cancelled context fails with context.Canceled and
//     changes nothing.
package storagetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

type test struct {
	name string
	fn   func(t *testing.T, s training.Store)
}

// Run runs every conformance test against stores made by newStore.
func Run(t *testing.T, newStore func(t *testing.T) training.Store) {
	groups := [][]test{rosterTests, changeTests, courseTests, accountTests, mailTests, jobTests, previewTests, mappingTests, auditTests, onceTests, statementTests, registerTests, contextTests,
		requestTests, partsTests}
	for _, group := range groups {
		for _, tc := range group {
			t.Run(tc.name, func(t *testing.T) {
				tc.fn(t, newStore(t))
			})
		}
	}
}

// t0 is the suite's "now": a fixed instant, so that tests never depend on
// the clock.
var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func date(s string) training.Date {
	d, err := training.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func src(importID string, row int) training.Source {
	return training.Source{ImportID: importID, File: "roster.xlsx", Sheet: "Staff", Row: row, At: t0}
}

func officer(id, unit string) training.Officer {
	return training.Officer{
		ID: id, DisplayID: "00" + id, Name: "Officer " + id,
		Email: "officer" + id + "@police.example", Rank: "PC", Unit: unit,
		LineManager: "900", StartDate: date("2020-01-15"), FirstSeen: date("2026-01-02"),
		Source: src("imp-1", 4),
	}
}

func completion(officerID, course, d string) training.Completion {
	return training.Completion{OfficerID: officerID, CourseID: course, Date: date(d), Source: src("imp-1", 4)}
}

const (
	cse = "cse-recognition"
	tic = "trauma-informed-communication"
)

// importRec is an applied file import with its own hash.
func importRec(id string, minutes int) training.ImportRecord {
	return training.ImportRecord{
		ID: id, Kind: training.ImportPartial, FileName: id + ".xlsx", FileHash: "sha-" + id,
		By: "hr", At: at(minutes), Outcome: training.OutcomeApplied,
		Summary: training.ImportSummary{Added: 1, Completions: 2},
		Report:  []byte(`{"file":"` + id + `"}`),
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

func show(v any) string { return fmt.Sprintf("%+v", v) }

func ctx(t *testing.T) context.Context { return t.Context() }
