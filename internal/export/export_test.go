package export

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"O'Brien", "O'Brien"},
		{"Zoë", "Zoë"},
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+44 20", "'+44 20"},
		{"-1+2", "'-1+2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"Frontline Policing", "Frontline Policing"},
	}
	for _, tt := range tests {
		if got := SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var asOf = training.DateFrom(2026, 11, 24)

// fixture is a small force with hostile and accented names.
func fixture(t *testing.T) (*training.Dataset, *training.Report, []training.OfficerStatus) {
	t.Helper()
	d := func(y, m, dd int) training.Date { return training.DateFrom(y, time.Month(m), dd) }
	ds := &training.Dataset{
		Courses: training.DefaultCourses(),
		Officers: map[string]training.Officer{
			"1": {ID: "1", DisplayID: "0001", Name: `=HYPERLINK("http://evil.example","click")`, Unit: "Frontline / North / Team A", StartDate: d(2020, 1, 1)},
			"2": {ID: "2", DisplayID: "0002", Name: "Seán O'Brien", Unit: "Frontline / North / Team A", Rank: "-1+2", StartDate: d(2020, 1, 1)},
			"3": {ID: "3", DisplayID: "0003", Name: "Zoë Smith", Unit: "@SUM(A1)", Email: "zoe@example.org", StartDate: d(2020, 1, 1)},
			"4": {ID: "4", DisplayID: "0004", Name: "Left Person", Unit: "Frontline / South", Leaver: true},
		},
		Completions: map[string][]training.Completion{
			"2": {{OfficerID: "2", CourseID: "cse-recognition", Date: d(2026, 1, 10)}},
			"3": {{OfficerID: "3", CourseID: "cse-recognition", Date: d(2026, 2, 10)}, {OfficerID: "3", CourseID: "trauma-informed-communication", Date: d(2026, 2, 11)}},
		},
		Exemptions: map[string][]training.Exemption{},
	}
	r, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	list := training.ListOfficers(ds, asOf, training.OfficerFilter{Status: training.StatusOverdue, Scope: training.Scope{All: true}})
	return ds, r, list
}

func TestReportXLSX(t *testing.T) {
	ds, r, overdue := fixture(t)
	var buf bytes.Buffer
	if err := ReportXLSX(&buf, r, overdue, ds.Courses); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	wantSheets := []string{"Summary", "Chart", "Overdue - CSE recognition", "Overdue - Trauma-informed commu"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets = %q, want %q", got, wantSheets)
	}
	cells := map[string]string{
		"A3": "Unit", "C2": "CSE recognition", "C3": "% compliant",
		"A4": "Whole force", "D4": "3", "E4": "2", // required, compliant (CSE)
		"A5": "'@SUM(A1)", "B5": "'@SUM(A1)",
		"A6": "Frontline", "A7": "North", "A8": "Team A", "B8": "Frontline / North / Team A",
	}
	for ref, want := range cells {
		got, err := f.GetCellValue("Summary", ref)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Summary!%s = %q, want %q", ref, got, want)
		}
	}
	if raw, _ := f.GetCellValue("Summary", "C4", excelize.Options{RawCellValue: true}); raw != "66.7" {
		t.Errorf("Summary!C4 raw = %q, want 66.7", raw)
	}
	cf, err := f.GetConditionalFormats("Summary")
	if err != nil || len(cf) != 2 {
		t.Errorf("conditional formats = %v (%v), want one range per course", cf, err)
	}
	panes, err := f.GetPanes("Summary")
	if err != nil || !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("panes = %+v (%v), want frozen header", panes, err)
	}
	if v, _ := f.GetCellValue("Chart", "A3"); v != "Frontline" {
		t.Errorf("Chart!A3 = %q", v)
	}
	chart := zipEntry(t, buf.Bytes(), "xl/charts/chart1.xml")
	if chart == "" {
		t.Fatal("no native chart in the workbook")
	}
	if n := strings.Count(chart, "<ser>") + strings.Count(chart, "<c:ser>"); n != 2 || !strings.Contains(chart, "Chart!$A$2:$A$3") || !strings.Contains(chart, `<varyColors val="0">`) {
		t.Errorf("chart: %d series (want one per course) over the top-level units, one colour per series:\n%.2000s", n, chart)
	}
	// Overdue on CSE: officer 1 only (2 and 3 completed in 2026).
	rows, err := f.GetRows("Overdue - CSE recognition")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("overdue CSE rows = %q", rows)
	}
	if got := rows[2][1]; got != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("injected name = %q", got)
	}
	if fm, _ := f.GetCellFormula("Overdue - CSE recognition", "B3"); fm != "" {
		t.Errorf("name became a formula %q", fm)
	}
	if got := rows[2][6]; got != "31/03/2026" {
		t.Errorf("due date cell = %q, want 31/03/2026", got)
	}
	rows, _ = f.GetRows("Overdue - Trauma-informed commu")
	names := ""
	for _, r := range rows[2:] {
		names += r[1] + "|" + r[2] + ";"
	}
	if !strings.Contains(names, "Seán O'Brien|'-1+2;") {
		t.Errorf("trauma overdue rows = %q, want O'Brien intact and rank neutralised", names)
	}
}

