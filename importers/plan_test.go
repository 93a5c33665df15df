package importers

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

const (
	cseID = "cse-recognition"
	ticID = "trauma-informed-communication"
)

var (
	pday      = training.DateFrom(2026, 11, 24)
	pLastYear = training.DateFrom(2025, 11, 24)
)

// wide builds a wide-roster record; opts adjust it, then its hash is set
// from its content so identical rows hash alike.
func wideRec(rowNum int, id string, opts ...func(*Record)) Record {
	r := Record{Row: rowNum, ID: id, DisplayID: id, Name: "Officer " + id, Email: "o" + id + "@police.example",
		Unit: "Frontline / North / Team 1",
		Has: map[Field]bool{FieldID: true, FieldName: true, FieldEmail: true, FieldUnit: true,
			FieldStatus: true, FieldCourseColumn: true}}
	for _, o := range opts {
		o(&r)
	}
	return hashed(r)
}

// long builds a completion-export record.
func longRec(rowNum int, id, course string, d training.Date, completed bool) Record {
	r := Record{Row: rowNum, ID: id, DisplayID: id, CourseName: course, CourseID: course, Completed: completed, Date: d,
		Has: map[Field]bool{FieldID: true, FieldCourse: true, FieldCompletionDate: true, FieldCompletionStatus: true}}
	return hashed(r)
}

func hashed(r Record) Record {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%s|%s|%s|%v|%v|%s|%s|%v|%v", r.ID, r.Name, r.Email, r.Unit, r.Leaver, r.Courses, r.CourseName, r.Date, r.Completed, r.StartDate)
	r.Hash = h.Sum64()
	return r
}

func inUnit(u string) func(*Record)    { return func(r *Record) { r.Unit = u } }
func named(n string) func(*Record)     { return func(r *Record) { r.Name = n } }
func withEmail(e string) func(*Record) { return func(r *Record) { r.Email = e } }
func leaves(r *Record)                 { r.Leaver = true }
func without(f Field) func(*Record)    { return func(r *Record) { delete(r.Has, f) } }
func started(d training.Date) func(*Record) {
	return func(r *Record) { r.StartDate, r.Has[FieldStartDate] = d, true }
}
func courseCell(course string, k CellKind, d training.Date) func(*Record) {
	return func(r *Record) { r.Courses = append(r.Courses, CourseCell{CourseID: course, Kind: k, Date: d}) }
}

// officers returns a store dataset holding active officers with these IDs.
func storeWith(ids ...string) *training.Dataset {
	ds := newMemStore().ds
	ds.Revision = 7
	for _, id := range ids {
		ds.Officers[id] = training.Officer{ID: id, DisplayID: id, Name: "Officer " + id, Email: "o" + id + "@police.example",
			Unit: "Frontline / North / Team 1", FirstSeen: pLastYear}
	}
	return &ds
}

func idRange(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(1000 + i)
	}
	return out
}

func rowsFor(idList []string) []Record {
	out := make([]Record, len(idList))
	for i, id := range idList {
		out[i] = wideRec(i+4, id)
	}
	return out
}

type planOpt func(*PlanInput)

func fullUpload(in *PlanInput) { in.Full = true }
func strictMode(in *PlanInput) { in.Strict = true }
func confirmed(in *PlanInput)  { in.Confirmed = true }
func longLayout(in *PlanInput) {
	in.Detection.Layout = LayoutLong
}
func withProblems(ps ...Problem) planOpt { return func(in *PlanInput) { in.Problems = ps } }

func planOf(ds *training.Dataset, recs []Record, opts ...planOpt) *Planned {
	in := PlanInput{Detection: Detection{Format: "xlsx", Sheet: "Roster", HeaderRow: 3, Layout: LayoutWide},
		Dataset: ds, Today: pday, ImportID: "imp-test", FileName: "roster.xlsx", FileHash: "abc",
		By: "hr.user", At: time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)}
	for _, o := range opts {
		o(&in)
	}
	return Plan(recs, in)
}

// after returns the dataset once the plan is applied.
func applied(ds *training.Dataset, pl *Planned) *training.Dataset {
	c := cloneDataset(ds)
	applyToDataset(c, pl.ChangeSet())
	return c
}

func statusOf(t *testing.T, ds *training.Dataset, id, course string) training.Status {
	t.Helper()
	o, ok := ds.Officers[id]
	if !ok {
		t.Fatalf("officer %s missing", id)
	}
	for _, c := range ds.Courses {
		if c.ID == course {
			return training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], pday).Status
		}
	}
	t.Fatalf("no course %s", course)
	return ""
}

