package importers

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/muster-police/muster/internal/testenv"
	"github.com/muster-police/muster/training"
)

// sampleDirs are where the shared sample rosters may be: the copy kept in
// the repository (testdata/samples at the root), else ../shared/samples
// beside the repository.
var sampleDirs = []string{filepath.Join("..", "testdata", "samples"), filepath.Join("..", "..", "shared", "samples")}

// readPath reads a file with Read and collects its records.
func readPath(t *testing.T, path string, opts ReadOptions) (*Detection, []Problem, []Record, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	var recs []Record
	det, probs, err := Read(f, st.Size(), filepath.Base(path), opts, func(r Record) error {
		recs = append(recs, r)
		return nil
	})
	return det, probs, recs, err
}

// samplePath returns the path of a shared sample, skipping the test when
// the samples are not there (failing under MUSTER_TEST_REQUIRE=1).
func samplePath(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range sampleDirs {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			return path
		}
	}
	testenv.Need(t, fmt.Sprintf("shared sample %s not found in %q", name, sampleDirs), "restore testdata/samples from git")
	return ""
}

var sampleToday = training.DateFrom(2026, 11, 24)

func sampleOpts() ReadOptions {
	return ReadOptions{Courses: training.DefaultCourses(), Today: sampleToday}
}

func TestReadSamples(t *testing.T) {
	tests := []struct {
		file      string
		format    string
		encoding  string
		delim     string
		sheet     string
		headerRow int
		layout    Layout
		rows      int
		fields    map[string]Field // header -> field
		ignored   []string
	}{
		{file: "1_roster_full.xlsx", format: "xlsx", sheet: "Roster", headerRow: 4, layout: LayoutWide, rows: 304,
			fields: map[string]Field{"Employee ID": FieldID, "Last Name": FieldSurname, "First Name": FieldForename, "Grade": FieldRank,
				"Work Email": FieldEmail, "Directorate": FieldUnit1, "Borough": FieldUnit2, "Section": FieldUnit3,
				"Line Manager ID": FieldLineManager, "Appointment Date": FieldStartDate, "Employment Status": FieldStatus,
				"CSE awareness (date)": FieldCourseColumn, "Trauma-informed communication": FieldCourseColumn},
			ignored: []string{"Base", "Comments"}},
		{file: "2_lms_export.csv", format: "csv", encoding: "utf-8-bom", delim: ",", headerRow: 1, layout: LayoutLong, rows: 155,
			fields: map[string]Field{"Staff ID": FieldID, "Course Name": FieldCourse, "Status": FieldCompletionStatus, "Completed On": FieldCompletionDate}},
		{file: "3_legacy_export.csv", format: "csv", encoding: "windows-1252", delim: ";", headerRow: 1, layout: LayoutLong, rows: 40,
			fields: map[string]Field{"Pay No": FieldID, "Officer Name": FieldName, "Course": FieldCourse, "Date Completed": FieldCompletionDate, "Status": FieldCompletionStatus}},
		{file: "4_roster_full_next_month.xlsx", format: "xlsx", sheet: "Establishment", headerRow: 1, layout: LayoutPeople, rows: 316,
			fields: map[string]Field{"Payroll No": FieldID, "Officer Name": FieldName, "Team Path": FieldUnit, "Supervisor": FieldLineManager,
				"Date Joined": FieldStartDate, "Status": FieldStatus}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := samplePath(t, tc.file)
			det, probs, recs, err := readPath(t, path, sampleOpts())
			if err != nil {
				t.Fatal(err)
			}
			if det.Format != tc.format || det.Encoding != tc.encoding || det.Delimiter != tc.delim || det.Sheet != tc.sheet ||
				det.HeaderRow != tc.headerRow || det.Layout != tc.layout || det.Rows != tc.rows {
				t.Errorf("detection = %s/%s/%q sheet %q row %d %s rows %d", det.Format, det.Encoding, det.Delimiter, det.Sheet,
					det.HeaderRow, det.Layout, det.Rows)
			}
			got := map[string]Field{}
			for _, c := range det.Columns {
				if c.Field != "" {
					got[c.Header] = c.Field
				}
			}
			for h, f := range tc.fields {
				if got[h] != f {
					t.Errorf("column %q -> %q, want %q", h, got[h], f)
				}
			}
			if tc.ignored != nil && !equalStrings(det.Ignored, tc.ignored) {
				t.Errorf("ignored = %q, want %q", det.Ignored, tc.ignored)
			}
			rejected := 0
			for _, p := range probs {
				if p.Row == 0 || p.Reason == "" || (p.Column == "" && !p.RowRejected) {
					t.Errorf("problem not located: %+v", p)
				}
				if p.RowRejected {
					rejected++
				}
			}
			if len(recs)+rejected != det.Rows {
				t.Errorf("%d records + %d rejected != %d rows", len(recs), rejected, det.Rows)
			}
		})
	}
}

// TestReadSampleRoster checks values from the first sample in detail.
func TestReadSampleRoster(t *testing.T) {
	path := samplePath(t, "1_roster_full.xlsx")
	det, probs, recs, err := readPath(t, path, sampleOpts())
	if err != nil {
		t.Fatal(err)
	}
	if det.TotalRow != 312 {
		t.Errorf("total row = %d, want 312", det.TotalRow)
	}
	first := recs[0]
	if first.ID != "475354" || first.DisplayID != "0475354" || first.Name != "Jack Evans" ||
		first.Email != "jack.evans0@met.police.example" || first.Unit != "Frontline Policing / North East / Neighbourhoods" ||
		first.StartDate != (training.DateFrom(2006, 6, 26)) || first.LineManager != "739805" {
		t.Errorf("first record = %+v", first)
	}
	want := []CourseCell{{CourseID: "cse-recognition", Kind: CellCompleted, Date: training.DateFrom(2021, 7, 12)},
		{CourseID: "trauma-informed-communication", Kind: CellCompleted, Date: training.DateFrom(2022, 11, 23)}}
	if len(first.Courses) != 2 || first.Courses[0] != want[0] || first.Courses[1] != want[1] {
		t.Errorf("courses = %+v", first.Courses)
	}
	byRow := map[int]Record{}
	for _, r := range recs {
		byRow[r.Row] = r
	}
	if r := byRow[12]; !r.Leaver {
		t.Errorf("row 12 (Leaver) not a leaver: %+v", r)
	}
	if r := byRow[6]; r.Courses[1].Kind != CellExempt {
		t.Errorf("row 6 TIC Exempt = %+v", r.Courses[1])
	}
	if r := byRow[10]; !r.EmailInvalid {
		t.Errorf("row 10 email should be invalid")
	}
	if byRow[25].ID != byRow[26].ID || byRow[25].Hash == byRow[26].Hash {
		t.Errorf("rows 25/26 (same ID, different unit) must differ in hash")
	}
	seen := map[string]Record{}
	identical := 0
	for _, r := range recs {
		if prev, ok := seen[r.ID]; ok && prev.Hash == r.Hash {
			identical++
		}
		seen[r.ID] = r
	}
	if identical == 0 {
		t.Errorf("the sample's identical duplicate rows should share a hash")
	}
	var sawMonth15, sawFuture bool
	for _, p := range probs {
		if p.Value == "03/15/2025" && p.Letter == "M" && p.Row == 112 {
			sawMonth15 = true
		}
		if p.Value == "01/05/2031" {
			sawFuture = true
		}
	}
	if !sawMonth15 || !sawFuture {
		t.Errorf("missing problems: month15 %v future %v", sawMonth15, sawFuture)
	}
}

func equalStrings(a, b []string) bool {
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
