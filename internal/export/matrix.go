package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/internal/matrix"
	"github.com/muster-police/muster/training"
)

// matrixFills are the cell colours of the statuses, the page's badges'
// (app.css .status.*): font colour on fill.
var matrixFills = map[training.Status][2]string{
	training.StatusCompliant:   {"116329", "DAFBE1"},
	training.StatusOverdue:     {"A40E26", "FFEBE9"},
	training.StatusDueSoon:     {"7D4E00", "FFF8C5"},
	training.StatusOutstanding: {"0A3069", "DDF4FF"},
	training.StatusExempt:      {"32383F", "EAEEF2"},
	training.StatusNotRequired: {"32383F", "EAEEF2"},
}

// MatrixXLSX writes the team matrix with the page's layout: one row per
// person (ID, name, rank, unit) and one column per course whose cell is
// the status in training.Describe's words with its date ("Overdue — was due 01/02/2026"), coloured
// as on the page (never colour alone: the words are in the cell). One
// streamed sheet, frozen header and names, every text through SafeCell.
func MatrixXLSX(w io.Writer, m *matrix.Matrix) error {
	f := excelize.NewFile()
	if err := matrixSheet(f, m); err != nil {
		f.Close()
		return err
	}
	return finish(f, w)
}

func matrixSheet(f *excelize.File, m *matrix.Matrix) error {
	const sheet = "Matrix"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	fills := map[training.Status]int{}
	for s, c := range matrixFills {
		id, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: c[0]},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[1]}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
		if err != nil {
			return err
		}
		fills[s] = id
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, wd := range []float64{12, 28, 12, 40} {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if n := len(m.Courses); n > 0 {
		if err := sw.SetColWidth(5, 4+n, 24); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	head := []any{}
	for _, h := range []string{"Officer ID", "Name", "Rank", "Unit"} {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	for _, c := range m.Courses {
		head = append(head, excelize.Cell{StyleID: st.header, Value: SafeCell(c.Title)})
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range m.Rows {
		p := r.Person
		id := p.DisplayID
		if id == "" {
			id = p.ID
		}
		row := []any{text(id), text(p.Name), text(p.Rank), text(p.Unit)}
		for _, c := range r.Cells {
			row = append(row, excelize.Cell{StyleID: fills[c.Status], Value: SafeCell(c.Words())})
		}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