func TestPlanDuplicates(t *testing.T) {
	d1 := training.DateFrom(2025, 3, 1)
	tests := []struct {
		name                    string
		layout                  planOpt
		recs                    []Record
		wantOfficers, wantComps int
		wantRejected, wantWarn  int
		wantIn                  string // a problem message contains this
	}{
		{"identical rows are one row", nil,
			[]Record{wideRec(4, "100", courseCell(cseID, CellCompleted, d1)), wideRec(9, "100", courseCell(cseID, CellCompleted, d1))},
			1, 1, 0, 1, "Row 9 repeats row 4"},
		{"rows that disagree are both rejected", nil,
			[]Record{wideRec(4, "100"), wideRec(9, "100", named("Someone Else")), wideRec(10, "200")},
			1, 0, 2, 0, "Rows 4 and 9"},
		{"two columns of one course give one completion", nil,
			[]Record{wideRec(4, "100", courseCell(cseID, CellCompleted, d1), courseCell(cseID, CellCompleted, d1), courseCell(cseID, CellCompleted, pLastYear))},
			1, 2, 0, 0, ""},
		{"leading zeros are the same officer", nil,
			[]Record{wideRec(4, "00100"), wideRec(5, "100", named("Other"))},
			0, 0, 2, 0, "Rows 4 and 5"},
		{"long: several courses per officer are normal", longLayout,
			[]Record{longRec(2, "100", cseID, d1, true), longRec(3, "100", ticID, d1, true)},
			0, 2, 0, 0, ""},
		{"long: several dates of one course are history", longLayout,
			[]Record{longRec(2, "100", cseID, d1, true), longRec(3, "100", cseID, pLastYear, true)},
			0, 2, 0, 0, ""},
		{"long: identical rows are one row", longLayout,
			[]Record{longRec(2, "100", cseID, d1, true), longRec(3, "100", cseID, d1, true)},
			0, 1, 0, 1, "Row 3 repeats row 2"},
		{"long: completed and not completed on one date disagree", longLayout,
			[]Record{longRec(2, "100", cseID, d1, true), longRec(3, "100", cseID, d1, false)},
			0, 0, 2, 0, "Rows 2 and 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []planOpt{}
			if tt.layout != nil {
				opts = append(opts, tt.layout)
			}
			pl := planOf(storeWith(), tt.recs, opts...)
			s := pl.Report.Summary
			if len(pl.ChangeSet().Officers) != tt.wantOfficers || len(pl.ChangeSet().Completions) != tt.wantComps {
				t.Errorf("officers %d completions %d, want %d %d", len(pl.ChangeSet().Officers), len(pl.ChangeSet().Completions), tt.wantOfficers, tt.wantComps)
			}
			if s.RowsRejected != tt.wantRejected || s.Warnings != tt.wantWarn {
				t.Errorf("rejected %d warnings %d, want %d %d", s.RowsRejected, s.Warnings, tt.wantRejected, tt.wantWarn)
			}
			found := tt.wantIn == ""
			for _, p := range pl.Report.Problems {
				found = found || strings.Contains(p.Reason, tt.wantIn)
				if p.RowRejected && (p.Sheet != "Roster" || p.Row == 0 || p.OfficerID == "") {
					t.Errorf("rejected-row problem not located: %+v", p)
				}
			}
			if !found {
				t.Errorf("no problem says %q: %+v", tt.wantIn, pl.Report.Problems)
			}
		})
	}
}

