package importers

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// Who people are (docs/ROSTERS.md, "Who people are"): role, staff type and
// in-post date, read, planned and applied.

func TestPostHeaders(t *testing.T) {
	tests := map[Field][]string{
		FieldRole:        {"Role", "Job title", "Job", "Position", "Post", "Post title"},
		FieldStaffType:   {"Staff type", "Officer/Staff", "Officer / Staff", "Employee group", "Person type", "Staff category", "Worker category"},
		FieldInPostSince: {"In post since", "Position start date", "Date in post", "Assignment start date", "Job assignment start date"},
		// The wordings next to them keep their fields.
		FieldRank:      {"Rank", "Grade", "Rank/Grade", "Rank, Grade"},
		FieldStartDate: {"Start Date", "Date Joined"},
	}
	for field, variants := range tests {
		for _, v := range variants {
			for _, h := range []string{v, strings.ToUpper(v), " " + v + " ", v + " (dd/mm/yyyy)"} {
				if got := fieldOf(h); got != field {
					t.Errorf("fieldOf(%q) = %q, want %q", h, got, field)
				}
			}
		}
	}
	// A start date of a post is not the joining date, even when a header
	// is only near a known wording.
	for h, want := range map[string]Field{"Current position start date": FieldInPostSince, "Job assignment start date (primary)": FieldInPostSince,
		"Force start date": FieldStartDate} {
		if got := fuzzyField(h); got != want {
			t.Errorf("fuzzyField(%q) = %q, want %q", h, got, want)
		}
	}
	// All in one header row: each column to its own field.
	p := planHeader([]string{"Warrant No", "Grade", "Position", "Start Date", "Position start date", "Employee group"}, 1, nil)
	want := []Field{FieldID, FieldRank, FieldRole, FieldStartDate, FieldInPostSince, FieldStaffType}
	for i, c := range p.columns {
		if c.Field != want[i] {
			t.Errorf("column %q mapped to %q, want %q", c.Header, c.Field, want[i])
		}
	}
}

func TestPostStaffTypeCells(t *testing.T) {
	var b strings.Builder
	b.WriteString("Warrant No,Name,Staff type\n")
	words := training.StaffTypeWordings()
	for i, w := range words {
		b.WriteString(strings.Join([]string{itoa(100 + i), "P " + itoa(i), strings.ToLower(w)}, ",") + "\n")
	}
	b.WriteString("999,Unknown Person,Contractor\n")
	_, probs, recs, err := readBytes(t, []byte(b.String()), "staff.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range words {
		want, _ := training.ParseStaffType(w)
		if got := recs[i].StaffType; got != want || want == "" {
			t.Errorf("row %q: staff type %q, want %q", w, got, want)
		}
	}
	last := recs[len(recs)-1]
	if last.ID != "999" || last.StaffType != "" {
		t.Errorf("unknown wording read as %+v", last)
	}
	if len(probs) != 1 {
		t.Fatalf("problems %+v, want one", probs)
	}
	pr := probs[0]
	if pr.Severity != SeverityError || pr.Row != len(words)+2 || pr.Column != "Staff type" || pr.Value != "Contractor" || pr.RowRejected {
		t.Errorf("problem %+v", pr)
	}
	for _, s := range []string{`Muster does not know "Contractor"`, `"Police Officer"`, `"Special Constabulary"`, `"PSV"`, `or "PSV"`} {
		if !strings.Contains(pr.Reason, s) {
			t.Errorf("reason %q does not say %s", pr.Reason, s)
		}
	}
}

const postCSV = "Warrant No,Name,Unit,Job title,Staff type,Date in post\n" +
	"1001,Ann Able,Frontline / North / Team 1,Response Officer,Police Officer,01/03/2024\n" +
	"1002,Ben Bold,Frontline / North / Team 1,Call Handler,Police Staff,15/06/2025\n"

