package rostergen

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

func TestWriteXLSXAndCSV(t *testing.T) {
	asOf := training.DateFrom(2026, 11, 24)
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

// TestSharedStreamAsExcelize: the streamed workbook's sheet and shared
// strings are the bytes excelize writes for the same force, and its other
// parts are excelize's.
func TestSharedStreamAsExcelize(t *testing.T) {
	cs := demo.Force(2, 700, 30, training.DateFrom(2026, 11, 24))
	courses := training.DefaultCourses()
	var want, got bytes.Buffer
	if err := writeXLSX(&want, cs, courses, true); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSXShared(&got, cs, courses); err != nil {
		t.Fatal(err)
	}
	wantParts, gotParts := unzipParts(t, want.Bytes()), unzipParts(t, got.Bytes())
	if len(gotParts) != len(wantParts) {
		t.Errorf("%d parts, want %d", len(gotParts), len(wantParts))
	}
	for name, w := range wantParts {
		if g := gotParts[name]; g != w {
			t.Errorf("%s differs from excelize's (%d bytes, want %d):\n%.300s\nwant\n%.300s", name, len(g), len(w), g, w)
		}
	}
}

func unzipParts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}