func TestPlanBlankNeverErases(t *testing.T) {
	done := training.DateFrom(2025, 6, 1)
	ds := storeWith("100")
	o := ds.Officers["100"]
	o.Rank, o.StartDate, o.LineManager = "PC", training.DateFrom(2010, 1, 4), "999"
	ds.Officers["100"] = o
	ds.Completions["100"] = []training.Completion{{OfficerID: "100", CourseID: cseID, Date: done}}
	tests := []struct {
		name string
		rec  Record
	}{
		{"blank course cell", wideRec(4, "100", courseCell(cseID, CellNone, training.Date{}))},
		{"blank email cell", wideRec(4, "100", withEmail(""))},
		{"blank unit cell", wideRec(4, "100", inUnit(""))},
		{"no rank, start date or manager column", wideRec(4, "100", without(FieldRank), without(FieldStartDate))},
		{"rank column present but cell in error", wideRec(4, "100", func(r *Record) { r.Has[FieldRank] = true; r.Has[FieldStartDate] = true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := planOf(ds, []Record{tt.rec}, fullUpload)
			got := applied(ds, pl)
			if want := ds.Officers["100"]; !sameOfficer(got.Officers["100"], want) {
				t.Errorf("officer changed:\n got %+v\nwant %+v", got.Officers["100"], want)
			}
			if len(got.Completions["100"]) != 1 || statusOf(t, got, "100", cseID) != training.StatusCompliant {
				t.Errorf("completion lost: %+v", got.Completions["100"])
			}
			if pl.Report.Summary.Unchanged != 1 || pl.Report.Outcome != training.OutcomeNoChange {
				t.Errorf("summary %+v outcome %s, want 1 unchanged, no_change", pl.Report.Summary, pl.Report.Outcome)
			}
		})
	}
}

func TestPlanLatestCompletionWins(t *testing.T) {
	older := training.DateFrom(2023, 1, 10)
	newer := training.DateFrom(2025, 2, 1)
	tests := []struct {
		name         string
		stored, file training.Date
	}{
		{"file brings a newer date", older, newer},
		{"file brings an older date", newer, older},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := storeWith("100")
			ds.Completions["100"] = []training.Completion{{OfficerID: "100", CourseID: ticID, Date: tt.stored}}
			got := applied(ds, planOf(ds, []Record{wideRec(4, "100", courseCell(ticID, CellCompleted, tt.file))}))
			if len(got.Completions["100"]) != 2 {
				t.Fatalf("history not kept: %+v", got.Completions["100"])
			}
			c := ds.Courses[1]
			cs := training.Evaluate(got.Officers["100"], c, got.Completions["100"], nil, pday)
			if cs.Completion == nil || cs.Completion.Date != newer || cs.Status != training.StatusCompliant {
				t.Errorf("evaluation used %+v (%s), want %s compliant", cs.Completion, cs.Status, newer)
			}
		})
	}
}

func TestPlanReimportChangesNothing(t *testing.T) {
	recs := []Record{
		wideRec(4, "100", courseCell(cseID, CellCompleted, pLastYear), courseCell(ticID, CellCompletedNoDate, training.Date{})),
		wideRec(5, "200", courseCell(cseID, CellExempt, training.Date{}), leaves),
	}
	ds := storeWith()
	first := planOf(ds, recs, fullUpload)
	if first.Report.Outcome != training.OutcomeApplied {
		t.Fatalf("first import: %s", first.Report.Message)
	}
	again := planOf(applied(ds, first), recs, fullUpload)
	if again.Report.Outcome != training.OutcomeNoChange || len(again.ChangeSet().Officers)+len(again.ChangeSet().Completions)+len(again.ChangeSet().Exemptions) != 0 {
		t.Errorf("second import: %s %+v", again.Report.Outcome, again.ChangeSet())
	}
	if again.Report.Summary.Unchanged != 2 {
		t.Errorf("unchanged = %d, want 2", again.Report.Summary.Unchanged)
	}
}

func TestPlanLeaverGuard(t *testing.T) {
	all := idRange(100)
	tests := []struct {
		name      string
		missing   int
		opts      []planOpt
		want      training.ImportOutcome
		confirmed bool
		leavers   int
		byStatus  int
	}{
		{"20% leavers is allowed", 20, nil, training.OutcomeApplied, false, 20, 0},
		{"just over 20% is refused", 21, nil, training.OutcomeRefused, true, 21, 0},
		{"leavers by status count too", 20, nil, training.OutcomeRefused, true, 21, 1},
		{"confirmed", 60, []planOpt{confirmed}, training.OutcomeApplied, false, 60, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := rowsFor(all[tt.missing:])
			for i := 0; i < tt.byStatus; i++ {
				recs[i] = wideRec(recs[i].Row, recs[i].ID, leaves)
			}
			pl := planOf(storeWith(all...), recs, append([]planOpt{fullUpload}, tt.opts...)...)
			r := pl.Report
			if r.Outcome != tt.want || r.NeedsConfirmation != tt.confirmed || r.Summary.Leavers != tt.leavers {
				t.Errorf("outcome %s confirmed %v leavers %d, want %s %v %d (%s)", r.Outcome, r.NeedsConfirmation, r.Summary.Leavers, tt.want, tt.confirmed, tt.leavers, r.Message)
			}
			if tt.confirmed && !strings.Contains(r.Message, "confirm") {
				t.Errorf("message does not ask to confirm: %s", r.Message)
			}
		})
	}
}