func TestPostFieldsPlannedAndApplied(t *testing.T) {
	st := newMemStore()
	rep, err := runFile(t, st, "roster.csv", postCSV, Options{Full: true})
	if err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("first: %v %+v", err, rep)
	}
	ann := st.ds.Officers["1001"]
	if ann.Role != "Response Officer" || ann.StaffType != training.StaffOfficer || ann.InPostSince != training.NewDate(2024, 3, 1) {
		t.Fatalf("stored %+v", ann)
	}
	if b := st.ds.Officers["1002"]; b.Role != "Call Handler" || b.StaffType != training.StaffStaff || b.InPostSince != training.NewDate(2025, 6, 15) {
		t.Fatalf("stored %+v", b)
	}

	// Ann moves to the control room: a change the preview lists and counts.
	moved := strings.Replace(postCSV, "Response Officer,Police Officer,01/03/2024", "Call Handler,Police Staff,02/11/2026", 1)
	rep, err = runFile(t, st, "roster2.csv", moved, Options{Full: true, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Updated != 1 || rep.Summary.Unchanged != 1 || rep.Changes.PostsTotal != 1 || len(rep.Changes.Posts) != 1 {
		t.Fatalf("preview summary %+v, posts %d %+v", rep.Summary, rep.Changes.PostsTotal, rep.Changes.Posts)
	}
	want := PostChange{OfficerID: "1001", Name: "Ann Able", Unit: "Frontline / North / Team 1", Row: 2,
		RoleFrom: "Response Officer", RoleTo: "Call Handler", StaffTypeFrom: training.StaffOfficer, StaffTypeTo: training.StaffStaff,
		InPostSinceFrom: training.NewDate(2024, 3, 1), InPostSinceTo: training.NewDate(2026, 11, 2)}
	if got := rep.Changes.Posts[0]; got != want {
		t.Errorf("post change\n got %+v\nwant %+v", got, want)
	}
	if len(rep.Changes.ByUnit) != 1 || rep.Changes.ByUnit[0].PostChanged != 1 {
		t.Errorf("by unit %+v", rep.Changes.ByUnit)
	}
	if st.ds.Officers["1001"].Role != "Response Officer" {
		t.Fatal("a dry run wrote")
	}
	rep, err = runFile(t, st, "roster2.csv", moved, Options{Full: true})
	if err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("apply: %v %+v", err, rep)
	}
	if a := st.ds.Officers["1001"]; a.Role != "Call Handler" || a.StaffType != training.StaffStaff || a.InPostSince != training.NewDate(2026, 11, 2) {
		t.Fatalf("after the move %+v", a)
	}

	// A roster without the columns, or with blank cells, keeps what is known.
	plain := "Warrant No,Name,Unit,Job title,Staff type,Date in post\n" +
		"1001,Ann Able,Frontline / North / Team 1,,,\n" +
		"1002,Ben Bold,Frontline / North / Team 1,,,\n"
	for name, file := range map[string]string{"without the columns": rosterWithout(), "with blank cells": plain} {
		before := st.ds.Officers["1001"]
		rep, err = runFile(t, st, name+".csv", file, Options{Full: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Changes.PostsTotal != 0 {
			t.Errorf("%s: post changes %+v", name, rep.Changes.Posts)
		}
		a := st.ds.Officers["1001"]
		if a.Role != before.Role || a.StaffType != before.StaffType || a.InPostSince != before.InPostSince {
			t.Errorf("%s: post changed to %q %q %s", name, a.Role, a.StaffType, a.InPostSince)
		}
	}
}

// rosterWithout is postCSV without its post columns.
func rosterWithout() string {
	return "Warrant No,Name,Unit\n" +
		"1001,Ann Able,Frontline / North / Team 1\n" +
		"1002,Ben Bold,Frontline / North / Team 1\n"
}

// A person's mapping names the new fields too.
func TestPostFieldsMapped(t *testing.T) {
	file := "Pers.No.,Name,Beschäftigtengruppe,Planstelle,Seit\n" +
		"1001,Ann Able,Special,Special Sergeant,01/01/2026\n"
	var rules []training.MappingRule
	for _, s := range []string{"Pers.No.=id", "Beschäftigtengruppe=staff_type", "Planstelle=role", "Seit=in_post_since"} {
		r, err := ParseMappingRule(s)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	st := newMemStore()
	rep, err := runFile(t, st, "m.csv", file, Options{Mapping: rules})
	if err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("%v %+v", err, rep)
	}
	a := st.ds.Officers["1001"]
	if a.Role != "Special Sergeant" || a.StaffType != training.StaffSpecial || a.InPostSince != training.NewDate(2026, 1, 1) {
		t.Fatalf("stored %+v", a)
	}
	choices := map[Field]bool{}
	for _, c := range FieldChoices() {
		choices[c.Field] = true
	}
	for _, f := range []Field{FieldRole, FieldStaffType, FieldInPostSince} {
		if !choices[f] {
			t.Errorf("the pick list has no %q", f)
		}
	}
}

// A completion export's post columns are not read: it never changes who
// a person is, so a code in its "Position" column is no cell error.
func TestPostColumnsOfACompletionExport(t *testing.T) {
	file := "Staff ID,Name,Position,Staff type,Course,Completion Date\n" +
		"1001,Ann Able,3,Contractor,CSE recognition,01/02/2026\n"
	det, probs, recs, err := readBytes(t, []byte(file), "lms.csv", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.Layout != LayoutLong || len(recs) != 1 || len(probs) != 0 {
		t.Fatalf("layout %s, %d records, problems %+v", det.Layout, len(recs), probs)
	}
	if r := recs[0]; r.Role != "" || r.StaffType != "" || r.Has[FieldRole] || r.Has[FieldStaffType] {
		t.Errorf("record %+v", r)
	}
}
