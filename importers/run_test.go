package importers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

var runAt = time.Date(2026, 11, 24, 9, 30, 0, 0, training.London)

func runFile(t *testing.T, st training.Store, name, content string, opts Options) (*Report, error) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = runAt
	}
	if opts.By == "" {
		opts.By = "hr.user"
	}
	r := strings.NewReader(content)
	return Run(context.Background(), st, Source{Name: name, R: r, Size: int64(len(content))}, opts)
}

const rosterCSV = "Warrant No,Name,Unit,Status,CSE recognition\n" +
	"1001,Ann Able,Frontline / North / Team 1,Active,01/02/2025\n" +
	"1002,Ben Bold,Frontline / North / Team 1,Active,Yes\n" +
	"1003,Cat Calm,Frontline / South / Team 2,Active,\n"

func outcomes(st *memStore) map[training.ImportOutcome]int {
	m := map[training.ImportOutcome]int{}
	for _, r := range st.imports {
		m[r.Outcome]++
	}
	return m
}

func TestRunReimport(t *testing.T) {
	st := newMemStore()
	first, err := runFile(t, st, "roster.csv", rosterCSV, Options{Full: true})
	if err != nil || first.Outcome != training.OutcomeApplied {
		t.Fatalf("first: %v %+v", err, first)
	}
	if first.Summary.Added != 3 || first.Summary.Completions != 2 || first.Summary.CompletionsNoDate != 1 {
		t.Errorf("first summary %+v", first.Summary)
	}
	revision := st.ds.Revision

	later := Options{Full: true, Now: runAt.Add(48 * time.Hour), By: "someone.else"}
	again, err := runFile(t, st, "roster (1).csv", rosterCSV, later)
	if err != nil || again.Outcome != training.OutcomeNoChange {
		t.Fatalf("same file: %v %s", err, again.Outcome)
	}
	if want := "This file was already imported on 24/11/2026 by hr.user; nothing changed."; again.Message != want {
		t.Errorf("message %q, want %q", again.Message, want)
	}

	// The same roster saved differently (other header, other order) is
	// another file that changes nothing either.
	other := "Officer ID;Status;Full Name;Team Path;CSE awareness\n" +
		"1003;Active;Cat Calm;Frontline / South / Team 2;\n" +
		"1002;Active;Ben Bold;Frontline / North / Team 1;Y\n" +
		"01001;Active;Ann Able;Frontline / North / Team 1;2025-02-01\n"
	third, err := runFile(t, st, "roster.csv", other, later)
	if err != nil || third.Outcome != training.OutcomeNoChange || third.Summary.Unchanged != 3 {
		t.Fatalf("equivalent file: %v %s %+v %v", err, third.Outcome, third.Summary, third.Problems)
	}
	if st.ds.Revision != revision || st.applied != 1 {
		t.Errorf("store written again: revision %d->%d, applied %d", revision, st.ds.Revision, st.applied)
	}
	if got := outcomes(st); got[training.OutcomeApplied] != 1 || got[training.OutcomeNoChange] != 2 {
		t.Errorf("log %v, want every attempt", got)
	}
}

func TestRunNothingWritten(t *testing.T) {
	badDate := rosterCSV + "1004,Dan Deed,Frontline / South / Team 2,Active,31/02/2025\n"
	tests := []struct {
		name    string
		file    string
		content string
		opts    Options
		want    training.ImportOutcome
		logged  bool
		errIs   error
		msg     string
	}{
		{"dry run", "roster.csv", rosterCSV, Options{DryRun: true}, training.OutcomeApplied, false, nil, "Dry run"},
		{"strict with a bad date", "roster.csv", badDate, Options{Strict: true}, training.OutcomeRefused, true, nil, "Strict"},
		{"full completion export", "lms.csv", "Staff ID,Course Name,Status,Completed On\n1001,CSE,Completed,2025-01-01\n",
			Options{Full: true}, training.OutcomeRefused, true, nil, "cannot be a full roster"},
		{"not a spreadsheet", "roster.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 600), Options{},
			training.OutcomeFailed, true, training.ErrInvalid, ""},
		{"empty file", "roster.csv", "", Options{}, training.OutcomeFailed, true, training.ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			rep, err := runFile(t, st, tt.file, tt.content, tt.opts)
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) {
					t.Errorf("error %v, want %v", err, tt.errIs)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if rep == nil || rep.Outcome != tt.want || !strings.Contains(rep.Message, tt.msg) || rep.Message == "" {
				t.Fatalf("report %+v", rep)
			}
			if st.applied != 0 || len(st.ds.Officers) != 0 {
				t.Errorf("store written: %d applies", st.applied)
			}
			if got := len(st.imports); (got == 1) != tt.logged || got > 1 {
				t.Errorf("%d log entries, want logged=%v", got, tt.logged)
			}
			if tt.logged && (st.imports[0].Outcome != tt.want || len(st.imports[0].Report) == 0) {
				t.Errorf("log entry %+v", st.imports[0].Outcome)
			}
		})
	}
}