func TestPlanLeavers(t *testing.T) {
	tests := []struct {
		name       string
		ds         *training.Dataset
		recs       []Record
		opts       []planOpt
		wantLeaver map[string]bool
	}{
		{"by status", storeWith("1", "2", "3", "4", "5"), rowsFor([]string{"1", "2", "3", "4"}), nil,
			map[string]bool{"1": false, "5": false}},
		{"by absence in a full upload", storeWith("1", "2", "3", "4", "5"), rowsFor([]string{"1", "2", "3", "4"}), []planOpt{fullUpload},
			map[string]bool{"1": false, "5": true}},
		{"never by absence in a partial upload", storeWith("1", "2", "3", "4", "5"), rowsFor([]string{"1"}), nil,
			map[string]bool{"1": false, "2": false, "5": false}},
		{"status Leaver in a partial upload", storeWith("1", "2"), []Record{wideRec(4, "2", leaves)}, nil,
			map[string]bool{"1": false, "2": true}},
		{"new officer listed as a leaver", storeWith("1"), []Record{wideRec(4, "1"), wideRec(5, "9", leaves)}, []planOpt{fullUpload},
			map[string]bool{"1": false, "9": true}},
		{"a conflicting duplicate keeps the officer", storeWith("1", "2", "3", "4", "5", "6"),
			append(rowsFor([]string{"1", "2", "3", "4", "5"}), wideRec(20, "6"), wideRec(21, "6", named("X"))), []planOpt{fullUpload},
			map[string]bool{"6": false}},
		{"a row the reader rejected keeps the officer", storeWith("1", "2", "3", "4", "5", "6"),
			rowsFor([]string{"1", "2", "3", "4", "5"}),
			[]planOpt{fullUpload, withProblems(Problem{Severity: SeverityError, Row: 9, Reason: "x", RowRejected: true, OfficerID: "006"})},
			map[string]bool{"6": false}},
	}
	// "by status" needs officer 5 marked in the file
	tests[0].recs = append(tests[0].recs, wideRec(9, "5", leaves))
	tests[0].wantLeaver["5"] = true
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl := planOf(tt.ds, tt.recs, tt.opts...)
			if o := pl.Report.Outcome; o != training.OutcomeApplied && o != training.OutcomeNoChange {
				t.Fatalf("outcome %s: %s", pl.Report.Outcome, pl.Report.Message)
			}
			got := applied(tt.ds, pl)
			for id, want := range tt.wantLeaver {
				o := got.Officers[id]
				if o.Leaver != want || (want && o.LeftOn != pday) {
					t.Errorf("officer %s leaver=%v left=%s, want %v", id, o.Leaver, o.LeftOn, want)
				}
			}
		})
	}
}

func TestPlanLeaverReturns(t *testing.T) {
	ds := storeWith("1")
	o := ds.Officers["1"]
	o.Leaver, o.LeftOn = true, pLastYear
	ds.Officers["1"] = o
	for _, rec := range []Record{wideRec(4, "1"), wideRec(4, "1", without(FieldStatus))} {
		pl := planOf(ds, []Record{rec})
		got := applied(ds, pl).Officers["1"]
		if got.Leaver || !got.LeftOn.IsZero() || pl.Report.Changes.ReturnedTotal != 1 || got.FirstSeen != pLastYear {
			t.Errorf("returning officer: %+v, returned %d", got, pl.Report.Changes.ReturnedTotal)
		}
	}
}

func TestPlanOfficerUpsert(t *testing.T) {
	ds := storeWith("1", "2")
	recs := []Record{
		wideRec(4, "1"),                        // unchanged
		wideRec(5, "2", inUnit("Crime / CID")), // moved
		wideRec(6, "3", started(pLastYear)),    // new
	}
	pl := planOf(ds, recs)
	s := pl.Report.Summary
	if s.Added != 1 || s.Updated != 1 || s.Unchanged != 1 {
		t.Fatalf("summary %+v", s)
	}
	got := applied(ds, pl)
	if n := got.Officers["3"]; n.FirstSeen != pday || n.StartDate != pLastYear || n.Source.Row != 6 || n.Source.ImportID != "imp-test" || n.Source.File != "roster.xlsx" || n.Source.By != "hr.user" {
		t.Errorf("new officer %+v", n)
	}
	if m := got.Officers["2"]; m.FirstSeen != pLastYear || m.Unit != "Crime / CID" {
		t.Errorf("moved officer %+v", m)
	}
	mv := pl.Report.Changes.Moves
	if len(mv) != 1 || mv[0].From != "Frontline / North / Team 1" || mv[0].To != "Crime / CID" {
		t.Errorf("moves %+v", mv)
	}
	var in, out int
	for _, u := range pl.Report.Changes.ByUnit {
		in += u.MovedIn
		out += u.MovedOut
	}
	if in != 1 || out != 1 {
		t.Errorf("moves by unit: %+v", pl.Report.Changes.ByUnit)
	}
}

