package training

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func statementDS() *Dataset {
	return &Dataset{
		Courses:  []Course{{ID: "cse", Title: "CSE recognition", Aliases: []string{"CSE"}, ActivityIDs: []string{"https://lms.test/c/1"}}},
		Officers: map[string]Officer{"A1": {ID: "A1", Email: "ann@police.test"}, "L9": {ID: "L9", Email: "left@police.test", Leaver: true}},
	}
}

func stmt(id string, mod func(*Statement)) Statement {
	st := Statement{ID: id, Hash: "h" + id, Verb: VerbCompleted, Completed: true,
		Actor:    StatementActor{HomePage: "https://lms.test/", Name: "a1"},
		Activity: "https://lms.test/c/1", Timestamp: time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC),
		Source: Source{ImportID: "xapi-1", By: "lms"}}
	if mod != nil {
		mod(&st)
	}
	return st
}

var statementToday = DateFrom(2026, 11, 24)

func TestStatementMatch(t *testing.T) {
	m := NewStatementMatcher(statementDS(), "https://lms.test")
	for _, tc := range []struct {
		name    string
		mod     func(*Statement)
		status  StatementStatus
		officer string
		problem string
	}{
		{"account, activity IRI, London date", nil, StatementRecorded, "A1", ""},
		{"activity by alias", func(s *Statement) { s.Activity, s.ActivityName = "https://other/x", "cse" }, StatementRecorded, "A1", ""},
		{"mbox", func(s *Statement) { s.Actor = StatementActor{Email: "ANN@police.test"} }, StatementRecorded, "A1", ""},
		{"a leaver's mbox", func(s *Statement) { s.Actor = StatementActor{Email: "left@police.test"} }, StatementUnmatched, "", "e-mail"},
		{"unknown officer ID", func(s *Statement) { s.Actor.Name = "Z9" }, StatementOrphan, "Z9", "not on the roster"},
		{"other home page", func(s *Statement) { s.Actor.HomePage = "https://evil.test" }, StatementUnmatched, "", "homePage"},
		{"unknown activity", func(s *Statement) { s.Activity, s.ActivityName = "https://lms.test/c/2", "Knitting" }, StatementUnmatched, "", "no course"},
		{"future", func(s *Statement) { s.Timestamp = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }, StatementUnmatched, "", "after today"},
		{"waived", func(s *Statement) { s.Completed, s.Waived, s.Verb = false, true, VerbWaived }, StatementRecorded, "A1", ""},
		{"object not an activity", func(s *Statement) { s.Activity = "" }, StatementIgnored, "", "not an activity"},
		{"experienced", func(s *Statement) { s.Completed, s.Verb = false, "http://adlnet.gov/expapi/verbs/experienced" }, StatementIgnored, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := m.Match(stmt("1", tc.mod), statementToday)
			if st.Status != tc.status || !strings.Contains(st.Problem, tc.problem) {
				t.Fatalf("status %s problem %q, want %s with %q", st.Status, st.Problem, tc.status, tc.problem)
			}
			if tc.officer == "" {
				if st.Recorded != nil {
					t.Fatalf("recorded %+v", st.Recorded)
				}
				return
			}
			want := Completion{OfficerID: tc.officer, CourseID: "cse", Date: DateFrom(2026, 7, 1), Source: st.Source}
			if st.Recorded == nil || *st.Recorded != want {
				t.Fatalf("recorded %+v, want %+v", st.Recorded, want)
			}
		})
	}
}

func TestPlanStatements(t *testing.T) {
	m := NewStatementMatcher(statementDS(), "")
	stored := m.Match(stmt("old", nil), statementToday)
	have := map[string]Statement{"old": stored}

	// A repeat is nothing; a void of a stored statement takes its
	// completion back; a void within the batch drops the completion.
	voidOld := stmt("v1", func(s *Statement) { s.Verb, s.Voids, s.Completed = VerbVoided, "old", false })
	p, err := PlanStatements(m, have, nil, []Statement{stored, stmt("new", nil), voidOld,
		stmt("v2", func(s *Statement) { s.Verb, s.Voids, s.Completed = VerbVoided, "new", false })}, statementToday)
	if err != nil {
		t.Fatal(err)
	}
	if p.Repeats != 1 || len(p.Completions) != 0 || len(p.Removed) != 1 || *stored.Recorded != p.Removed[0] {
		t.Fatalf("plan %+v", p)
	}
	statuses := map[string]StatementStatus{}
	for _, st := range p.Statements {
		statuses[st.ID] = st.Status
	}
	if statuses["old"] != StatementVoided || statuses["new"] != StatementVoided || statuses["v1"] != StatementVoiding || len(statuses) != 4 {
		t.Fatalf("statuses %v", statuses)
	}

	// Voiding a voiding statement is kept and changes nothing.
	p, err = PlanStatements(m, have, nil, []Statement{voidOld, stmt("v3", func(s *Statement) { s.Verb, s.Voids, s.Completed = VerbVoided, "v1", false })}, statementToday)
	if err != nil || len(p.Statements) != 3 || p.Statements[2].ID != "v3" || p.Statements[2].Status != StatementVoiding ||
		!strings.Contains(p.Statements[2].Problem, "cannot be voided") || len(p.Removed) != 1 {
		t.Fatalf("voiding a voiding statement: %v %+v", err, p)
	}

	// A statement whose void came first is stored voided and records nothing.
	p, err = PlanStatements(m, have, map[string]string{"late": "v9"}, []Statement{stmt("late", nil)}, statementToday)
	if err != nil || len(p.Completions) != 0 || p.Statements[0].Status != StatementVoided || p.Statements[0].Recorded != nil {
		t.Fatalf("a statement voided before it came: %v %+v", err, p)
	}

	for _, tc := range []struct {
		name string
		in   []Statement
		err  error
		want string
	}{
		{"same ID twice", []Statement{stmt("x", nil), stmt("x", nil)}, ErrInvalid, "statement 2 has the same id x as statement 1"},
		{"other content", []Statement{stmt("ok", nil), stmt("old", func(s *Statement) { s.Hash = "other" })}, ErrConflict, "statement 2: a different statement with id old"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PlanStatements(m, have, nil, tc.in, statementToday)
			if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %v with %q", err, tc.err, tc.want)
			}
		})
	}
}
