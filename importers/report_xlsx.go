package importers

import (
	"io"
	"strings"

	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

// WriteErrorsXLSX writes the downloadable error report: a sheet listing
// every problem (sheet, row, column, value, reason) so HR can correct the
// file, after a short summary. Every text cell is formula-safe.
func (r *Report) WriteErrorsXLSX(w io.Writer) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", "Summary"); err != nil {
		return err
	}
	s := r.Summary
	summary := [][]any{
		{"File", safeCell(r.FileName)},
		{"Imported by", safeCell(r.By)},
		{"When", r.At.In(training.London).Format("02/01/2006 15:04")},
		{"Outcome", string(r.Outcome)},
		{"What happened", safeCell(r.Message)},
		{"Sheet", safeCell(r.Detection.Sheet)},
		{"Header row", r.Detection.HeaderRow},
		{"Layout", string(r.Detection.Layout)},
		{"Rows read", r.Detection.Rows},
		{"Rows rejected", s.RowsRejected},
		{"Cells in error", s.CellErrors},
		{"Warnings", s.Warnings},
	}
	for i, row := range summary {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Summary", cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetColWidth("Summary", "A", "A", 18); err != nil {
		return err
	}
	if err := f.SetColWidth("Summary", "B", "B", 90); err != nil {
		return err
	}

	if _, err := f.NewSheet("Problems"); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Problems")
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	widths := []float64{10, 16, 8, 24, 8, 30, 80, 14, 14}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header := []any{"Severity", "Sheet", "Row", "Column", "Letter", "Value", "Reason", "Row rejected", "Officer ID", "Name"}
	for i, h := range header {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{}); err != nil {
		return err
	}
	for i, p := range r.Problems {
		rowNum := any("")
		if p.Row > 0 {
			rowNum = p.Row
		}
		rejected := ""
		if p.RowRejected {
			rejected = "yes"
		}
		cells := []any{string(p.Severity), safeCell(p.Sheet), rowNum, safeCell(p.Column), safeCell(p.Letter),
			safeCell(p.Value), safeCell(p.Reason), rejected, safeCell(p.OfficerID), safeCell(p.Name)}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// safeCell stops a value being read as a formula when the sheet is opened
// (formula injection: a cell from an uploaded file starting "=HYPERLINK(…"):
// values starting = + - @ tab or CR get a leading apostrophe.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