func TestPlanOrphanCompletions(t *testing.T) {
	d := training.DateFrom(2026, 5, 9)
	ds := storeWith("1")
	export := planOf(ds, []Record{longRec(2, "1", cseID, d, true), longRec(3, "77", cseID, d, true)}, longLayout)
	if s := export.Report.Summary; s.Completions != 2 || s.OrphanCompletions != 1 || export.Report.Changes.OrphansTotal != 1 {
		t.Fatalf("summary %+v", s)
	}
	ds = applied(ds, export)
	if _, ok := ds.Officers["77"]; ok {
		t.Fatal("a completion export must not create officers")
	}
	roster := planOf(ds, []Record{wideRec(4, "1"), wideRec(5, "77")}, fullUpload)
	ds = applied(ds, roster)
	if got := statusOf(t, ds, "77", cseID); got != training.StatusCompliant {
		t.Errorf("joined officer's earlier completion not counted: %s", got)
	}
	rep, err := training.BuildReport(ds, pday, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Courses[0]; c.Compliant != 2 || c.Required != 2 {
		t.Errorf("report %+v", c)
	}
}

func TestPlanUnknownDateOnce(t *testing.T) {
	yes := courseCell(cseID, CellCompletedNoDate, training.Date{})
	tests := []struct {
		name   string
		stored []training.Completion
		recs   []Record
		want   int
	}{
		{"first Yes is recorded", nil, []Record{wideRec(4, "1", yes)}, 1},
		{"Yes again adds nothing", []training.Completion{{OfficerID: "1", CourseID: cseID, Date: pLastYear, DateUnknown: true}}, []Record{wideRec(4, "1", yes)}, 0},
		{"Yes after a dated completion adds nothing", []training.Completion{{OfficerID: "1", CourseID: cseID, Date: pLastYear}}, []Record{wideRec(4, "1", yes)}, 0},
		{"long: Completed without date, dated row of same course in file", nil,
			[]Record{func() Record {
				r := longRec(2, "1", cseID, training.Date{}, true)
				r.DateUnknown = true
				return hashed(r)
			}(), longRec(3, "1", cseID, pLastYear, true)}, 0},
		{"long: Completed without date", nil,
			[]Record{func() Record {
				r := longRec(2, "1", cseID, training.Date{}, true)
				r.DateUnknown = true
				return hashed(r)
			}()}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := storeWith("1")
			ds.Completions["1"] = tt.stored
			var opts []planOpt
			if tt.recs[0].CourseName != "" {
				opts = append(opts, longLayout)
			}
			pl := planOf(ds, tt.recs, opts...)
			if got := pl.Report.Summary.CompletionsNoDate; got != tt.want {
				t.Fatalf("completions without date = %d, want %d", got, tt.want)
			}
			for _, c := range pl.ChangeSet().Completions {
				if c.DateUnknown && c.Date != pday {
					t.Errorf("unknown-date completion dated %s, want the import day", c.Date)
				}
			}
		})
	}
}

func TestPlanExemptions(t *testing.T) {
	ex := courseCell(ticID, CellExempt, training.Date{})
	ds := storeWith("1", "2")
	ds.Exemptions["2"] = []training.Exemption{{OfficerID: "2", CourseID: ticID}}
	pl := planOf(ds, []Record{wideRec(4, "1", ex), wideRec(5, "2", ex)})
	if pl.Report.Summary.Exemptions != 1 || len(pl.ChangeSet().Exemptions) != 1 {
		t.Fatalf("exemptions %+v", pl.ChangeSet().Exemptions)
	}
	if got := statusOf(t, applied(ds, pl), "1", ticID); got != training.StatusExempt {
		t.Errorf("status %s, want exempt", got)
	}
}

