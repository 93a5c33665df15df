package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// Compliance returns training.BuildReport's output exactly (the
// COMPLIANCE.md contract), rooted at ?unit, for ?course (all when absent),
// as of ?as_of; a manager's figures count only whom they may see.
func (s *Handler) Compliance(c echo.Context) error {
	q, err := s.ReportQuery(c, c.QueryParam("unit"))
	if err != nil {
		return err
	}
	// Compressed once per revision and coding (the entry keeps the bytes):
	// 857 KB of force-wide JSON is ~50 KB gzipped, which a manager on 4G
	// or a VPN feels; zstd is there for clients that find gzip slow to inflate.
	c.Response().Header().Set("Cache-Control", "private, no-store")
	if q.Whole {
		// Everyone in the unit counts: today's figures from the live index.
		e, ok, err := s.Live.ReportJSON(q.AsOf, q.Unit, q.Courses)
		if err != nil {
			return err
		}
		if ok {
			return s.SendEncoded(c, echo.MIMEApplicationJSON, web.Encoded(e))
		}
	}
	ds, err := s.ReportData(c)
	if err != nil {
		return err
	}
	u, _ := web.CurrentUser(c)
	e := s.ReportFor(u, ds, q)
	if e.Err != nil {
		return e.Err
	}
	return s.SendEncoded(c, echo.MIMEApplicationJSON, web.Encoded(e))
}

// ComplianceExport writes the report as a workbook (summary with chart,
// overdue lists) or csv.
func (s *Handler) ComplianceExport(c echo.Context) error {
	format, err := web.ExportFormat(c, false)
	if err != nil {
		return err
	}
	q, err := s.ReportQuery(c, c.QueryParam("unit"))
	if err != nil {
		return err
	}
	ds, err := s.ReportData(c)
	if err != nil {
		return err
	}
	u, _ := web.CurrentUser(c)
	rep, _, err := s.Report(u, ds, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name := "compliance-" + q.AsOf.String()
	switch format {
	case "csv":
		err = export.ReportCSV(&buf, rep)
	default:
		courses, _ := training.SelectCourses(ds.Courses, q.Courses) // checked by ReportQuery
		overdue := training.ListOfficers(ds, q.AsOf, training.OfficerFilter{Unit: rep.Unit, Status: training.StatusOverdue, Scope: q.Scope})
		err = export.ReportXLSX(&buf, rep, overdue, courses)
	}
	if err != nil {
		return fmt.Errorf("compliance export: %w", err)
	}
	s.Audit(c, training.AuditExport, "", "", training.AuditOK, "compliance "+format+" as_of="+q.AsOf.String())
	return web.SendFile(c, name, format, buf.Bytes())
}

// trendPoint is one day's figures for the unit asked about.
type trendPoint struct {
	Date    training.Date            `json:"date"`
	Courses []training.CourseFigures `json:"courses"`
}

// TrendResponse is the trend of one unit from the daily snapshots.
type TrendResponse struct {
	Unit   string        `json:"unit"`
	From   training.Date `json:"from"`
	To     training.Date `json:"to"`
	Points []trendPoint  `json:"points"`
}

// Trend returns a unit's daily figures between ?from and ?to (default:
// the last year). Snapshots hold whole units, so a manager may ask only for
// units wholly in their scope (by default their only unit).
func (s *Handler) Trend(c echo.Context) error {
	to, err := s.DateParam(c, "to", s.Today())
	if err != nil {
		return err
	}
	from, err := s.DateParam(c, "from", to.AddDays(-365))
	if err != nil {
		return err
	}
	if to.Before(from) {
		return training.Invalidf("from must not be after to")
	}
	sc, ds, err := s.ScopeOf(c)
	if err != nil {
		return err
	}
	unit := training.ParseUnit(c.QueryParam("unit"))
	if !sc.All {
		if unit == "" && len(sc.Units) == 1 {
			unit = sc.Units[0]
		}
		if !sc.AllowsUnit(unit) {
			return web.ErrOutOfScope
		}
	}
	snaps, err := s.Store.DailySnapshots(c.Request().Context(), from, to)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, co := range ds.Courses {
		titles[co.ID] = co.Title
	}
	resp := TrendResponse{Unit: unit, From: from, To: to, Points: []trendPoint{}}
	for _, sn := range snaps {
		byCourse, ok := sn.Units[unit]
		if !ok {
			continue
		}
		p := trendPoint{Date: sn.Date, Courses: []training.CourseFigures{}}
		for _, co := range ds.Courses {
			if n, ok := byCourse[co.ID]; ok {
				p.Courses = append(p.Courses, training.CourseFigures{Course: co.ID, Title: titles[co.ID], Counts: n, Percent: n.Percent()})
			}
		}
		resp.Points = append(resp.Points, p)
	}
	return c.JSON(http.StatusOK, resp)
}
