package importers

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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

// TestHugeCellAboveHeader: a 40 MB cell, even in the rows scanned for the
// header, is refused by the byte budget before excelize builds it.
func TestHugeCellAboveHeader(t *testing.T) {
	huge := strings.Repeat("x(", 20<<20)
	sheet := sheetStart +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>` + huge + `</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>Warrant No</t></is></c><c r="B2" t="inlineStr"><is><t>Name</t></is></c></row>` +
		`<row r="3"><c r="A3"><v>12345</v></c><c r="B3" t="inlineStr"><is><t>Jo Smith</t></is></c></row>` +
		`</sheetData></worksheet>`
	b := minimalXLSX(t, sheet, nil)
	huge, sheet = "", ""
	reason, n := readRefused(t, b, Limits{})
	if !strings.Contains(reason, `Cell A1 of the sheet "Roster" holds more than 32,767 characters`) {
		t.Fatalf("reason = %q, want the cell named", reason)
	}
	if !raceEnabled && n > 16<<20 {
		t.Fatalf("refusing a 40 MB cell allocated %d MB", n>>20)
	}
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

// streamedXLSX is a one-sheet workbook ("Roster") whose sheet (and, when
// sst is set, shared strings) are written by the functions given, straight
// into the zip's compressor: a part of hundreds of MB costs the test no
// memory.
func streamedXLSX(t *testing.T, sheet, sst func(w io.Writer) error) []byte {
	t.Helper()
	base := minimalXLSX(t, "", nil)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	parts := []struct {
		name string
		fn   func(io.Writer) error
	}{{"xl/worksheets/sheet1.xml", sheet}, {"xl/sharedStrings.xml", sst}}
	for _, p := range parts {
		if p.fn == nil {
			continue
		}
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.fn(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// repeatTo writes n bytes of s repeated.
func repeatTo(w io.Writer, s string, n int) error {
	chunk := []byte(strings.Repeat(s, (64<<10)/len(s)))
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

const sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

const headerRow = `<row r="1"><c r="A1" t="inlineStr"><is><t>Warrant No</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>`

// readRefused reads b and returns the FileError's sentence and the bytes
// allocated; the read must be refused.
func readRefused(t *testing.T, b []byte, lim Limits) (string, uint64) {
	t.Helper()
	var readErr error
	n := allocated(func() {
		_, _, readErr = Read(bytes.NewReader(b), int64(len(b)), "bomb.xlsx", ReadOptions{Limits: lim}, func(Record) error { return nil })
	})
	var fe *FileError
	if !errors.As(readErr, &fe) {
		t.Fatalf("err = %v, want a FileError", readErr)
	}
	return fe.Reason, n
}

// noRatio turns the ratio check off, so the byte budget behind it is
// what is tested.
var noRatio = Limits{MaxUnzipRatio: 1 << 40}

// TestWorksheetCellBomb: a 0.4 MB workbook whose sheet holds one 400 MB
// cell is refused before the cell is built: by the unpacked-to-upload
// ratio, and with that off by the cell budget, naming the cell; either
// way the read allocates a few MB, not the cell.
func TestWorksheetCellBomb(t *testing.T) {
	const cell = 400 << 20
	b := streamedXLSX(t, func(w io.Writer) error {
		if _, err := io.WriteString(w, sheetStart+headerRow+`<row r="2"><c r="A2"><v>12345</v></c><c r="B2" t="inlineStr"><is><t>`); err != nil {
			return err
		}
		if err := repeatTo(w, "x", cell); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
		return err
	}, nil)
	if len(b) > 1<<20 {
		t.Fatalf("test file is %d bytes; want a small upload", len(b))
	}
	t.Logf("workbook: %d KB for a %d MB cell", len(b)>>10, cell>>20)
	for _, tc := range []struct {
		name string
		lim  Limits
		want string
	}{
		{"ratio", Limits{}, "more than 100 times its size"},
		{"cell budget", noRatio, `Cell B2 of the sheet "Roster" holds more than 32,767 characters`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reason, n := readRefused(t, b, tc.lim)
			if !strings.Contains(reason, tc.want) {
				t.Fatalf("reason = %q, want %q", reason, tc.want)
			}
			if !raceEnabled && n > 16<<20 {
				t.Fatalf("refusing the cell allocated %d MB", n>>20)
			}
			t.Logf("%s: %d KB allocated", tc.name, n>>10)
		})
	}
}

// TestWorksheetRowBomb: a row of 16,384 cells of 30 KB each (every cell
// under Excel's limit, the row 480 MB) is refused at the row budget.
func TestWorksheetRowBomb(t *testing.T) {
	text := strings.Repeat("y", 30<<10)
	b := streamedXLSX(t, func(w io.Writer) error {
		if _, err := io.WriteString(w, sheetStart+headerRow+`<row r="2">`); err != nil {
			return err
		}
		for c := 1; c <= maxColumns; c++ {
			ref, _ := excelize.CoordinatesToCellName(c, 2)
			if _, err := io.WriteString(w, `<c r="`+ref+`" t="inlineStr"><is><t>`+text+`</t></is></c>`); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, `</row></sheetData></worksheet>`)
		return err
	}, nil)
	t.Logf("workbook: %d KB for a %d MB row", len(b)>>10, (maxColumns*len(text))>>20)
	reason, n := readRefused(t, b, Limits{})
	if !strings.Contains(reason, "more than 100 times its size") {
		t.Fatalf("reason = %q, want the ratio refusal", reason)
	}
	if !raceEnabled && n > 16<<20 {
		t.Fatalf("refusing the row by its ratio allocated %d MB", n>>20)
	}
	reason, n = readRefused(t, b, noRatio)
	if !strings.Contains(reason, `Row 2 of the sheet "Roster" holds more than 4 MB`) {
		t.Fatalf("reason = %q, want the row budget", reason)
	}
	if !raceEnabled && n > 32<<20 {
		t.Fatalf("refusing the row allocated %d MB", n>>20)
	}
	t.Logf("row budget: %d KB allocated", n>>10)
}

// TestSharedStringsBomb: a shared string of 400 MB is refused by the
// budget before excelize reads the table.
func TestSharedStringsBomb(t *testing.T) {
	b := streamedXLSX(t, func(w io.Writer) error {
		_, err := io.WriteString(w, sheetStart+headerRow+`<row r="2"><c r="A2"><v>12345</v></c><c r="B2" t="s"><v>0</v></c></row></sheetData></worksheet>`)
		return err
	}, func(w io.Writer) error {
		if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`); err != nil {
			return err
		}
		if err := repeatTo(w, "z", 400<<20); err != nil {
			return err
		}
		_, err := io.WriteString(w, `</t></si></sst>`)
		return err
	})
	reason, n := readRefused(t, b, noRatio)
	if !strings.Contains(reason, "holds a text of more than 32,767 characters") && !strings.Contains(reason, "more than 32,767 characters") {
		t.Fatalf("reason = %q, want the text budget", reason)
	}
	if !raceEnabled && n > 16<<20 {
		t.Fatalf("refusing the shared string allocated %d MB", n>>20)
	}
}
