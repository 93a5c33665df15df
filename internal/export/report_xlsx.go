package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// summaryCols are the figures shown for each course on the summary sheet.
var summaryCols = []string{"% compliant", "Required", "Compliant", "Overdue", "Due soon", "Outstanding", "Exempt"}

// ReportXLSX writes the report as a workbook a manager can open: a
// "Summary" sheet by unit (indented by depth, percentages coloured
// red/amber/green, header frozen), a "Chart" sheet with a native bar chart
// of percent compliant by top-level unit for each course, and one sheet
// per course listing the overdue officers in overdue.
func ReportXLSX(w io.Writer, r *training.Report, overdue []training.OfficerStatus, courses []training.Course) error {
	f := excelize.NewFile()
	st, err := newStyles(f)
	if err != nil {
		f.Close()
		return err
	}
	if err := summarySheet(f, st, r); err != nil {
		f.Close()
		return err
	}
	if err := chartSheet(f, st, r); err != nil {
		f.Close()
		return err
	}
	for _, c := range r.Courses {
		if err := overdueSheet(f, st, r.AsOf, c.Course, courseTitle(courses, c.Course), overdue); err != nil {
			f.Close()
			return err
		}
	}
	f.SetActiveSheet(0)
	return finish(f, w)
}

func summarySheet(f *excelize.File, st *styles, r *training.Report) error {
	const sheet = "Summary"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	title := "Training compliance as of " + r.AsOf.UK()
	if r.Unit != "" || r.Label != "" {
		title += " — " + r.Name()
	}
	set := func(col, row int, v any, style int) error {
		ref := cellName(col, row)
		if s, ok := v.(string); ok {
			v = SafeCell(s)
		}
		if err := f.SetCellValue(sheet, ref, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sheet, ref, ref, style)
		}
		return nil
	}
	if err := set(1, 1, title, st.title); err != nil {
		return err
	}
	if err := set(1, 3, "Unit", st.header); err != nil {
		return err
	}
	if err := set(2, 3, "Path", st.header); err != nil {
		return err
	}
	lastCol := 2
	for ci, c := range r.Courses {
		first := 3 + ci*len(summaryCols)
		if err := set(first, 2, c.Title, st.group); err != nil {
			return err
		}
		last := first + len(summaryCols) - 1
		if err := f.MergeCell(sheet, cellName(first, 2), cellName(last, 2)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cellName(first, 2), cellName(last, 2), st.group); err != nil {
			return err
		}
		for k, h := range summaryCols {
			if err := set(first+k, 3, h, st.header); err != nil {
				return err
			}
		}
		lastCol = last
	}
	row := 4
	var err error
	walk(r, func(n *training.ReportNode, d int) {
		if err != nil {
			return
		}
		label := nodeLabel(n)
		if d == 1 && r.Label != "" && n.Label == "" {
			label = n.Unit // a manager's scope unit: its full path
		}
		if err = set(1, row, label, st.unitStyle(d)); err != nil {
			return
		}
		if err = set(2, row, n.Unit, 0); err != nil {
			return
		}
		for ci, c := range n.Courses {
			first := 3 + ci*len(summaryCols)
			var pct any
			if c.Percent != nil {
				pct = c.Percent.Float()
			}
			vals := []any{pct, c.Required, c.Compliant, c.Overdue, c.DueSoon, c.Outstanding, c.Exempt}
			for k, v := range vals {
				style := st.num
				if k == 0 {
					style = st.pct
				}
				if v == nil {
					continue
				}
				if err = set(first+k, row, v, style); err != nil {
					return
				}
			}
		}
		row++
	})
	if err != nil {
		return err
	}
	lastRow := row - 1
	for ci := range r.Courses {
		col := colName(3 + ci*len(summaryCols))
		if lastRow >= 4 {
			if err := st.colourPercent(f, sheet, fmt.Sprintf("%s4:%s%d", col, col, lastRow)); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 48); err != nil {
		return err
	}
	if lastCol > 2 {
		if err := f.SetColWidth(sheet, "C", colName(lastCol), 12); err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(sheet, 3, 30); err != nil {
		return err
	}
	if err := f.AutoFilter(sheet, fmt.Sprintf("A3:%s%d", colName(lastCol), max(lastRow, 4)), nil); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 3, TopLeftCell: "B4", ActivePane: "bottomRight"})
}

