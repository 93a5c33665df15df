package export

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// officerCols are the per-officer columns before the course columns.
var officerCols = []string{"Officer ID", "Name", "Rank", "Role", "Staff type", "Unit", "Email", "Line manager", "Start date", "Leaver"}

// courseCols are the columns repeated for every course.
var courseCols = []string{"status", "completed", "due", "expires"}

// OfficersCSV writes one row per officer: who they are (ID, name, rank,
// role, staff type code, unit, email, line manager, start date, leaver), then for each
// course its status, completion date, due date and expiry (ISO dates).
func OfficersCSV(w io.Writer, list []training.OfficerStatus, courses []training.Course) error {
	cw := NewCSVWriter(w)
	head := []string{"officer_id", "name", "rank", "role", "staff_type", "unit", "email", "line_manager", "start_date", "leaver"}
	for _, c := range courses {
		for _, k := range courseCols {
			head = append(head, c.ID+" "+k)
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, os := range list {
		o := os.Officer
		rec := []string{displayID(o), o.Name, o.Rank, o.Role, string(o.StaffType), o.Unit, o.Email, o.LineManager, o.StartDate.String(), strconv.FormatBool(o.Leaver)}
		for _, c := range courses {
			cs, ok := statusOf(os, c.ID)
			if !ok {
				rec = append(rec, "", "", "", "")
				continue
			}
			rec = append(rec, string(cs.Status), completed(cs).String(), cs.Due.String(), cs.Expires.String())
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// OfficersXLSX writes the same list as a workbook: one streamed sheet,
// frozen header, real date cells.
func OfficersXLSX(w io.Writer, list []training.OfficerStatus, courses []training.Course) error {
	f := excelize.NewFile()
	if err := officersSheet(f, list, courses); err != nil {
		f.Close()
		return err
	}
	return finish(f, w)
}

func officersSheet(f *excelize.File, list []training.OfficerStatus, courses []training.Course) error {
	const sheet = "Officers"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	widths := []float64{12, 28, 12, 24, 11, 44, 30, 16, 12, 8}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if n := len(courses) * len(courseCols); n > 0 {
		if err := sw.SetColWidth(len(widths)+1, len(widths)+n, 13); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	var head []any
	for _, h := range officerCols {
		head = append(head, excelize.Cell{StyleID: st.header, Value: h})
	}
	for _, c := range courses {
		for _, k := range courseCols {
			head = append(head, excelize.Cell{StyleID: st.header, Value: SafeCell(c.Title + ": " + k)})
		}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, os := range list {
		o := os.Officer
		leaver := ""
		if o.Leaver {
			leaver = "Leaver"
		}
		row := []any{text(displayID(o)), text(o.Name), text(o.Rank), text(o.Role), text(string(o.StaffType)), text(o.Unit), text(o.Email), text(o.LineManager),
			excelize.Cell{StyleID: st.date, Value: excelDate(o.StartDate)}, text(leaver)}
		for _, c := range courses {
			cs, ok := statusOf(os, c.ID)
			if !ok {
				row = append(row, nil, nil, nil, nil)
				continue
			}
			row = append(row, text(training.Describe(cs).Words),
				excelize.Cell{StyleID: st.date, Value: excelDate(completed(cs))},
				excelize.Cell{StyleID: st.date, Value: excelDate(cs.Due)},
				excelize.Cell{StyleID: st.date, Value: excelDate(cs.Expires)})
		}
		if err := sw.SetRow(cellName(1, i+2), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// statusOf finds one course's status in an officer's evaluation.
func statusOf(os training.OfficerStatus, courseID string) (training.CourseStatus, bool) {
	for _, cs := range os.Courses {
		if cs.CourseID == courseID {
			return cs, true
		}
	}
	return training.CourseStatus{}, false
}

// completed is the date of the completion that decided the status, if any.
func completed(cs training.CourseStatus) training.Date {
	if cs.Completion == nil {
		return training.Date{}
	}
	return cs.Completion.Date
}
