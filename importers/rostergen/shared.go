package rostergen

// A workbook with shared strings written as it goes: excelize builds the
// whole sheet in memory before it saves (about 7 GB for a million rows),
// so the sheet and its shared strings are written here, in the XML
// excelize itself writes (rostergen_test compares the two byte for byte),
// and the workbook's other parts (styles, theme, relationships) are
// copied from an excelize workbook holding just the title and header.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

const (
	sheetPart  = "xl/worksheets/sheet1.xml"
	stringPart = "xl/sharedStrings.xml"
)

// sharedStrings numbers strings in order of first use, as excelize does.
type sharedStrings struct {
	index map[string]int
	list  []string
}

func (s *sharedStrings) of(v string) int {
	if i, ok := s.index[v]; ok {
		return i
	}
	s.index[v] = len(s.list)
	s.list = append(s.list, v)
	return len(s.list) - 1
}

func writeXLSXSharedStream(w io.Writer, cs training.ChangeSet, courses []training.Course) error {
	var shell bytes.Buffer
	if err := writeXLSX(&shell, training.ChangeSet{}, courses, true); err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(shell.Bytes()), int64(shell.Len()))
	if err != nil {
		return err
	}
	sst := &sharedStrings{index: map[string]int{}}
	sst.of("Generated force — training roster")
	for _, h := range headers {
		sst.of(h)
	}
	for _, c := range courses {
		sst.of(c.Title + " – date completed")
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		switch f.Name {
		case stringPart:
			if err := writeStrings(zw, f, sst); err != nil {
				return err
			}
		case sheetPart:
			if err := writeSheet(zw, f, cs, courses, sst); err != nil {
				return err
			}
		default:
			if err := zw.Copy(f); err != nil {
				return err
			}
		}
	}
	return zw.Close()
}

// readPart returns a part of the shell workbook.
func readPart(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// writeSheet writes the shell's sheet with every officer's row added.
func writeSheet(zw *zip.Writer, f *zip.File, cs training.ChangeSet, courses []training.Course, sst *sharedStrings) error {
	shell, err := readPart(f)
	if err != nil {
		return err
	}
	head, tail, ok := strings.Cut(shell, "</sheetData>")
	if !ok {
		return fmt.Errorf("rostergen: no sheetData in the shell workbook")
	}
	out, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	bw.WriteString(head)
	n := 4
	var b []byte
	err = rows(cs, courses, func(r row) error {
		b = b[:0]
		b = append(b, `<row r="`...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, `">`...)
		col := 0
		text := func(v string) {
			col++
			b = cellRef(b, col, n)
			b = append(b, ` t="s"><v>`...)
			b = strconv.AppendInt(b, int64(sst.of(v)), 10)
			b = append(b, `</v></c>`...)
		}
		date := func(d training.Date) {
			col++
			b = cellRef(b, col, n)
			b = append(b, ` s="1"><v>`...)
			b = strconv.AppendFloat(b, excelSerial(d), 'f', -1, 64)
			b = append(b, `</v></c>`...)
		}
		for i, v := range r.values {
			if i == 9 && !r.start.IsZero() {
				date(r.start)
				continue
			}
			text(v)
		}
		for i, d := range r.courses {
			switch {
			case r.exempt[i]:
				text("Exempt")
			case d.IsZero():
				col++ // no cell
			default:
				date(d)
			}
		}
		b = append(b, `</row>`...)
		n++
		_, err := bw.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("</sheetData>")
	bw.WriteString(tail)
	return bw.Flush()
}

// cellRef appends `<c r="B12"`.
func cellRef(b []byte, col, row int) []byte {
	name, _ := excelize.CoordinatesToCellName(col, row)
	b = append(b, `<c r="`...)
	b = append(b, name...)
	return append(b, '"')
}

// writeStrings writes the shared strings table in the shell's form.
func writeStrings(zw *zip.Writer, f *zip.File, sst *sharedStrings) error {
	shell, err := readPart(f)
	if err != nil {
		return err
	}
	i := strings.Index(shell, "<sst ")
	if i < 0 {
		return fmt.Errorf("rostergen: no sst in the shell workbook")
	}
	out, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	bw.WriteString(shell[:i])
	fmt.Fprintf(bw, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst.list), len(sst.list))
	for _, s := range sst.list {
		bw.WriteString("<si><t")
		if strings.TrimSpace(s) != s {
			bw.WriteString(` xml:space="preserve"`)
		}
		bw.WriteString(">")
		if err := xml.EscapeText(bw, []byte(s)); err != nil {
			return err
		}
		bw.WriteString("</t></si>")
	}
	bw.WriteString("</sst>")
	return bw.Flush()
}
