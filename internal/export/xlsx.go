package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// Thresholds for the red/amber/green colouring of percentages: green from
// GreenFrom, amber from AmberFrom, red below. Forces commonly set a 90%
// target for mandatory training; 70% marks "needs attention".
const (
	GreenFrom = 90.0
	AmberFrom = 70.0
)

// styles are the cell styles a workbook uses, created once per file.
type styles struct {
	title, header, group, date, pct, num int
	unit                                 []int // by indent level
	red, amber, green                    int   // conditional (dxf) styles
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	pctFmt := `0.0"%"`
	dateFmt := "dd/mm/yyyy"
	border := []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	s.group = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BDD7EE"}}})
	s.date = mk(&excelize.Style{CustomNumFmt: &dateFmt})
	s.pct = mk(&excelize.Style{CustomNumFmt: &pctFmt, Font: &excelize.Font{Bold: true}})
	s.num = mk(&excelize.Style{NumFmt: 1})
	for i := 0; i < 6; i++ {
		s.unit = append(s.unit, mk(&excelize.Style{Alignment: &excelize.Alignment{Indent: 2 * i}, Font: &excelize.Font{Bold: i == 0}}))
	}
	if err != nil {
		return nil, err
	}
	cond := func(fill, font string) (int, error) {
		return f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: font},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}, Shading: 0}})
	}
	if s.red, err = cond("FFC7CE", "9C0006"); err != nil {
		return nil, err
	}
	if s.amber, err = cond("FFEB9C", "9C5700"); err != nil {
		return nil, err
	}
	if s.green, err = cond("C6EFCE", "006100"); err != nil {
		return nil, err
	}
	return s, nil
}

// unitStyle is the indented unit-name style for a depth.
func (s *styles) unitStyle(d int) int {
	if d >= len(s.unit) {
		d = len(s.unit) - 1
	}
	return s.unit[d]
}

// colourPercent adds red/amber/green rules to a range of percentage cells.
// Blank cells (nothing required) stay uncoloured: the rules test ISNUMBER.
func (s *styles) colourPercent(f *excelize.File, sheet, ref string) error {
	first := strings.Split(ref, ":")[0]
	rules := []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: fmt.Sprintf("AND(ISNUMBER(%s),%s>=%g)", first, first, GreenFrom), Format: &s.green, StopIfTrue: true},
		{Type: "formula", Criteria: fmt.Sprintf("AND(ISNUMBER(%s),%s>=%g)", first, first, AmberFrom), Format: &s.amber, StopIfTrue: true},
		{Type: "formula", Criteria: fmt.Sprintf("ISNUMBER(%s)", first), Format: &s.red},
	}
	return f.SetConditionalFormat(sheet, ref, rules)
}

// excelDate is d as a value excelize writes as a date serial (no zone
// shift: civil dates are written at UTC midnight only here, for Excel).
func excelDate(d training.Date) any {
	if d.IsZero() {
		return nil
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// cell builds a string cell through SafeCell.
func text(s string) excelize.Cell { return excelize.Cell{Value: SafeCell(s)} }

// sheetName makes a valid, unique sheet name (31 characters, no []:*?/\).
func sheetName(f *excelize.File, name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	name = strings.Trim(name, "'")
	base := []rune(name)
	if len(base) > 31 {
		base = base[:31]
	}
	out := string(base)
	for i := 2; ; i++ {
		if idx, _ := f.GetSheetIndex(out); idx < 0 {
			return out
		}
		suffix := fmt.Sprintf(" (%d)", i)
		b := base
		if len(b)+len(suffix) > 31 {
			b = b[:31-len(suffix)]
		}
		out = string(b) + suffix
	}
}

// cellName is the A1 reference of a 1-based column and row.
func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// colName is the letter(s) of a 1-based column.
func colName(col int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return c
}

// finish writes the workbook to w and closes it (Close removes temp files).
func finish(f *excelize.File, w interface{ Write([]byte) (int, error) }) error {
	_, err := f.WriteTo(w)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
