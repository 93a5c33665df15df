package rostergen

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

func TestWriteXLSXAndCSV(t *testing.T) {
	asOf := training.Date{Year: 2026, Month: 11, Day: 24}
	cs := demo.Force(1, 500, 20, asOf)
	courses := training.DefaultCourses()
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, cs, courses); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Roster", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+500 {
		t.Fatalf("rows = %d, want title, blank, header and 500 officers", len(rows))
	}
	if rows[2][0] != "Warrant No" || rows[3][0] != cs.Officers[0].DisplayID {
		t.Fatalf("unexpected header/first row: %q / %q", rows[2], rows[3])
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, cs, courses); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 501 || len(recs[0]) != len(headers)+len(courses) {
		t.Fatalf("csv shape %d×%d", len(recs), len(recs[0]))
	}
}