func TestRunLeaverGuard(t *testing.T) {
	st := newMemStore()
	if _, err := runFile(t, st, "roster.csv", rosterCSV, Options{Full: true}); err != nil {
		t.Fatal(err)
	}
	partial := "Warrant No,Name,Unit\n1001,Ann Able,Frontline / North / Team 1\n"
	rep, err := runFile(t, st, "partial.csv", partial, Options{Full: true})
	if err != nil || rep.Outcome != training.OutcomeRefused || !rep.NeedsConfirmation {
		t.Fatalf("%v %s %v", err, rep.Outcome, rep.NeedsConfirmation)
	}
	if st.applied != 1 || outcomes(st)[training.OutcomeRefused] != 1 {
		t.Errorf("refusal applied or not logged: %d %v", st.applied, outcomes(st))
	}
	rep, err = runFile(t, st, "partial.csv", partial, Options{Full: true, Confirmed: true})
	if err != nil || rep.Outcome != training.OutcomeApplied || rep.Summary.Leavers != 2 {
		t.Fatalf("confirmed: %v %s %+v", err, rep.Outcome, rep.Summary)
	}
	if o := st.ds.Officers["1003"]; !o.Leaver || o.LeftOn != training.DateOf(runAt) {
		t.Errorf("leaver %+v", o)
	}
	if n := len(st.ds.Completions["1002"]); n != 1 {
		t.Errorf("leaver's history lost: %d completions", n)
	}
}

func TestRunProvenance(t *testing.T) {
	st := newMemStore()
	rep, err := runFile(t, st, "roster.csv", rosterCSV, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := training.Source{ImportID: rep.ImportID, File: "roster.csv", Sheet: rep.Detection.Sheet, Row: 2, By: "hr.user", At: runAt}
	if got := st.ds.Officers["1001"].Source; got != want {
		t.Errorf("officer source %+v, want %+v", got, want)
	}
	if got := st.ds.Completions["1001"][0].Source; got != want {
		t.Errorf("completion source %+v, want %+v", got, want)
	}
	if c := st.ds.Completions["1002"][0]; !c.DateUnknown || c.Date != training.DateOf(runAt) || c.Source.Row != 3 {
		t.Errorf("unknown-date completion %+v", c)
	}
	if !strings.HasPrefix(rep.ImportID, "imp-20261124T093000Z-") {
		t.Errorf("import id %q", rep.ImportID)
	}
}

func TestWriteErrorsXLSXIsFormulaSafe(t *testing.T) {
	rep := &Report{FileName: "=cmd|' /C calc'!A0.csv", Outcome: training.OutcomeApplied, Message: "Imported 1 officer added.",
		Problems: []Problem{
			{Severity: SeverityError, Sheet: "Roster", Row: 4, Column: "Start Date", Letter: "F", Value: "=HYPERLINK(\"http://x\")", Reason: "not a date"},
			{Severity: SeverityWarning, Sheet: "Roster", Row: 5, Column: "+Email", Value: "@SUM(A1)", Reason: "-invalid", OfficerID: "\tx"},
			{Severity: SeverityError, Row: 6, Value: "\r1", Reason: "x", RowRejected: true},
		}}
	var buf bytes.Buffer
	if err := rep.WriteErrorsXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Problems")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][6] != "Reason" || rows[1][2] != "4" {
		t.Fatalf("rows %q", rows)
	}
	sum, _ := f.GetRows("Summary")
	all := append(rows[1:], sum...)
	for _, r := range all {
		for _, v := range r {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Errorf("cell %q may run as a formula", v)
			}
		}
	}
	formulas := 0
	for _, sheet := range []string{"Summary", "Problems"} {
		for r := 1; r <= 12; r++ {
			for c := 1; c <= 9; c++ {
				cell, _ := excelize.CoordinatesToCellName(c, r)
				if fx, _ := f.GetCellFormula(sheet, cell); fx != "" {
					formulas++
				}
			}
		}
	}
	if formulas != 0 {
		t.Errorf("%d formulas in the error report", formulas)
	}
}

func TestStoredReportIsCapped(t *testing.T) {
	rep := &Report{ImportID: "imp-x", Outcome: training.OutcomeApplied}
	for i := 0; i < StoredProblemsCap+5; i++ {
		rep.Problems = append(rep.Problems, Problem{Severity: SeverityError, Row: i + 2, Reason: "bad"})
	}
	rec := rep.logRecord()
	var back Report
	if err := json.Unmarshal(rec.Report, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Problems) != StoredProblemsCap || back.ProblemsOmitted != 5 || len(rep.Problems) != StoredProblemsCap+5 {
		t.Errorf("stored %d problems, omitted %d; report keeps %d", len(back.Problems), back.ProblemsOmitted, len(rep.Problems))
	}
	for _, key := range []string{`"import_id"`, `"needs_confirmation"`, `"problems_omitted"`, `"file_hash"`, `"summary"`} {
		if !bytes.Contains(rec.Report, []byte(key)) {
			t.Errorf("stored report has no %s", key)
		}
	}
}

func TestRunReplansAfterConflict(t *testing.T) {
	st := newMemStore()
	st.conflicts = 1
	st.before = func(m *memStore) { // someone else adds an officer meanwhile
		m.ds.Officers["1003"] = training.Officer{ID: "1003", DisplayID: "1003", Name: "Cat Calm", Unit: "Frontline / South / Team 2", FirstSeen: training.DateOf(runAt)}
		m.ds.Revision++
	}
	rep, err := runFile(t, st, "roster.csv", rosterCSV, Options{})
	if err != nil || rep.Outcome != training.OutcomeApplied || st.applied != 1 {
		t.Fatalf("%v %s applied %d", err, rep.Outcome, st.applied)
	}
	if rep.Summary.Added != 2 || rep.Summary.Unchanged != 1 {
		t.Errorf("re-planned summary %+v, want 2 added and the officer added meanwhile unchanged", rep.Summary)
	}
}
