package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/internal/registers"
)

// SignInSheetXLSX writes a register's printable sign-in sheet: a title
// (course, unit, date, place), then one row per expected person (ID,
// name, unit) with an empty, bordered, tall cell to sign, and a few blank
// rows for people who turn up unexpected. Written with one stream writer
// and closed on every path (docs/EXCELIZE.md); every text through SafeCell.
// Landscape A4 with the header row repeated on every printed page.
func SignInSheetXLSX(w io.Writer, sh registers.Sheet, place string) error {
	f := excelize.NewFile()
	if err := signInSheet(f, sh, place); err != nil {
		f.Close()
		return err
	}
	return finish(f, w)
}

// signInBlankRows are the empty rows left for walk-ins.
const signInBlankRows = 5

func signInSheet(f *excelize.File, sh registers.Sheet, place string) error {
	const sheet = "Sign-in sheet"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	box := []excelize.Border{{Type: "left", Color: "7F7F7F", Style: 1}, {Type: "right", Color: "7F7F7F", Style: 1},
		{Type: "top", Color: "7F7F7F", Style: 1}, {Type: "bottom", Color: "7F7F7F", Style: 1}}
	cellStyle, err := f.NewStyle(&excelize.Style{Border: box, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	landscape := "landscape"
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$5:$5", Scope: sheet}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range []float64{14, 30, 36, 40} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	title := "Sign-in sheet: " + sh.Course.Title
	lines := [][]any{
		{excelize.Cell{StyleID: st.title, Value: SafeCell(title)}},
		{text("Unit: " + sh.Unit), nil, text("Date: " + sh.Date.UK())},
		{text("Place: " + place)},
		{text("Trainer:"), nil, text("Please sign against your name, or add it below.")},
	}
	for i, l := range lines {
		if err := sw.SetRow(cellName(1, i+1), l); err != nil {
			return err
		}
	}
	head := []any{}
	for _, h := range []string{"Officer ID", "Name", "Unit", "Signature"} {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	if err := sw.SetRow("A5", head); err != nil {
		return err
	}
	row := 6
	tall := excelize.RowOpts{Height: 30}
	for _, p := range sh.People {
		cells := []any{excelize.Cell{StyleID: cellStyle, Value: SafeCell(p.ID)}, excelize.Cell{StyleID: cellStyle, Value: SafeCell(p.Name)},
			excelize.Cell{StyleID: cellStyle, Value: SafeCell(p.Unit)}, excelize.Cell{StyleID: cellStyle}}
		if err := sw.SetRow(cellName(1, row), cells, tall); err != nil {
			return err
		}
		row++
	}
	for i := 0; i < signInBlankRows; i++ {
		blank := []any{excelize.Cell{StyleID: cellStyle}, excelize.Cell{StyleID: cellStyle}, excelize.Cell{StyleID: cellStyle}, excelize.Cell{StyleID: cellStyle}}
		if err := sw.SetRow(cellName(1, row), blank, tall); err != nil {
			return err
		}
		row++
	}
	return sw.Flush()
}