func TestPlanLongLayoutStatus(t *testing.T) {
	d := training.DateFrom(2026, 2, 3)
	other := longRec(4, "1", "", d, true)
	other.CourseName = "Officer Safety Training"
	recs := []Record{longRec(2, "1", cseID, d, false), longRec(3, "1", ticID, d, true), hashed(other),
		func() Record {
			r := longRec(5, "1", "", pLastYear, true)
			r.CourseName = "officer  safety training"
			return hashed(r)
		}()}
	pl := planOf(storeWith("1"), recs, longLayout)
	s := pl.Report.Summary
	if s.Completions != 1 || pl.ChangeSet().Completions[0].CourseID != ticID {
		t.Errorf("completions %+v", pl.ChangeSet().Completions)
	}
	if s.SkippedOtherCourses != 2 || len(pl.Report.Changes.SkippedCourses) != 1 || pl.Report.Changes.SkippedCourses[0].Rows != 2 {
		t.Errorf("skipped %d %+v", s.SkippedOtherCourses, pl.Report.Changes.SkippedCourses)
	}
	if s.Added+s.Updated+s.Leavers != 0 || len(pl.ChangeSet().Officers) != 0 {
		t.Errorf("a completion export changed officers: %+v", s)
	}
}

func TestPlanRefusals(t *testing.T) {
	cellErr := Problem{Severity: SeverityError, Sheet: "Roster", Row: 4, Column: "Start Date", Value: "31/02/2020", Reason: "not a date"}
	warn := Problem{Severity: SeverityWarning, Sheet: "Roster", Row: 4, Reason: "invalid email"}
	tests := []struct {
		name string
		opts []planOpt
		want training.ImportOutcome
		msg  string
	}{
		{"strictMode with a cell error", []planOpt{strictMode, withProblems(cellErr)}, training.OutcomeRefused, "Strict"},
		{"strictMode with a warning only", []planOpt{strictMode, withProblems(warn)}, training.OutcomeApplied, "Imported"},
		{"not strictMode with a cell error", []planOpt{withProblems(cellErr)}, training.OutcomeApplied, "Imported"},
		{"full completion export", []planOpt{fullUpload, longLayout}, training.OutcomeRefused, "cannot be a full roster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := []Record{wideRec(4, "1")}
			pl := planOf(storeWith(), recs, tt.opts...)
			if pl.Report.Outcome != tt.want || !strings.Contains(pl.Report.Message, tt.msg) {
				t.Errorf("%s: %s", pl.Report.Outcome, pl.Report.Message)
			}
		})
	}
}

func TestApplyConflictReplansOnce(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	ds, _ := st.Dataset(ctx)
	recs := []Record{wideRec(4, "1")}
	pl := planOf(ds, recs)
	replans := 0
	again := func(ds *training.Dataset) (*Planned, error) { replans++; return planOf(ds, recs), nil }

	st.conflicts = 1
	rep, err := apply(ctx, st, pl, again)
	if err != nil || rep.Outcome != training.OutcomeApplied || replans != 1 || st.applied != 1 {
		t.Fatalf("one conflict: %v %s replans %d applied %d", err, rep.Outcome, replans, st.applied)
	}

	st2 := newMemStore()
	st2.conflicts = 2
	rep, err = apply(ctx, st2, planOf(ds, recs), again)
	if err == nil || rep.Outcome != training.OutcomeFailed || st2.applied != 0 {
		t.Errorf("two conflicts: %v %s applied %d", err, rep.Outcome, st2.applied)
	}

	// The same file applied by someone else meanwhile: no change.
	st3 := newMemStore()
	st3.conflicts = 1
	st3.before = func(m *memStore) {
		m.imports = append(m.imports, training.ImportRecord{FileHash: "abc", Outcome: training.OutcomeApplied, By: "other", At: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)})
	}
	rep, err = apply(ctx, st3, planOf(ds, recs), again)
	if err != nil || rep.Outcome != training.OutcomeNoChange || !strings.Contains(rep.Message, "already imported on 24/11/2026 by other") {
		t.Errorf("applied meanwhile: %v %s %q", err, rep.Outcome, rep.Message)
	}
}

func TestApplyDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	ds, _ := st.Dataset(ctx)
	pl := planOf(ds, []Record{wideRec(4, "1")}, func(in *PlanInput) { in.DryRun = true })
	rep, err := apply(ctx, st, pl, nil)
	if err != nil || rep.Outcome != training.OutcomeApplied || !strings.Contains(rep.Message, "Dry run") {
		t.Fatalf("%v %s %s", err, rep.Outcome, rep.Message)
	}
	if err := logAttempt(ctx, st, rep); err != nil {
		t.Fatal(err)
	}
	if st.applied != 0 || len(st.imports) != 0 {
		t.Errorf("dry run wrote: applied %d, log %d", st.applied, len(st.imports))
	}
}
