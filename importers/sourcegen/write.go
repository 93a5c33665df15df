package sourcegen

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// utf8BOM is what core_text::UTF8_BOM and Spout's CSV writer put first.
const utf8BOM = "\xEF\xBB\xBF"

// phpCSV writes rows as PHP's fputcsv($fp, $row, ',', '"') does (Moodle's
// csv_export_writer, Spout's CSV writer, and the HR systems that feed
// Totara): a field is enclosed in quotes when it holds the delimiter, a
// quote, the escape character, a CR, LF, tab or space; quotes are doubled;
// lines end in "\n". encoding/csv quotes differently (not on spaces), so it
// cannot reproduce these bytes.
func phpCSV(rows [][]string, bom bool) []byte {
	var b bytes.Buffer
	if bom {
		b.WriteString(utf8BOM)
	}
	for _, r := range rows {
		for i, f := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(f, ",\"\\\r\n\t ") {
				b.WriteByte('"')
				b.WriteString(strings.ReplaceAll(f, `"`, `""`))
				b.WriteByte('"')
				continue
			}
			b.WriteString(f)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// moodleProgressCSV writes report/progress's hand-made CSV: every value
// through csv_quote() (quotes replaced by apostrophes, then enclosed), the
// header row starting with a separator so that its first cell is empty and
// unquoted. excel selects the "Excel CSV" form: UTF-16LE with a BOM and tabs.
func moodleProgressCSV(header []string, rows [][]string, excel bool) ([]byte, error) {
	sep := ","
	if excel {
		sep = "\t"
	}
	quote := func(v string) string { return `"` + strings.ReplaceAll(v, `"`, "'") + `"` }
	var b strings.Builder
	for _, h := range header[1:] {
		b.WriteString(sep + quote(h))
	}
	b.WriteString("\n")
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(quote(v))
		}
		b.WriteString("\n")
	}
	if !excel {
		return []byte(b.String()), nil
	}
	// print chr(0xFF).chr(0xFE), then core_text::convert(..., 'UTF-16LE').
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	out, err := enc.Bytes([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("encoding UTF-16LE: %w", err)
	}
	return out, nil
}

// xlsxStrings writes rows on one sheet, every cell a string (as Spout and
// SAP's list export write them), header on row 1.
func xlsxStrings(sheet string, rows [][]string) (_ []byte, err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return nil, err
		}
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
