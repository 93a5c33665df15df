// Package rostergen writes generated forces (training/demo) as roster files
// shaped like the ones HR exports: for benchmarks, load tests and demos.
package rostergen

import (
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// headers of the wide roster, before one column per course.
var headers = []string{"Warrant No", "Surname", "Forename", "Email", "Rank", "Command", "BCU", "Team", "Line Manager", "Start Date", "Status"}

type row struct {
	values  []string
	start   training.Date
	courses []training.Date
	exempt  []bool
}

// rows flattens cs into roster rows, one per officer, in ChangeSet order.
func rows(cs training.ChangeSet, courses []training.Course, fn func(row) error) error {
	latest := map[string]map[string]training.Date{}
	for _, c := range cs.Completions {
		m := latest[c.OfficerID]
		if m == nil {
			m = map[string]training.Date{}
			latest[c.OfficerID] = m
		}
		if c.Date.After(m[c.CourseID]) {
			m[c.CourseID] = c.Date
		}
	}
	exempt := map[[2]string]bool{}
	for _, e := range cs.Exemptions {
		exempt[[2]string{e.OfficerID, e.CourseID}] = true
	}
	for _, o := range cs.Officers {
		parts := append(training.SplitUnit(o.Unit), "", "", "")
		surname, forename := splitName(o.Name)
		status := "Active"
		if o.Leaver {
			status = "Leaver"
		}
		r := row{
			values: []string{o.DisplayID, surname, forename, o.Email, o.Rank, parts[0], parts[1], parts[2], o.LineManager, "", status},
			start:  o.StartDate,
		}
		for _, c := range courses {
			r.courses = append(r.courses, latest[o.ID][c.ID])
			r.exempt = append(r.exempt, exempt[[2]string{o.ID, c.ID}])
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func splitName(name string) (surname, forename string) {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == ' ' {
			return name[i+1:], name[:i]
		}
	}
	return name, ""
}

// excelSerial converts a civil date to Excel's 1900 date system.
func excelSerial(d training.Date) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return float64(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Sub(base).Hours() / 24)
}

// WriteXLSX writes cs's officers as a wide roster on a sheet "Roster", with
// a title row and a blank row above the header (row 3), date cells for
// start and completion dates, and "Exempt" for exemptions. Text is written
// inline in the sheet (excelize's stream writer).
func WriteXLSX(w io.Writer, cs training.ChangeSet, courses []training.Course) error {
	return writeXLSX(w, cs, courses, false)
}

// WriteXLSXShared writes the same workbook with its text in a shared
// strings table, as Excel itself saves a workbook (docs/EXCELIZE.md: a
// reader holds that table in memory, so benchmarks use this layout). It
// writes as it goes (shared.go): a million rows fit.
func WriteXLSXShared(w io.Writer, cs training.ChangeSet, courses []training.Course) error {
	return writeXLSXSharedStream(w, cs, courses)
}

func writeXLSX(w io.Writer, cs training.ChangeSet, courses []training.Course, shared bool) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", "Roster"); err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	setRow := func(cell string, cells []any) error { return f.SetSheetRow("Roster", cell, &cells) }
	var sw *excelize.StreamWriter
	if !shared {
		if sw, err = f.NewStreamWriter("Roster"); err != nil {
			return err
		}
		setRow = func(cell string, cells []any) error { return sw.SetRow(cell, cells) }
	}
	if err := setRow("A1", []any{"Generated force — training roster"}); err != nil {
		return err
	}
	head := make([]any, 0, len(headers)+len(courses))
	for _, h := range headers {
		head = append(head, h)
	}
	for _, c := range courses {
		head = append(head, c.Title+" – date completed")
	}
	if err := setRow("A3", head); err != nil {
		return err
	}
	n := 4
	var dated []string // shared: cells that get the date style afterwards
	err = rows(cs, courses, func(r row) error {
		cells := make([]any, 0, len(head))
		date := func(d training.Date) {
			if shared {
				c, _ := excelize.CoordinatesToCellName(len(cells)+1, n)
				dated = append(dated, c)
				cells = append(cells, excelSerial(d))
				return
			}
			cells = append(cells, excelize.Cell{StyleID: dateStyle, Value: excelSerial(d)})
		}
		for i, v := range r.values {
			if i == 9 && !r.start.IsZero() {
				date(r.start)
				continue
			}
			cells = append(cells, v)
		}
		for i, d := range r.courses {
			switch {
			case r.exempt[i]:
				cells = append(cells, "Exempt")
			case d.IsZero():
				cells = append(cells, nil)
			default:
				date(d)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		n++
		return setRow(cell, cells)
	})
	if err != nil {
		return err
	}
	for _, c := range dated {
		if err := f.SetCellStyle("Roster", c, c, dateStyle); err != nil {
			return err
		}
	}
	if sw != nil {
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// WriteCSV writes the same roster as comma-separated UTF-8, dates as DD/MM/YYYY.
func WriteCSV(w io.Writer, cs training.ChangeSet, courses []training.Course) error {
	cw := csv.NewWriter(w)
	head := append([]string{}, headers...)
	for _, c := range courses {
		head = append(head, c.Title+" – date completed")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	err := rows(cs, courses, func(r row) error {
		rec := append([]string{}, r.values...)
		rec[9] = r.start.UK()
		for i, d := range r.courses {
			switch {
			case r.exempt[i]:
				rec = append(rec, "Exempt")
			default:
				rec = append(rec, d.UK())
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("rostergen: writing csv: %w", err)
	}
	return nil
}
