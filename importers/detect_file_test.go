package importers

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

// minimalXLSX writes a workbook by hand (no excelize) so a test controls
// every part: sheetXML is the whole worksheet part.
func minimalXLSX(t testing.TB, sheetXML string, extra map[string]string) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": sheetXML,
	}
	for k, v := range extra {
		parts[k] = v
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"}
	for k := range extra {
		if !slices.Contains(names, k) {
			names = append(names, k)
		}
	}
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
	`<row r="1"><c r="A1" t="inlineStr"><is><t>Warrant No</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>` +
	`<row r="2"><c r="A2"><v>12345</v></c><c r="B2" t="inlineStr"><is><t>Jo Smith</t></is></c></row>`

// zipBomb is a tiny xlsx whose sheet XML decompresses to more than n bytes
// (padding that compresses about 1000:1).
func zipBomb(t testing.TB, n int) []byte {
	t.Helper()
	return minimalXLSX(t, sheetHead+strings.Repeat(" ", n)+`</sheetData></worksheet>`, nil)
}

func TestZipBombIsTiny(t *testing.T) {
	if b := zipBomb(t, 3<<20); len(b) > 20<<10 {
		t.Fatalf("bomb is %d bytes; the test wants a tiny file", len(b))
	}
}

func encryptedXLSX(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"Warrant No", "Name"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "locked.xlsx")
	if err := f.SaveAs(path, excelize.Options{Password: "secret"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadFileTypes(t *testing.T) {
	cfb := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty.xlsx", nil, reasonEmpty},
		{"blank.csv", []byte("\xEF\xBB\xBF \r\n"), reasonEmpty},
		{"old.xls", cfb, reasonXLS},
		{"renamed.xlsx", cfb, reasonXLS},
		{"locked.xlsx", encryptedXLSX(t), reasonEncrypted},
		{"photo.xlsx", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "This file is a PNG image, not a spreadsheet"},
		{"photo.xlsx", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "This file is a JPEG image"},
		{"anim.csv", []byte("GIF89a\x01\x00\x01\x00"), "This file is a GIF image"},
		{"scan.xlsx", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3"), "This file is a PDF document"},
		{"archive.xlsx", zipOf(t, map[string]string{"readme.txt": "hello"}), reasonNotBook},
		{"letter.xlsx", zipOf(t, map[string]string{"word/document.xml": "<w/>"}), "This is a Word document"},
		{"book.xlsx", zipOf(t, map[string]string{"xl/workbook.bin": "x"}), "binary .xlsb workbook"},
		{"calc.xlsx", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), "OpenDocument"},
		{"damaged.xlsx", []byte("PK\x03\x04garbage that is not a zip"), reasonDamaged},
		{"page.xls", []byte("<html><body><table><tr><td>Warrant No</td></tr></table></body></html>"), "web page"},
		{"binary.csv", []byte("Warrant No,Name\n1,\x00\x01\x02"), reasonBinary},
		{"broken.xlsx", minimalXLSX(t, `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row>`, nil), "No header row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			det, probs, recs, err := readBytes(t, tc.data, tc.name, testOpts())
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, training.ErrInvalid) {
				t.Fatalf("err = %v (%T), want a FileError", err, err)
			}
			if !strings.Contains(fe.Reason, tc.want) || strings.Count(fe.Reason, ". ") > 0 && !strings.Contains(tc.want, ". ") {
				t.Errorf("reason = %q, want %q", fe.Reason, tc.want)
			}
			if len(recs) != 0 {
				t.Errorf("records from a bad file: %d (det %v, problems %v)", len(recs), det, probs)
			}
		})
	}
}

// TestReadNeverPanics feeds truncations of valid files.
func TestReadTruncated(t *testing.T) {
	b := buildXLSX(t, false, rosterSheet("Roster"))
	for n := 0; n < len(b); n += 97 {
		_, _, _, err := readBytes(t, b[:n], "cut.xlsx", testOpts())
		if err == nil && n < len(b)-100 {
			t.Errorf("truncated at %d: no error", n)
		}
		if err != nil && !errors.Is(err, training.ErrInvalid) {
			t.Errorf("truncated at %d: %v is not ErrInvalid", n, err)
		}
	}
}

// TestReadLyingZip: a sheet whose zip header declares a small size but
// whose data inflates far beyond it is cut off by archive/zip (the declared
// size is enforced), so it is reported as damaged, never unpacked in full.
func TestReadLyingZip(t *testing.T) {
	var sheet bytes.Buffer
	fw, err := flate.NewWriter(&sheet, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	body := sheetHead + strings.Repeat(" ", 4<<20) + `</sheetData></worksheet>`
	if _, err := fw.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	good := minimalXLSX(t, sheetHead+`</sheetData></worksheet>`, nil)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(body)),
			CompressedSize64: uint64(sheet.Len()), UncompressedSize64: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(sheet.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, recs, err := readBytes(t, out.Bytes(), "liar.xlsx", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) || fe.Reason != reasonDamaged || len(recs) != 0 {
		t.Errorf("err = %v, %d records", err, len(recs))
	}
}

// TestReadCorruptedEntry: a sheet stored uncompressed with a byte changed
// fails its checksum and is reported as damaged.
func TestReadCorruptedEntry(t *testing.T) {
	good := minimalXLSX(t, sheetHead+`</sheetData></worksheet>`, nil)
	zr, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(sheetHead + `</sheetData></worksheet>`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b := out.Bytes()
	i := bytes.Index(b, []byte("Jo Smith"))
	if i < 0 {
		t.Fatal("stored sheet not found")
	}
	if _, _, recs, err := readBytes(t, b, "ok.xlsx", testOpts()); err != nil || len(recs) != 1 {
		t.Fatalf("intact file: %v, %d records", err, len(recs))
	}
	b[i] = 'X'
	_, _, _, err = readBytes(t, b, "bad.xlsx", testOpts())
	var fe *FileError
	if !errors.As(err, &fe) || fe.Reason != reasonDamaged {
		t.Errorf("err = %v", err)
	}
}

func TestReadXLSMFormat(t *testing.T) {
	b := minimalXLSX(t, sheetHead+`</sheetData></worksheet>`, map[string]string{"xl/vbaProject.bin": "macros"})
	det, _, recs, err := readBytes(t, b, "book.xlsm", testOpts())
	if err != nil || det.Format != "xlsm" || len(recs) != 1 {
		t.Errorf("%v %+v %d", err, det, len(recs))
	}
}
