package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// allocated returns how many bytes fn allocated on the heap in all
// (runtime.MemStats.TotalAlloc): a byte count, not a timing, so the bound
// holds on any machine. A part that is inflated or copied whole shows up
// here in full, however quickly the garbage collector frees it.
//
// Under the race detector every allocation is instrumented and costs
// more, so the bounds are checked only in a normal build.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// workbookWithPicture is a small roster workbook carrying an "image" part
// that inflates to n bytes (zeros compress about 1000:1).
func workbookWithPicture(t *testing.T, n int) []byte {
	t.Helper()
	base := minimalXLSX(t, sheetHead+`</sheetData></worksheet>`, nil)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create("xl/media/image1.png")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(zeros) {
		if _, err := w.Write(zeros[:min(left, len(zeros))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPictureIsNeverInflated: a workbook whose picture unpacks to 200 MB
// is read for its cells alone; the picture costs nothing.
func TestPictureIsNeverInflated(t *testing.T) {
	const picture = 200 << 20
	b := workbookWithPicture(t, picture)
	if len(b) > 1<<20 {
		t.Fatalf("test file is %d bytes; want a small upload", len(b))
	}
	var got []Record
	var readErr error
	n := allocated(func() {
		_, _, readErr = Read(bytes.NewReader(b), int64(len(b)), "pic.xlsx", ReadOptions{}, func(r Record) error {
			got = append(got, r)
			return nil
		})
	})
	if readErr != nil {
		t.Fatalf("Read: %v", readErr)
	}
	if len(got) != 1 || got[0].ID != "12345" {
		t.Fatalf("records = %+v, want the one officer", got)
	}
	if !raceEnabled && n > 32<<20 {
		t.Fatalf("reading allocated %d MB; the %d MB picture must not be inflated", n>>20, picture>>20)
	}
}

// TestOneEndlessCSVLine: a 10 MB csv of one line is refused with a sentence,
// allocating a small multiple of the line limit, not of the file.
func TestOneEndlessCSVLine(t *testing.T) {
	b := append([]byte("Warrant No,Name\n1,"), bytes.Repeat([]byte("a"), 10<<20)...)
	var readErr error
	n := allocated(func() {
		_, _, readErr = Read(bytes.NewReader(b), int64(len(b)), "long.csv", ReadOptions{}, func(Record) error { return nil })
	})
	var fe *FileError
	if !errors.As(readErr, &fe) || !strings.Contains(fe.Reason, "Line 2 of the file is longer than 1 MB") {
		t.Fatalf("err = %v, want the line-too-long sentence for line 2", readErr)
	}
	if !raceEnabled && n > 64<<20 {
		t.Fatalf("refusing the file allocated %d MB", n>>20)
	}
}

// TestHugeCellAboveHeader: a 40 MB cell in the rows scanned for the header
// is not looked at as a header, and its cost stays a small multiple of it.
func TestHugeCellAboveHeader(t *testing.T) {
	huge := strings.Repeat("x(", 20<<20)
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>` + huge + `</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>Warrant No</t></is></c><c r="B2" t="inlineStr"><is><t>Name</t></is></c></row>` +
		`<row r="3"><c r="A3"><v>12345</v></c><c r="B3" t="inlineStr"><is><t>Jo Smith</t></is></c></row>` +
		`</sheetData></worksheet>`
	b := minimalXLSX(t, sheet, nil)
	huge, sheet = "", ""
	var got []Record
	var det *Detection
	var readErr error
	n := allocated(func() {
		det, _, readErr = Read(bytes.NewReader(b), int64(len(b)), "huge.xlsx", ReadOptions{}, func(r Record) error {
			got = append(got, r)
			return nil
		})
	})
	if readErr != nil {
		t.Fatalf("Read: %v", readErr)
	}
	if det.HeaderRow != 2 || len(got) != 1 {
		t.Fatalf("header row %d, %d records; want row 2 and one officer", det.HeaderRow, len(got))
	}
	if !raceEnabled && n > 512<<20 {
		t.Fatalf("reading allocated %d MB for a 40 MB cell", n>>20)
	}
	t.Logf("a 40 MB cell above the header: %d MB allocated in all", n>>20)
}

// TestHugeDataCellIsACellError: a data cell longer than Excel allows is
// reported for its column and not read; the row's other cells are.
func TestHugeDataCellIsACellError(t *testing.T) {
	b := []byte("Warrant No,Name,Email\n1," + strings.Repeat("n", 200_000) + ",jo@force.police.uk\n")
	var got []Record
	_, probs, err := Read(bytes.NewReader(b), int64(len(b)), "cell.csv", ReadOptions{}, func(r Record) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "" || got[0].Email != "jo@force.police.uk" {
		t.Fatalf("records = %+v", got)
	}
	if len(probs) != 1 || probs[0].Column != "Name" || probs[0].Row != 2 || len(probs[0].Value) > maxShownValue+3 {
		t.Fatalf("problems = %+v, want one for Name on row 2 with a short value", probs)
	}
}
