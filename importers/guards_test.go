package importers

import (
	"fmt"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// tenOfficers is a full roster of ten officers in three-level units.
func tenOfficers() string {
	var b strings.Builder
	b.WriteString("Warrant No,Name,Unit\n")
	for i := 1; i <= 10; i++ {
		team := "Team 1"
		if i > 5 {
			team = "Team 2"
		}
		fmt.Fprintf(&b, "%d,Officer %d,Frontline / North / %s\n", 2000+i, i, team)
	}
	return b.String()
}

func loadedStore(t *testing.T) *memStore {
	t.Helper()
	st := newMemStore()
	if rep, err := runFile(t, st, "roster.csv", tenOfficers(), Options{Full: true}); err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("roster: %v %+v", err, rep)
	}
	return st
}

func guardKinds(rep *Report) []string {
	var out []string
	for _, g := range rep.Guards {
		out = append(out, g.Kind)
	}
	return out
}

// TestGuardUnknownIDs: a completion export whose IDs mostly match nobody
// (a wrong ID column) is refused with examples until confirmed.
func TestGuardUnknownIDs(t *testing.T) {
	st := loadedStore(t)
	var b strings.Builder
	b.WriteString("Staff ID,Course Name,Status,Completed On\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "%d,CSE awareness,Completed,01/10/2026\n", 17+i) // learner numbers, not warrant numbers
	}
	b.WriteString("2001,CSE awareness,Completed,01/10/2026\n")
	file := b.String()
	rep, err := runFile(t, st, "lms.csv", file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcome != training.OutcomeRefused || !rep.NeedsConfirmation || strings.Join(guardKinds(rep), ",") != GuardUnknownIDs {
		t.Fatalf("outcome %s, guards %v: %s", rep.Outcome, guardKinds(rep), rep.Message)
	}
	g := rep.Guards[0]
	if !strings.Contains(g.Message, "8 of the 9 officer IDs") || !strings.Contains(g.Message, `column A, "Staff ID"`) || len(g.Examples) != 5 || g.Examples[0] != "18 (row 2)" {
		t.Errorf("guard %+v", g)
	}
	if st.applied != 1 {
		t.Fatalf("a refused import wrote %d change sets", st.applied-1)
	}
	rep, err = runFile(t, st, "lms.csv", file, Options{Confirmed: true})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.OrphanCompletions != 8 || rep.Summary.Completions != 9 {
		t.Fatalf("confirmed: %v %s %+v", err, rep.Outcome, rep.Summary)
	}
}

// TestGuardManyChanges: a file that would rename or move more than 20% of
// the officers it mentions asks first, with examples; under 20% it does not.
func TestGuardManyChanges(t *testing.T) {
	st := loadedStore(t)
	moved := "Warrant No,Unit\n2001,Frontline / South / Team 9\n2002,Frontline / South / Team 9\n2003,Frontline / North / Team 1\n2004,Frontline / North / Team 1\n2005,Frontline / North / Team 1\n"
	rep, err := runFile(t, st, "moves.csv", moved, Options{})
	if err != nil || rep.Outcome != training.OutcomeRefused || strings.Join(guardKinds(rep), ",") != GuardChanges {
		t.Fatalf("%v %s %v: %s", err, rep.Outcome, guardKinds(rep), rep.Message)
	}
	if ex := rep.Guards[0].Examples; len(ex) != 2 || ex[0] != "2001: Frontline / North / Team 1 → Frontline / South / Team 9" {
		t.Errorf("examples %q", ex)
	}
	if !strings.Contains(rep.Guards[0].Message, "2 of the 5 officers") {
		t.Errorf("message %q", rep.Guards[0].Message)
	}
	rep, err = runFile(t, st, "moves.csv", moved, Options{Confirmed: true})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Changes.MovesTotal != 2 {
		t.Fatalf("confirmed: %v %s %+v", err, rep.Outcome, rep.Changes.MovesTotal)
	}
	// One rename in ten is under the guard.
	names := strings.Replace(tenOfficers(), "Officer 3,", "Officer Three,", 1)
	rep, err = runFile(t, loadedStore(t), "names.csv", names, Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.Updated != 1 {
		t.Fatalf("one rename: %v %s %+v: %s", err, rep.Outcome, rep.Summary, rep.Message)
	}
}

// TestBareUnitsNeverReplacePaths: a unit column of codes or last levels
// never replaces a full path; a last level that names one known unit is
// that unit.
func TestBareUnitsNeverReplacePaths(t *testing.T) {
	st := loadedStore(t)
	file := "Warrant No,Org Unit\n2001,50000100\n2002,Team 1\n2003,team 2\n2011,Team 2\n2012,50000100\n"
	rep, err := runFile(t, st, "codes.csv", file, Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("%v %s: %s", err, rep.Outcome, rep.Message)
	}
	want := map[string]string{
		"2001": "Frontline / North / Team 1", // a code: kept
		"2002": "Frontline / North / Team 1", // its own last level
		"2003": "Frontline / North / Team 2", // moved to the one unit named Team 2
		"2011": "Frontline / North / Team 2", // new: the one unit named Team 2
		"2012": "50000100",                   // new: as written, warned
	}
	for id, u := range want {
		if got := st.ds.Officers[id].Unit; got != u {
			t.Errorf("officer %s unit %q, want %q", id, got, u)
		}
	}
	var warned int
	for _, p := range rep.Problems {
		if strings.Contains(p.Reason, `The unit "50000100" is not a full unit path`) {
			warned++
			if !strings.Contains(p.Reason, "(2 rows, the first is this one)") || p.Row != 2 {
				t.Errorf("warning %+v", p)
			}
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings for the code, want one: %+v", warned, rep.Problems)
	}
}

// TestUnknownStatusesAreCellErrors: words the rules do not know are
// listed, never read as an answer, and the message does not claim the
// file was already recorded.
func TestUnknownStatusesAreCellErrors(t *testing.T) {
	st := loadedStore(t)
	file := "Warrant No,Course Name,Status,Completed On\n" +
		"2001,CSE awareness,Complete via rpl,01/10/2026\n" +
		"2002,CSE awareness,Awaiting sign-off,01/10/2026\n" +
		"2003,CSE awareness,Not yet started,\n" +
		"2004,First aid,Completed,01/10/2026\n"
	rep, err := runFile(t, st, "lms.csv", file, Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.Completions != 1 || rep.Summary.CellErrors != 1 {
		t.Fatalf("%v %s %+v", err, rep.Outcome, rep.Summary)
	}
	ro := rep.Rows
	if ro.Recorded != 1 || ro.NotRecorded != 1 || ro.OtherCourses != 1 || len(ro.ByStatus) != 1 || ro.ByStatus[0] != (StatusCount{"Not yet started", 1}) || ro.Sum() != ro.Read || ro.Read != 4 {
		t.Errorf("rows %+v", ro)
	}
	p := rep.Problems[0]
	if p.Row != 3 || p.Letter != "C" || p.Value != "Awaiting sign-off" || !strings.Contains(p.Reason, "does not know the status") {
		t.Errorf("problem %+v", p)
	}
	// Employment status: an unknown word keeps the officer as they were.
	rep, err = runFile(t, st, "status.csv", "Warrant No,Employment Status\n2001,Withdrawn\n2002,On the moon\n", Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.Leavers != 1 || rep.Summary.CellErrors != 1 {
		t.Fatalf("%v %s %+v", err, rep.Outcome, rep.Summary)
	}
	if !st.ds.Officers["2001"].Leaver || st.ds.Officers["2002"].Leaver {
		t.Errorf("2001 leaver %v, 2002 leaver %v", st.ds.Officers["2001"].Leaver, st.ds.Officers["2002"].Leaver)
	}
	// Nothing recorded, all in error: never "already recorded".
	rep, err = runFile(t, st, "bad.csv", "Warrant No,Course Name,Status\n2005,CSE awareness,Maybe\n2006,CSE awareness,Perhaps\n", Options{})
	if err != nil || rep.Outcome != training.OutcomeNoChange || strings.Contains(rep.Message, "already recorded") ||
		!strings.Contains(rep.Message, "2 cells in error") {
		t.Fatalf("%v %s %q", err, rep.Outcome, rep.Message)
	}
}

// TestMappingRoundTrip: a file nobody recognises is refused, imports with
// --map, saves the mapping, is read the same way next time (the report
// says so), and a changed mapping replaces it.
func TestMappingRoundTrip(t *testing.T) {
	st := loadedStore(t)
	file := "Ref,Person,CSE done\n2001,Officer 1,01/10/2026\n2002,Officer 2,02/10/2026\n"
	if _, err := runFile(t, st, "ext.csv", file, Options{}); err == nil || !strings.Contains(err.Error(), "No header row was found") {
		t.Fatalf("unmapped file: %v", err)
	}
	mapping := []training.MappingRule{{Header: "Ref", Field: "id"}, {Header: "CSE done", Field: "course:cse-recognition"}, {Header: "Person", Field: "ignore"}}
	rep, err := runFile(t, st, "ext.csv", file, Options{Mapping: mapping, SaveMappingAs: "Extract"})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.Completions != 2 || rep.MappingSaved != "Extract" {
		t.Fatalf("mapped: %v %s %+v %q", err, rep.Outcome, rep.Summary, rep.MappingSaved)
	}
	for _, c := range rep.Detection.Columns {
		if c.Why != "your mapping" {
			t.Errorf("column %s why %q", c.Header, c.Why)
		}
	}
	if len(st.mappings) != 1 || strings.Join(st.mappings[0].Headers, "|") != "Ref|Person|CSE done" {
		t.Fatalf("saved %+v", st.mappings)
	}
	// A later file with the same headers (other spacing and case) is read with it.
	later := "ref,PERSON,CSE  done\n2003,Officer 3,03/10/2026\n"
	rep, err = runFile(t, st, "ext2.csv", later, Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Detection.Mapping != "Extract" || rep.Summary.Completions != 1 {
		t.Fatalf("reuse: %v %s %q %+v", err, rep.Outcome, rep.Detection.Mapping, rep.Summary)
	}
	if c := rep.Detection.Columns[2]; c.Field != FieldCourseColumn || c.Why != `the saved mapping "Extract"` {
		t.Errorf("column %+v", c)
	}
	// Changing it: Person is now the name.
	mapping[2].Field = "name"
	if _, err := runFile(t, st, "ext.csv", file, Options{Mapping: mapping, SaveMappingAs: "Extract", DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if len(st.mappings) != 1 || st.mappings[0].Rules[2].Field != "name" {
		t.Fatalf("changed %+v", st.mappings)
	}
	// A choice that leaves no ID column says so, rather than "no header row".
	_, err = runFile(t, st, "ext.csv", file, Options{Mapping: []training.MappingRule{{Header: "Ref", Field: "ignore"}}})
	if err == nil || !strings.Contains(err.Error(), "no column holds the officer ID") {
		t.Fatalf("no ID left: %v", err)
	}
	// A bad field is refused with the fields listed.
	_, err = runFile(t, st, "ext.csv", file, Options{Mapping: []training.MappingRule{{Header: "Ref", Field: "warrant"}}})
	if err == nil || !strings.Contains(err.Error(), `"warrant" is not something a column can hold; use the pick list's words: officer ID, full name`) {
		t.Fatalf("bad field: %v", err)
	}
}

// TestOneCourseFile: a file of ID and completion date takes its course from
// the option, else from its file name; without either it asks.
func TestOneCourseFile(t *testing.T) {
	st := loadedStore(t)
	file := "Warrant No,Completion Date\n2001,01/10/2026\n2002,02/10/2026\n"
	_, err := runFile(t, st, "export.csv", file, Options{})
	if err == nil || !strings.Contains(err.Error(), "covers one course without naming it") {
		t.Fatalf("no course: %v", err)
	}
	rep, err := runFile(t, st, "completion-tic_2026.csv", file, Options{})
	if err != nil || rep.Detection.Course != "trauma-informed-communication" || rep.Summary.Completions != 2 {
		t.Fatalf("file name: %v %+v %+v", err, rep.Detection, rep.Summary)
	}
	rep, err = runFile(t, st, "export.csv", file, Options{Course: "cse-recognition"})
	if err != nil || rep.Detection.Course != "cse-recognition" || rep.Summary.Completions != 2 {
		t.Fatalf("option: %v %+v", err, rep.Summary)
	}
	if _, err := runFile(t, st, "export.csv", file, Options{Course: "first-aid"}); err == nil || !strings.Contains(err.Error(), `"first-aid", is not one Muster tracks`) {
		t.Fatalf("unknown course: %v", err)
	}
}