func TestOfficersXLSXAndCSV(t *testing.T) {
	ds, _, _ := fixture(t)
	list := training.ListOfficers(ds, asOf, training.OfficerFilter{Scope: training.Scope{All: true}, Leavers: true})
	var buf bytes.Buffer
	if err := OfficersXLSX(&buf, list, ds.Courses); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Officers")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Fatalf("rows = %d, want header + 4", len(rows))
	}
	all := ""
	for _, r := range rows {
		all += strings.Join(r, "|") + "\n"
	}
	for _, want := range []string{"'@SUM(A1)", "Zoë Smith", "Seán O'Brien", `'=HYPERLINK(`, "'-1+2", "Leaver", "Compliant", "10/01/2026"} {
		if !strings.Contains(all, want) {
			t.Errorf("officers sheet lacks %q:\n%s", want, all)
		}
	}

	buf.Reset()
	if err := OfficersCSV(&buf, list, ds.Courses); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || len(recs[0]) != 10+4*len(ds.Courses) {
		t.Fatalf("csv shape %dx%d", len(recs), len(recs[0]))
	}
	for _, rec := range recs {
		for _, v := range rec {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Errorf("csv cell %q starts with a formula character", v)
			}
		}
	}
}

func TestReportCSV(t *testing.T) {
	_, r, _ := fixture(t)
	var buf bytes.Buffer
	if err := ReportCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// header + 6 nodes (root, @SUM, Frontline, North, Team A, ... ) × 2 courses
	nodes := 0
	r.Walk(func(*training.ReportNode) { nodes++ })
	if len(recs) != 1+nodes*2 {
		t.Fatalf("records = %d, want %d", len(recs), 1+nodes*2)
	}
	want := []string{"2026-11-24", "", "0", "cse-recognition", "CSE recognition", "66.7", "3", "2", "1", "0", "0", "0", "Whole force"}
	if strings.Join(recs[1], ",") != strings.Join(want, ",") {
		t.Errorf("first row = %q, want %q", recs[1], want)
	}
	if recs[3][1] != "'@SUM(A1)" {
		t.Errorf("unit not neutralised: %q", recs[3][1])
	}
}

func TestReportTable(t *testing.T) {
	_, r, _ := fixture(t)
	var buf bytes.Buffer
	if err := ReportTable(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"CSE recognition (cse-recognition) as of 2026-11-24",
		"\nWhole force ",
		"\n  Frontline ",
		"\n    North ",
		"\n      Team A ",
		"66.7%",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// Every data line of a block has the same width (aligned columns).
	block := strings.Split(strings.Split(out, "\n\n")[0], "\n")
	w := len([]rune(block[1]))
	for _, l := range block[2:] {
		if l != "" && len([]rune(l)) != w {
			t.Errorf("line %q is %d wide, header %d", l, len([]rune(l)), w)
		}
	}
}

// zipEntry returns one file of an xlsx package ("" when absent).
func zipEntry(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(data)
		}
	}
	return ""
}
