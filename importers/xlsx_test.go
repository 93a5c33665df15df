package importers

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

// sheetSpec describes one sheet of a workbook built for a test.
type sheetSpec struct {
	name   string
	rows   [][]any // row i goes to row i+1; nil rows stay blank
	merges [][2]string
}

// buildXLSX writes a workbook with excelize and returns its bytes.
func buildXLSX(t testing.TB, date1904 bool, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		yes := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range s.merges {
			if err := f.MergeCell(s.name, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// readBytes runs Read over b.
func readBytes(t testing.TB, b []byte, name string, opts ReadOptions) (*Detection, []Problem, []Record, error) {
	t.Helper()
	var recs []Record
	det, probs, err := Read(bytes.NewReader(b), int64(len(b)), name, opts, func(r Record) error {
		recs = append(recs, r)
		return nil
	})
	return det, probs, recs, err
}

var testToday = training.DateFrom(2026, 11, 24)

func testOpts() ReadOptions { return ReadOptions{Courses: training.DefaultCourses(), Today: testToday} }

func summarySheet() sheetSpec {
	return sheetSpec{name: "Summary", rows: [][]any{{"Training compliance roster"}, nil, {"Data is on the next sheet. Name of officer lists."}}}
}

func rosterSheet(name string) sheetSpec {
	return sheetSpec{name: name, merges: [][2]string{{"A1", "F1"}}, rows: [][]any{
		{"Metropolitan Police Service — Training roster"},
		{"Exported 01/11/2026"},
		nil,
		{"Warrant\u00a0No", "SURNAME", "forename", "Team Path", "CSE recognition – date completed", "TIC (e-learning)", "Employment Status", "Start Date"},
		{"0012345", "O'Brien", "Siobhán", "Frontline > North > CID", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), "Yes", "Active", 45366},
		{12346, "Evans", "Zoë", "Frontline / North / CID", "15/03/24", "Exempt", "Leaver", "15 March 2024"},
		nil,
		{12347.0, "Khan", "Aisha", "Frontline/North/Response", "03/15/2024", "N/A"}, // ragged: ends early
		{"", "Nobody", "Someone", "Frontline"},
		{"12348", "Hall", "Ewa", "Frontline", 45366.0, time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC), "left", "31/02/2024"},
		nil,
		{"", "Total: 4"},
	}}
}

func TestReadXLSX(t *testing.T) {
	b := buildXLSX(t, false, summarySheet(), rosterSheet("Roster"), sheetSpec{name: "Notes", rows: [][]any{{"Notes"}}})
	det, probs, recs, err := readBytes(t, b, "roster.xlsx", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.Format != "xlsx" || det.Sheet != "Roster" || det.HeaderRow != 4 || det.Layout != LayoutWide || det.Rows != 5 || det.TotalRow != 12 {
		t.Fatalf("detection = %+v", det)
	}
	if !equalStrings(det.Sheets, []string{"Summary", "Roster", "Notes"}) {
		t.Errorf("sheets = %q", det.Sheets)
	}
	if len(recs) != 4 {
		t.Fatalf("records = %d, want 4", len(recs))
	}
	r := recs[0]
	if r.Row != 5 || r.ID != "12345" || r.DisplayID != "0012345" || r.Name != "Siobhán O'Brien" || r.Unit != "Frontline / North / CID" ||
		r.Leaver || r.StartDate != d(2024, 3, 15) {
		t.Errorf("row 5 = %+v", r)
	}
	if r.Courses[0] != (CourseCell{CourseID: "cse-recognition", Kind: CellCompleted, Date: d(2024, 3, 15)}) ||
		r.Courses[1] != (CourseCell{CourseID: "trauma-informed-communication", Kind: CellCompletedNoDate}) {
		t.Errorf("row 5 courses = %+v", r.Courses)
	}
	r = recs[1]
	if r.Row != 6 || r.ID != "12346" || r.DisplayID != "12346" || !r.Leaver || r.StartDate != d(2024, 3, 15) ||
		r.Courses[0].Date != d(2024, 3, 15) || r.Courses[1].Kind != CellExempt {
		t.Errorf("row 6 = %+v", r)
	}
	r = recs[2]
	if r.Row != 8 || r.ID != "12347" || r.DisplayID != "12347" || r.Courses[0].Kind != CellNone || r.Courses[1].Kind != CellExempt ||
		!r.StartDate.IsZero() || r.Unit != "Frontline / North / Response" {
		t.Errorf("row 8 = %+v", r)
	}
	r = recs[3]
	if r.Row != 10 || !r.Leaver || r.Courses[0].Date != d(2024, 3, 15) || r.Courses[1].Kind != CellNone || !r.StartDate.IsZero() {
		t.Errorf("row 10 = %+v", r)
	}
	for _, rec := range recs {
		for _, f := range []Field{FieldID, FieldName, FieldUnit, FieldStatus, FieldStartDate, FieldCourseColumn} {
			if !rec.Has[f] {
				t.Errorf("Has[%s] not set", f)
			}
		}
		if rec.Has[FieldEmail] || rec.Has[FieldRank] {
			t.Errorf("Has marks fields the file lacks: %v", rec.Has)
		}
	}
	want := []Problem{
		{Severity: SeverityError, Sheet: "Roster", Row: 8, Column: "CSE recognition – date completed", Letter: "E", Value: "03/15/2024",
			Reason: "This completion was not recorded: month 15 does not exist — dates must be day/month/year.", OfficerID: "12347", Name: "Aisha Khan"},
		{Severity: SeverityError, Sheet: "Roster", Row: 9, Column: "Warrant No", Letter: "A",
			Reason: `This row has no "Warrant No", so it was not imported.`, RowRejected: true},
		{Severity: SeverityError, Sheet: "Roster", Row: 10, Column: "TIC (e-learning)", Letter: "F", Value: "01/05/2031",
			Reason: "This completion was not recorded: the date 01/05/2031 is in the future (today is 24/11/2026).", OfficerID: "12348", Name: "Ewa Hall"},
		{Severity: SeverityError, Sheet: "Roster", Row: 10, Column: "Start Date", Letter: "H", Value: "31/02/2024",
			Reason: "The start date was not imported: February 2024 has no day 31.", OfficerID: "12348", Name: "Ewa Hall"},
	}
	if len(probs) != len(want) {
		t.Fatalf("problems = %+v", probs)
	}
	for i := range want {
		if probs[i] != want[i] {
			t.Errorf("problem %d = %+v\n want %+v", i, probs[i], want[i])
		}
	}
}

func TestReadXLSXSheetChoice(t *testing.T) {
	b := buildXLSX(t, false, summarySheet(), sheetSpec{name: "Old", rows: [][]any{{"Staff ID", "Name"}, {"1", "A"}}}, rosterSheet("Roster"))
	tests := []struct {
		sheet   string
		want    string
		wantErr string
	}{
		{"", "Roster", ""},
		{"old", "Old", ""},
		{" Roster ", "Roster", ""},
		{"Summary", "", `No header row was found in sheet "Summary"`},
		{"Data", "", `There is no sheet named "Data" in this workbook; its sheets are: "Summary", "Old" and "Roster".`},
	}
	for _, tc := range tests {
		opts := testOpts()
		opts.Sheet = tc.sheet
		det, _, _, err := readBytes(t, b, "x.xlsx", opts)
		if tc.wantErr != "" {
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, training.ErrInvalid) || !strings.Contains(fe.Reason, tc.wantErr) {
				t.Errorf("sheet %q: err = %v, want %q", tc.sheet, err, tc.wantErr)
			}
			continue
		}
		if err != nil || det.Sheet != tc.want {
			t.Errorf("sheet %q: got %v, %v; want %q", tc.sheet, det, err, tc.want)
		}
	}
}

func TestReadXLSXSummaryRepeatingHeaders(t *testing.T) {
	headers := []any{"Warrant No", "Name", "CSE"}
	b := buildXLSX(t, false,
		sheetSpec{name: "Summary", rows: [][]any{{"Columns used on the Roster sheet:"}, headers}},
		sheetSpec{name: "Roster", rows: [][]any{headers, {"1", "Jo", "Yes"}, {"2", "Sam", "No"}}})
	det, _, recs, err := readBytes(t, b, "x.xlsx", testOpts())
	if err != nil || det.Sheet != "Roster" || len(recs) != 2 {
		t.Errorf("%v, sheet %q, %d records", err, det.Sheet, len(recs))
	}
}

func TestReadXLSXNoHeader(t *testing.T) {
	b := buildXLSX(t, false, summarySheet(), sheetSpec{name: "Other", rows: [][]any{{"Shift", "Base"}, {"Earlies", "North"}}})
	_, _, _, err := readBytes(t, b, "x.xlsx", testOpts())
	if err == nil || !strings.Contains(err.Error(), "No header row was found in any sheet") || !errors.Is(err, training.ErrInvalid) {
		t.Errorf("err = %v", err)
	}
}

func TestReadXLSXAmbiguousHeader(t *testing.T) {
	b := buildXLSX(t, false, sheetSpec{name: "S", rows: [][]any{{"Warrant No", "Name", "CSE / TIC"}, {"1", "A", "Yes"}}})
	_, _, _, err := readBytes(t, b, "x.xlsx", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, `Column C ("CSE / TIC") matches the courses "CSE recognition" and "Trauma-informed communication" equally`) {
		t.Errorf("err = %v", err)
	}
}

func TestReadXLSXDate1904(t *testing.T) {
	b := buildXLSX(t, true, sheetSpec{name: "S", rows: [][]any{
		{"Warrant No", "Start Date", "CSE"},
		{"1", time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)},
	}})
	det, probs, recs, err := readBytes(t, b, "mac.xlsx", testOpts())
	if err != nil || len(probs) != 0 || len(recs) != 1 {
		t.Fatalf("%v %+v %d", err, probs, len(recs))
	}
	if !det.Date1904 || recs[0].StartDate != d(2020, 2, 29) || recs[0].Courses[0].Date != d(2024, 3, 15) {
		t.Errorf("1904 workbook: %v %+v", det.Date1904, recs[0])
	}
}

