package importers

import (
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

func d(y int, m time.Month, day int) training.Date { return training.DateFrom(y, m, day) }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    training.Date
		wantErr string // substring of the error; "" means no error
	}{
		{"", training.Date{}, ""},
		{"15/03/2024", d(2024, 3, 15), ""},
		{"15-03-2024", d(2024, 3, 15), ""},
		{"15.03.2024", d(2024, 3, 15), ""},
		{"5/3/2024", d(2024, 3, 5), ""},
		{"15/03/24", d(2024, 3, 15), ""},
		{"15 Mar 2024", d(2024, 3, 15), ""},
		{"15 mar 2024", d(2024, 3, 15), ""},
		{"15 March 2024", d(2024, 3, 15), ""},
		{"15-Mar-2024", d(2024, 3, 15), ""},
		{"15-Mar-24", d(2024, 3, 15), ""},
		{"15 Sept 2024", d(2024, 9, 15), ""},
		{"1st June 2024", d(2024, 6, 1), ""},
		{"2024-03-15", d(2024, 3, 15), ""},
		{"2024-03-15T00:00:00Z", d(2024, 3, 15), ""},
		{"2024-03-15 13:45:00", d(2024, 3, 15), ""},
		{"15/03/2024 10:00", d(2024, 3, 15), ""},
		// As Moodle writes them (docs/sources.md): strftimedatetimeshort and strftimedaydatetime.
		{"7/08/23, 07:04", d(2023, 8, 7), ""},
		{"Monday, 7 August 2023, 7:04 AM", d(2023, 8, 7), ""},
		{"Sunday, 25 October 2026, 11:59 PM", d(2026, 10, 25), ""},
		{"Mon 7 Aug 2023", d(2023, 8, 7), ""},
		{"Someday, 7 August 2023", training.Date{}, "not"},
		// Two-digit years follow Excel: 00-29 -> 20xx, 30-99 -> 19xx.
		{"01/01/00", d(2000, 1, 1), ""},
		{"31/12/29", d(2029, 12, 31), ""},
		{"01/01/30", d(1930, 1, 1), ""},
		{"31/12/99", d(1999, 12, 31), ""},
		// Leap days.
		{"29/02/2024", d(2024, 2, 29), ""},
		{"29/02/2000", d(2000, 2, 29), ""},
		{"29/02/2023", training.Date{}, "February 2023 has no day 29"},
		{"29/02/1900", training.Date{}, "no day 29"},
		{"31/02/2024", training.Date{}, "February 2024 has no day 31"},
		{"31/04/2024", training.Date{}, "April 2024 has no day 31"},
		{"00/03/2024", training.Date{}, "has no day 0"},
		// Day first, never swapped.
		{"03/15/2024", training.Date{}, "month 15 does not exist — dates must be day/month/year"},
		{"15/13/2024", training.Date{}, "month 13 does not exist"},
		{"2024-15-03", training.Date{}, "month 15 does not exist"},
		// Excel serials: date cells read raw, or numbers in a date column.
		{"45366", d(2024, 3, 15), ""},
		{"45366.75", d(2024, 3, 15), ""},
		{"1", d(1900, 1, 1), ""},
		{"59", d(1900, 2, 28), ""},
		{"60", training.Date{}, "29/02/1900"},
		{"61", d(1900, 3, 1), ""},
		{"0", training.Date{}, "out of range"},
		{"99999999", training.Date{}, "not a date"},
		// Not dates.
		{"sometime 2024", training.Date{}, "not a date"},
		{"March 15 2024", training.Date{}, "not a date"},
		{"15/03", training.Date{}, "not a date"},
		{"15/03/2024/1", training.Date{}, "not a date"},
		{"15/03/202", training.Date{}, "not a date"},
		{"15/03/0202", training.Date{}, "not plausible"},
		{"15 Foo 2024", training.Date{}, "not a date"},
		{"15/03/2024 lunchtime", training.Date{}, "not a date"},
		{"Yes", training.Date{}, "not a date"},
		{"-5", training.Date{}, "not a date"},
		{"#VALUE!", training.Date{}, "Excel error"},
	}
	for _, tc := range tests {
		got, err := parseDate(tc.in, false)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("parseDate(%q): %v", tc.in, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseDate(%q) error = %v, want it to contain %q", tc.in, err, tc.wantErr)
		case got != tc.want:
			t.Errorf("parseDate(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestSerialDateMatchesExcelize checks our serial conversion against
// excelize's in both date systems.
func TestSerialDateMatchesExcelize(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		for n := 1; n < 80000; n += 7 {
			if !date1904 && n == 60 {
				continue
			}
			got, err := serialDate(n, date1904)
			if err != nil {
				t.Fatalf("serialDate(%d, %v): %v", n, date1904, err)
			}
			tm, err := excelize.ExcelDateToTime(float64(n), date1904)
			if err != nil {
				t.Fatal(err)
			}
			want := d(tm.Year(), tm.Month(), tm.Day())
			if got != want {
				t.Fatalf("serialDate(%d, 1904=%v) = %v, excelize says %v", n, date1904, got, want)
			}
		}
	}
	if got, _ := parseDate("43904", true); got != d(2024, 3, 15) {
		t.Errorf("1904 serial 43904 = %v, want 2024-03-15", got)
	}
}

func TestParseID(t *testing.T) {
	tests := []struct{ in, id, display string }{
		{"0012345", "12345", "0012345"},
		{"12345", "12345", "12345"},
		{" 12345 ", "12345", "12345"},
		{"12345.0", "12345", "12345"},
		{"1.2345E+04", "12345", "12345"},
		{"1.2345e4", "12345", "12345"},
		{"'0012345", "12345", "0012345"},
		{`="0012345"`, "12345", "0012345"},
		{"ab123", "AB123", "ab123"},
		{"AB 123", "AB 123", "AB 123"},
		{"12.5", "12.5", "12.5"},
		{"000", "0", "000"},
		{"", "", ""},
		{"\u00a0\u00a0", "", ""},
		{"E12", "E12", "E12"},
		{"1e400", "1E400", "1e400"},
	}
	for _, tc := range tests {
		id, display := parseID(tc.in)
		if id != tc.id || display != tc.display {
			t.Errorf("parseID(%q) = %q, %q; want %q, %q", tc.in, id, display, tc.id, tc.display)
		}
	}
}

func TestNormEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"  JACK.EVANS@MET.POLICE.EXAMPLE ", "jack.evans@met.police.example", true},
		{"a@b.uk", "a@b.uk", true},
		{"", "", true},
		{"jack at met.police.example", "jack at met.police.example", false},
		{"jack@", "jack@", false},
		{"@met.police.uk", "@met.police.uk", false},
		{"a@b@c.uk", "a@b@c.uk", false},
		{"a@localhost", "a@localhost", false},
		{"a@b..uk", "a@b..uk", false},
		{"a b@c.uk", "a b@c.uk", false},
	}
	for _, tc := range tests {
		got, ok := normEmail(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normEmail(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseCourseCell(t *testing.T) {
	today := d(2026, 11, 24)
	tests := []struct {
		in      string
		kind    CellKind
		date    training.Date
		wantErr string
	}{
		{"", CellNone, training.Date{}, ""},
		{"15/03/2024", CellCompleted, d(2024, 3, 15), ""},
		{"45366", CellCompleted, d(2024, 3, 15), ""},
		{"24/11/2026", CellCompleted, d(2026, 11, 24), ""},
		{"25/11/2026", CellNone, training.Date{}, "in the future"},
		{"03/15/2024", CellNone, training.Date{}, "month 15 does not exist"},
		{"Yes", CellCompletedNoDate, training.Date{}, ""},
		{"Y", CellCompletedNoDate, training.Date{}, ""},
		{"y", CellCompletedNoDate, training.Date{}, ""},
		{"Completed", CellCompletedNoDate, training.Date{}, ""},
		{"COMPLETED", CellCompletedNoDate, training.Date{}, ""},
		{"✓", CellCompletedNoDate, training.Date{}, ""},
		{"✔", CellCompletedNoDate, training.Date{}, ""},
		{"No", CellNone, training.Date{}, ""},
		{"N", CellNone, training.Date{}, ""},
		{"Not started", CellNone, training.Date{}, ""},
		{"In progress", CellNone, training.Date{}, ""},
		{"In Progress", CellNone, training.Date{}, ""},
		{"Exempt", CellExempt, training.Date{}, ""},
		{"exempt (medical)", CellExempt, training.Date{}, ""},
		{"N/A", CellExempt, training.Date{}, ""},
		{"n/a", CellExempt, training.Date{}, ""},
		{"sometime 2024", CellNone, training.Date{}, "not a completion date"},
		{"Maybe", CellNone, training.Date{}, "not a completion date"},
		{"#N/A", CellNone, training.Date{}, "Excel error"},
		{"1", CellNone, training.Date{}, "01/01/1900 is too early"},
		{"31/12/1949", CellNone, training.Date{}, "too early"},
		{"31/12/1969", CellNone, training.Date{}, "before 01/01/1970, the earliest completion"},
		{"01/01/1970", CellCompleted, d(1970, 1, 1), ""},
		{"#REF!", CellNone, training.Date{}, "Excel error"},
	}
	for _, tc := range tests {
		kind, date, err := parseCourseCell(tc.in, false, today)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("parseCourseCell(%q): %v", tc.in, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseCourseCell(%q) error = %v, want %q", tc.in, err, tc.wantErr)
		case kind != tc.kind || date != tc.date:
			t.Errorf("parseCourseCell(%q) = %v %v, want %v %v", tc.in, kind, date, tc.kind, tc.date)
		}
	}
}

func TestStatusWords(t *testing.T) {
	for in, want := range map[string]bool{"Leaver": true, "LEAVER": true, "left": true, "Left - retired": true,
		"Withdrawn": true, "Terminated": true, "Active": false, "Active - Payroll Eligible": false,
		"Suspended": false, "Career Break": false, "": false} {
		if got, known := employmentStatus(in); got != want || !known {
			t.Errorf("employmentStatus(%q) = %v, %v; want %v, known", in, got, known, want)
		}
	}
	for _, in := range []string{"Leftover", "Pending", "7"} {
		if _, known := employmentStatus(in); known {
			t.Errorf("employmentStatus(%q) is known; an unknown word must be a cell error", in)
		}
	}
	for in, want := range map[string]bool{"Completed": true, "completed": true, "PASSED": true, "Passed": true,
		"Complete via rpl": true, "Yes": true, "Completed (achieved pass grade)": true,
		"In Progress": false, "Not Started": false, "Not yet started": false, "Failed": false, "No": false, "": false,
		"Completed (did not achieve pass grade)": false} {
		if got, known := completionStatus(in); got != want || !known {
			t.Errorf("completionStatus(%q) = %v, %v; want %v, known", in, got, known, want)
		}
	}
	for _, in := range []string{"Awaiting approval", "Maybe", "2"} {
		if _, known := completionStatus(in); known {
			t.Errorf("completionStatus(%q) is known; an unknown word must be a cell error", in)
		}
	}
}

func TestClean(t *testing.T) {
	for _, in := range []string{"", "O'Brien", "Zoë", "  a  b ", "a\u00a0b", "a\tb", "a ", " a", "a  b", "a\u200bb", "\ufeffa"} {
		if got, want := clean(in), training.CleanText(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}
