package importers

import (
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