// chartSheet writes percent by top-level unit (the root's children, or the
// root itself when it has none) and a clustered bar chart over it.
func chartSheet(f *excelize.File, st *styles, r *training.Report) error {
	const sheet = "Chart"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	nodes := r.Units
	if len(nodes) == 0 {
		root := r.ReportNode
		nodes = []*training.ReportNode{&root}
	}
	if err := f.SetCellValue(sheet, "A1", "Unit"); err != nil {
		return err
	}
	for ci, c := range r.Courses {
		if err := f.SetCellValue(sheet, cellName(2+ci, 1), SafeCell(c.Title+" (% compliant)")); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", cellName(max(1, 1+len(r.Courses)), 1), st.header); err != nil {
		return err
	}
	for i, n := range nodes {
		row := 2 + i
		if err := f.SetCellValue(sheet, cellName(1, row), SafeCell(nodeLabel(n))); err != nil {
			return err
		}
		for ci, c := range n.Courses {
			if c.Percent == nil {
				continue
			}
			ref := cellName(2+ci, row)
			if err := f.SetCellValue(sheet, ref, c.Percent.Float()); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, ref, ref, st.pct); err != nil {
				return err
			}
		}
	}
	lastRow := 1 + len(nodes)
	if err := f.SetColWidth(sheet, "A", "A", 34); err != nil {
		return err
	}
	if len(r.Courses) == 0 {
		return nil
	}
	if err := f.SetColWidth(sheet, "B", colName(1+len(r.Courses)), 18); err != nil {
		return err
	}
	for ci := range r.Courses {
		col := colName(2 + ci)
		if err := st.colourPercent(f, sheet, fmt.Sprintf("%s2:%s%d", col, col, lastRow)); err != nil {
			return err
		}
	}
	var series []excelize.ChartSeries
	for ci := range r.Courses {
		col := colName(2 + ci)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("Chart!$%s$1", col),
			Categories: fmt.Sprintf("Chart!$A$2:$A$%d", lastRow),
			Values:     fmt.Sprintf("Chart!$%s$2:$%s$%d", col, col, lastRow),
		})
	}
	zero, hundred, vary := 0.0, 100.0, false
	height := uint(max(320, 40*len(nodes)*len(r.Courses)+120))
	chart := &excelize.Chart{
		Type:       excelize.Bar,
		Series:     series,
		VaryColors: &vary, // one colour per course, not per unit
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "% compliant by unit, as of " + r.AsOf.UK()}}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: 720, Height: height},
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{Minimum: &zero, Maximum: &hundred, MajorGridLines: true},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true},
	}
	return f.AddChart(sheet, cellName(3+len(r.Courses), 2), chart)
}

// overdueCols are the columns of an overdue sheet.
var overdueCols = []string{"Officer ID", "Name", "Rank", "Unit", "Email", "Line manager", "Due date", "Days overdue", "Last completed"}

// overdueSheet lists officers overdue on one course, streamed (there may
// be tens of thousands).
func overdueSheet(f *excelize.File, st *styles, asOf training.Date, courseID, title string, list []training.OfficerStatus) error {
	sheet := sheetName(f, "Overdue - "+title)
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{12, 28, 12, 44, 30, 16, 12, 10, 14}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: SafeCell(fmt.Sprintf("Overdue: %s, as of %s", title, asOf.UK()))}}); err != nil {
		return err
	}
	head := make([]any, len(overdueCols))
	for i, h := range overdueCols {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A2", head); err != nil {
		return err
	}
	row := 3
	for _, os := range list {
		for _, cs := range os.Courses {
			if cs.CourseID != courseID || cs.Status != training.StatusOverdue {
				continue
			}
			o := os.Officer
			var last training.Date
			if cs.Completion != nil {
				last = cs.Completion.Date
			}
			vals := []any{text(displayID(o)), text(o.Name), text(o.Rank), text(o.Unit), text(o.Email), text(o.LineManager),
				excelize.Cell{StyleID: st.date, Value: excelDate(cs.Due)}, excelize.Cell{StyleID: st.num, Value: cs.Due.DaysUntil(asOf)},
				excelize.Cell{StyleID: st.date, Value: excelDate(last)}}
			if err := sw.SetRow(cellName(1, row), vals); err != nil {
				return err
			}
			row++
		}
	}
	if row == 3 {
		if err := sw.SetRow("A3", []any{"Nobody is overdue on this course."}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// displayID is the ID as the roster wrote it, falling back to the key.
func displayID(o training.Officer) string {
	if o.DisplayID != "" {
		return o.DisplayID
	}
	return o.ID
}
