package storagetest

import (
	"testing"

	"github.com/muster-police/muster/training"
)

var statementTests = []test{
	{"StatementsIdempotent", testStatementsIdempotent},
	{"StatementVoidRemoves", testStatementVoidRemoves},
	{"StatementsWaiting", testStatementsWaiting},
	{"StatementVoidedBy", testStatementVoidedBy},
}

// testStatementVoidedBy: a stored voiding statement is found by the ID it
// voids, whether or not that statement is stored.
func testStatementVoidedBy(t *testing.T, s training.Store) {
	v := xapiStatement("v1", "xapi-1", training.StatementVoiding, nil)
	v.Voids, v.Verb = "later", training.VerbVoided
	_, err := s.AddCompletions(ctx(t), training.CompletionBatch{Statements: []training.Statement{v}})
	check(t, err)
	got, err := s.VoidedBy(ctx(t), []string{"later", "v1", "other"})
	check(t, err)
	equal(t, "voided by", got, map[string]string{"later": "v1"})
}

// xapiStatement is a statement of group that recorded c (nil: nothing).
func xapiStatement(id, group string, status training.StatementStatus, c *training.Completion) training.Statement {
	st := training.Statement{ID: id, Hash: "h-" + id, Verb: training.VerbCompleted,
		Actor:    training.StatementActor{HomePage: "https://lms.example", Name: "1"},
		Activity: "https://lms.example/course/1", ActivityName: "CSE", Completed: true, Timestamp: at(-60),
		Source: training.Source{ImportID: group, By: "lms", At: at(0)}, Raw: []byte(`{"id":"` + id + `"}`), Status: status}
	if c != nil {
		rec := *c
		rec.Source = st.Source
		st.Recorded = &rec
	}
	return st
}

// testStatementsIdempotent: a statement is stored with its batch; the same
// ID and hash may be written again (its status changes), another hash
// fails the whole batch with ErrConflict and writes nothing.
func testStatementsIdempotent(t *testing.T, s training.Store) {
	b := apiBatch("xapi-1", 1, completion("1", cse, "2026-11-01"))
	st := xapiStatement("s1", "xapi-1", training.StatementRecorded, &b.Completions[0])
	b.Statements = []training.Statement{st}
	rev, err := s.AddCompletions(ctx(t), b)
	check(t, err)
	got, err := s.Statements(ctx(t), []string{"s1", "missing"})
	check(t, err)
	equal(t, "stored statement", got, map[string]training.Statement{"s1": st})

	st2 := st
	st2.Status = training.StatementVoided
	_, err = s.AddCompletions(ctx(t), training.CompletionBatch{Statements: []training.Statement{st2}})
	check(t, err)

	other := xapiStatement("s1", "xapi-1", training.StatementRecorded, nil)
	other.Hash = "another"
	b2 := apiBatch("xapi-1", 1, completion("1", tic, "2026-11-02"))
	b2.Statements = []training.Statement{xapiStatement("s2", "xapi-1", training.StatementIgnored, nil), other}
	_, err = s.AddCompletions(ctx(t), b2)
	wantErr(t, "same id, other content", err, training.ErrConflict)
	now, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision after the refused batch", now, rev+1)
	got, err = s.Statements(ctx(t), []string{"s1", "s2"})
	check(t, err)
	equal(t, "statements after the refused batch", got, map[string]training.Statement{"s1": st2})
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "completions after the refused batch", ds.Completions["1"], []training.Completion{b.Completions[0]})
}

// testStatementVoidRemoves: a batch's Removed takes back the completion a
// statement recorded (same completion, same history entry), keeps one a
// file reported, and the change log carries the removal to replicas.
func testStatementVoidRemoves(t *testing.T, s training.Store) {
	fromFile := completion("1", tic, "2026-10-01")
	_, err := s.ApplyChanges(ctx(t), training.ChangeSet{Import: importRec("imp-1", 0), Completions: []training.Completion{fromFile}})
	check(t, err)
	b := apiBatch("xapi-1", 1, completion("1", cse, "2026-11-01"))
	st := xapiStatement("s1", "xapi-1", training.StatementRecorded, &b.Completions[0])
	b.Statements = []training.Statement{st}
	rev, err := s.AddCompletions(ctx(t), b)
	check(t, err)

	voided := st
	voided.Status = training.StatementVoided
	voiding := xapiStatement("v1", "xapi-1", training.StatementVoiding, nil)
	voiding.Voids, voiding.Verb = "s1", training.VerbVoided
	// The file's completion has another source: it stays though it is
	// named too.
	rm := []training.Completion{*st.Recorded, {OfficerID: "1", CourseID: tic, Date: fromFile.Date, Source: st.Source}}
	rev2, err := s.AddCompletions(ctx(t), training.CompletionBatch{Removed: rm, Statements: []training.Statement{voided, voiding}})
	check(t, err)
	equal(t, "revision", rev2, rev+1)
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "completions after voiding", ds.Completions["1"], []training.Completion{fromFile})
	got, err := s.Statements(ctx(t), []string{"s1", "v1"})
	check(t, err)
	equal(t, "statements", got, map[string]training.Statement{"s1": voided, "v1": voiding})
	chs, err := s.Changes(ctx(t), rev, 0)
	check(t, err)
	equal(t, "logged change", chs, []training.Change{{Revision: rev2, Removed: rm}})
}

// testStatementsWaiting: unmatched and orphan statements are listed, oldest
// first, until they are stored with another status.
func testStatementsWaiting(t *testing.T, s training.Store) {
	a := xapiStatement("a", "xapi-1", training.StatementUnmatched, nil)
	a.Problem = "no course"
	b := xapiStatement("b", "xapi-1", training.StatementOrphan, nil)
	b.Source.At = at(-5)
	c := xapiStatement("c", "xapi-1", training.StatementIgnored, nil)
	_, err := s.AddCompletions(ctx(t), training.CompletionBatch{Statements: []training.Statement{a, b, c}})
	check(t, err)
	got, err := s.WaitingStatements(ctx(t), 0)
	check(t, err)
	equal(t, "waiting", got, []training.Statement{b, a})
	got, err = s.WaitingStatements(ctx(t), 1)
	check(t, err)
	equal(t, "waiting, limit 1", got, []training.Statement{b})
	a.Status, a.Problem = training.StatementRecorded, ""
	_, err = s.AddCompletions(ctx(t), training.CompletionBatch{Statements: []training.Statement{a}})
	check(t, err)
	got, err = s.WaitingStatements(ctx(t), 0)
	check(t, err)
	equal(t, "waiting once matched", got, []training.Statement{b})
}
