package importers

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// TestScanErrorComesFirst: the worksheets are scanned while excelize
// opens the workbook (xlsx_scan.go), yet a workbook that both breaks the
// byte budget in its sheet and fails to open (a theme excelize cannot
// parse) is refused for the budget, as when the scan ran first; with the
// sheet in order, the same workbook is refused as damaged.
func TestScanErrorComesFirst(t *testing.T) {
	badTheme := map[string]string{"xl/theme/theme1.xml": `<a:theme xmlns:a="x"><a:themeElements></a:theme>`}
	huge := sheetStart + headerRow + `<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>` +
		strings.Repeat("x", maxTextChars+1) + `</t></is></c></row></sheetData></worksheet>`
	fine := sheetStart + headerRow + `<row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>`

	reason, _ := readRefused(t, minimalXLSX(t, huge, badTheme), Limits{})
	if want := `Cell B2 of the sheet "Roster" holds more than 32,767 characters`; !strings.Contains(reason, want) {
		t.Errorf("budget and a bad theme: %q, want %q", reason, want)
	}
	reason, _ = readRefused(t, minimalXLSX(t, fine, badTheme), Limits{})
	if reason != reasonDamaged {
		t.Errorf("a bad theme alone: %q, want %q", reason, reasonDamaged)
	}
	reason, _ = readRefused(t, minimalXLSX(t, huge, nil), Limits{})
	if want := `Cell B2 of the sheet "Roster"`; !strings.Contains(reason, want) {
		t.Errorf("budget alone: %q, want %q", reason, want)
	}
}

// TestScanPartAside: a large part inflated in a goroutine of its own is
// judged as a single pass judges it: in order, broken at the same cell,
// damaged when its checksum is wrong.
func TestScanPartAside(t *testing.T) {
	rows := func(n int, bad bool) string {
		var sb strings.Builder
		sb.WriteString(sheetStart + headerRow)
		for r := 2; r < n; r++ {
			sb.WriteString(`<row r="` + itoa(r) + `"><c r="A` + itoa(r) + `"><v>1</v></c><c r="B` + itoa(r) + `" t="inlineStr"><is><t>`)
			if bad && r == n-3 {
				sb.WriteString(strings.Repeat("é", maxTextChars+1))
			} else {
				sb.WriteString("Name")
			}
			sb.WriteString(`</t></is></c></row>`)
		}
		sb.WriteString(`</sheetData></worksheet>`)
		return sb.String()
	}
	crc := func(b []byte) []byte { // corrupt the sheet's checksum in the central directory
		i := bytes.LastIndex(b, []byte("xl/worksheets/sheet1.xml"))
		c := bytes.Clone(b)
		c[i-46+16] ^= 0xff
		return c
	}
	fine, broken := minimalXLSX(t, rows(40000, false), nil), minimalXLSX(t, rows(40000, true), nil)
	for _, tc := range []struct {
		name string
		b    []byte
	}{{"fine", fine}, {"broken", broken}, {"checksum", crc(fine)}, {"checksum and broken", crc(broken)}} {
		zr, err := zip.NewReader(bytes.NewReader(tc.b), int64(len(tc.b)))
		if err != nil {
			t.Fatal(err)
		}
		var f *zip.File
		for _, zf := range zr.File {
			if zf.Name == "xl/worksheets/sheet1.xml" {
				f = zf
			}
		}
		if f.UncompressedSize64 <= inflateAside {
			t.Fatalf("sheet of %d bytes: not large enough to be inflated aside", f.UncompressedSize64)
		}
		want := scanPart(zr, f, f.Name, make([]byte, 64<<10))
		got := scanPartAside(zr, f, f.Name, make([]byte, 64<<10))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, want)
		}
		if (want == nil) != (tc.name == "fine") {
			t.Errorf("%s: %v", tc.name, want)
		}
	}
}
