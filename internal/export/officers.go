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
	ow, err := NewOfficersCSV(w, courses)
	if err != nil {
		return err
	}
	for _, os := range list {
		if err := ow.Row(os); err != nil {
			return err
		}
	}
	return ow.Flush()
}

// OfficersCSVWriter writes an officers list as OfficersCSV does, a row at
// a time, so that a list streamed from the model is never held whole.
type OfficersCSVWriter struct {
	cw      *CSVWriter
	courses []training.Course
}

// NewOfficersCSV writes the header row for courses and returns the writer
// of the rows.
func NewOfficersCSV(w io.Writer, courses []training.Course) (*OfficersCSVWriter, error) {
	cw := NewCSVWriter(w)
	head := []string{"officer_id", "name", "rank", "role", "staff_type", "unit", "email", "line_manager", "start_date", "leaver"}
	for _, c := range courses {
		for _, k := range courseCols {
			head = append(head, c.ID+" "+k)
		}
	}
	return &OfficersCSVWriter{cw: cw, courses: courses}, cw.Write(head)
}

// Row writes one officer (buffered: Flush at the end).
func (ow *OfficersCSVWriter) Row(os training.OfficerStatus) error {
	o := os.Officer
	rec := []string{displayID(o), o.Name, o.Rank, o.Role, string(o.StaffType), o.Unit, o.Email, o.LineManager, o.StartDate.String(), strconv.FormatBool(o.Leaver)}
	for _, c := range ow.courses {
		cs, ok := statusOf(os, c.ID)
		if !ok {
			rec = append(rec, "", "", "", "")
			continue
		}
		rec = append(rec, string(cs.Status), completed(cs).String(), cs.Due.String(), cs.Expires.String())
	}
	return ow.cw.Write(rec)
}

// Flush writes what is buffered.
func (ow *OfficersCSVWriter) Flush() error { return ow.cw.Flush() }

// OfficersXLSX writes the same list as a workbook: one streamed sheet,
// frozen header, real date cells.
func OfficersXLSX(w io.Writer, list []training.OfficerStatus, courses []training.Course) error {
	xw, err := NewOfficersXLSX(courses)
	if err != nil {
		return err
	}
	for _, os := range list {
		if err := xw.Row(os); err != nil {
			xw.Close()
			return err
		}
	}
	return xw.Finish(w)
}

// OfficersXLSXWriter builds the workbook of OfficersXLSX a row at a time
// (excelize's stream writer keeps the rows on disk past 16 MB).
type OfficersXLSXWriter struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	st      *styles
	courses []training.Course
	rows    int
}

// NewOfficersXLSX starts the workbook with its header row; Finish writes
// it out, or Close drops it.
func NewOfficersXLSX(courses []training.Course) (*OfficersXLSXWriter, error) {
	f := excelize.NewFile()
	xw := &OfficersXLSXWriter{f: f, courses: courses}
	if err := xw.start(); err != nil {
		f.Close()
		return nil, err
	}
	return xw, nil
}

func (xw *OfficersXLSXWriter) start() error {
	const sheet = "Officers"
	f := xw.f
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	xw.st = st
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	xw.sw = sw
	widths := []float64{12, 28, 12, 24, 11, 44, 30, 16, 12, 8}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if n := len(xw.courses) * len(courseCols); n > 0 {
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
	for _, c := range xw.courses {
		for _, k := range courseCols {
			head = append(head, excelize.Cell{StyleID: st.header, Value: SafeCell(c.Title + ": " + k)})
		}
	}
	return sw.SetRow("A1", head)
}

// Row adds one officer.
func (xw *OfficersXLSXWriter) Row(os training.OfficerStatus) error {
	st := xw.st
	o := os.Officer
	leaver := ""
	if o.Leaver {
		leaver = "Leaver"
	}
	row := []any{text(displayID(o)), text(o.Name), text(o.Rank), text(o.Role), text(string(o.StaffType)), text(o.Unit), text(o.Email), text(o.LineManager),
		excelize.Cell{StyleID: st.date, Value: excelDate(o.StartDate)}, text(leaver)}
	for _, c := range xw.courses {
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
	xw.rows++
	return xw.sw.SetRow(cellName(1, xw.rows+1), row)
}

// Finish writes the workbook to w and releases it.
func (xw *OfficersXLSXWriter) Finish(w io.Writer) error {
	if err := xw.sw.Flush(); err != nil {
		xw.Close()
		return err
	}
	return finish(xw.f, w)
}

// Close drops an unfinished workbook (and its temporary files).
func (xw *OfficersXLSXWriter) Close() { xw.f.Close() }

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