func TestReadXLSXLongLayout(t *testing.T) {
	b := buildXLSX(t, false, sheetSpec{name: "Export", rows: [][]any{
		{"Employee No", "Module", "Result", "Completion Date"},
		{"1", "CSE awareness", "Passed", time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)},
		{"1", "Officer safety", "Completed", "15/03/2024"},
	}})
	det, _, recs, err := readBytes(t, b, "e.xlsx", testOpts())
	if err != nil || det.Layout != LayoutLong || len(recs) != 2 {
		t.Fatalf("%v %+v", err, det)
	}
	if !recs[0].Completed || recs[0].CourseID != "cse-recognition" || recs[0].Date != d(2024, 3, 15) {
		t.Errorf("row 2 = %+v", recs[0])
	}
	if recs[1].CourseID != "" || recs[1].CourseName != "Officer safety" || !recs[1].Completed {
		t.Errorf("row 3 = %+v", recs[1])
	}
}

func TestReadXLSXRepeatedHeaderAndFnError(t *testing.T) {
	b := buildXLSX(t, false, sheetSpec{name: "S", rows: [][]any{
		{"Warrant No", "Name"}, {"1", "A"}, {"Warrant No", "Name"}, {"2", "B"}, {"3", "C"},
	}})
	n := 0
	stop := errors.New("stop")
	_, _, err := Read(bytes.NewReader(b), int64(len(b)), "s.xlsx", testOpts(), func(r Record) error {
		n++
		if r.ID == "2" {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("err %v after %d records", err, n)
	}
}

func TestReadLimits(t *testing.T) {
	rows := [][]any{{"Warrant No", "Name"}}
	for i := 0; i < 20; i++ {
		rows = append(rows, []any{i + 1, "X"})
	}
	b := buildXLSX(t, false, sheetSpec{name: "S", rows: rows})
	csvData := []byte("Warrant No,Name\n1,A\n2,B\n3,C\n")
	tests := []struct {
		name   string
		data   []byte
		limits Limits
		want   string
	}{
		{"rows xlsx", b, Limits{MaxRows: 10}, "more than 10 data rows"},
		{"rows csv", csvData, Limits{MaxRows: 2}, "more than 2 data rows"},
		{"bytes", b, Limits{MaxBytes: 1000}, "larger than the 1000 bytes Muster accepts"},
		{"unzip", b, Limits{MaxUnzipBytes: 2000}, "sheets unpack to more than 2 KB"},
		{"bomb", zipBomb(t, 3<<20), Limits{MaxUnzipBytes: 1 << 20}, "sheets unpack to more than 1 MB"},
	}
	for _, tc := range tests {
		opts := testOpts()
		opts.Limits = tc.limits
		_, _, _, err := readBytes(t, tc.data, "f", opts)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Reason, tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	// Under the limits, the bomb's 3 MB run of spaces between rows is
	// still refused, by the byte budget (an XML parser would build it).
	_, _, _, err := readBytes(t, zipBomb(t, 3<<20), "f", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, `The sheet "Roster" holds a text of more than 32,767 characters outside its cells`) {
		t.Errorf("bomb under default limits: %v", err)
	}
	// A file under every limit reads.
	if _, _, recs, err := readBytes(t, b, "f", testOpts()); err != nil || len(recs) != 20 {
		t.Errorf("under default limits: %v, %d records", err, len(recs))
	}
}

func TestReadProgress(t *testing.T) {
	rows := [][]any{{"Warrant No", "Name"}}
	for i := 0; i < 2500; i++ {
		rows = append(rows, []any{i + 1, "X"})
	}
	b := buildXLSX(t, false, sheetSpec{name: "S", rows: rows})
	var calls []int
	opts := testOpts()
	opts.Progress = func(n int) { calls = append(calls, n) }
	if _, _, _, err := readBytes(t, b, "p.xlsx", opts); err != nil {
		t.Fatal(err)
	}
	if !equalInts(calls, []int{1000, 2000, 2500}) {
		t.Errorf("progress calls = %v", calls)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReadXLSXTwoRowHeader: a group title merged over the course columns,
// with the course names in the row below.
func TestReadXLSXTwoRowHeader(t *testing.T) {
	b := buildXLSX(t, false, sheetSpec{name: "Roster", merges: [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "D1"}}, rows: [][]any{
		{"Warrant No", "Name", "Mandatory training"},
		{nil, nil, "CSE", "TIC"},
		{"1", "Jo Smith", "15/03/2024", "Yes"},
		{"2", "Sam Jones", "", "Exempt"},
	}})
	det, probs, recs, err := readBytes(t, b, "two.xlsx", testOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.HeaderRow != 1 || det.Layout != LayoutWide || det.Rows != 2 || len(probs) != 0 || len(recs) != 2 {
		t.Fatalf("detection %+v, problems %+v", det, probs)
	}
	if recs[0].Row != 3 || recs[0].Courses[0].Date != d(2024, 3, 15) || recs[0].Courses[1].Kind != CellCompletedNoDate || recs[1].Courses[1].Kind != CellExempt {
		t.Errorf("records = %+v", recs)
	}
	// A single header row followed by a data row without an ID is not a second header.
	b = buildXLSX(t, false, sheetSpec{name: "S", rows: [][]any{
		{"Warrant No", "Name", "CSE"}, {nil, "No ID", "15/03/2024"}, {"1", "Jo", "Yes"},
	}})
	det, probs, recs, err = readBytes(t, b, "one.xlsx", testOpts())
	if err != nil || det.Rows != 2 || len(recs) != 1 || len(probs) != 1 || !probs[0].RowRejected || probs[0].Row != 2 {
		t.Errorf("%v %+v %+v %+v", err, det, recs, probs)
	}
}
