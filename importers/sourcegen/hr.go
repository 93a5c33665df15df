package sourcegen

import (
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// HR systems' source names, as the importer must report them.
const (
	SourceSAPAdHocQuery = "sap-hr-adhoc-query"
	SourceOracleHCM     = "oracle-hcm-extract"
)

// sapPersNo shows an all-digit ID as SAP's NUMC 8 personnel number, with
// leading zeros; other IDs as they are.
func sapPersNo(id string) string {
	for _, r := range id {
		if r < '0' || r > '9' {
			return id
		}
	}
	if len(id) >= 8 {
		return id
	}
	return strings.Repeat("0", 8-len(id)) + id
}

// hireDate is the officer's start date, or a plausible one when the roster
// does not know it (an HR system always does).
func (g *gen) hireDate(o Officer) training.Date {
	if !o.StartDate.IsZero() {
		return o.StartDate
	}
	return training.NewDate(2000+g.rng.IntN(24), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28))
}

// recentLeavingDate is a date in the two months before the export.
func (g *gen) recentLeavingDate() training.Date {
	return londonDate(g.exportedAt.AddDate(0, 0, -2-g.rng.IntN(60)))
}

// sapAdHocQuery writes an ad hoc query over infotypes 0000/0001/0002,
// exported from the ALV list to a spreadsheet: the whole workforce, codes
// for org units, one level of unit text, SAP's employment statuses.
func sapAdHocQuery(g *gen) (*file, error) {
	f := &file{file: "export.XLSX"}
	e := &f.Expect
	e.Source, e.Full = SourceSAPAdHocQuery, true
	rows := [][]string{Headers("sap-hr-adhoc-query-xlsx")}
	for _, o := range g.officers {
		status, leaving := "Active", training.Date{}
		switch p := g.rng.Float64(); {
		case p < 0.03:
			status, leaving = "Withdrawn", g.recentLeavingDate()
			e.Leavers = append(e.Leavers, o.ID)
		case p < 0.04:
			status, leaving = "Retiree", g.recentLeavingDate()
			e.Leavers = append(e.Leavers, o.ID)
		case p < 0.07:
			status = "Inactive"
			e.Active = append(e.Active, o.ID)
		}
		// An ad hoc query over infotype 0001 shows the employee group and
		// the position as texts; it has no in-post date of its own.
		post, kind := g.post(o)
		post.InPostSince = training.Date{}
		e.posted(o.ID, post)
		rows = append(rows, []string{sapPersNo(o.ID), o.Surname, o.Forename, g.unitCodes[o.Unit], lastUnit(o.Unit),
			kind.sapGroup, post.Role, status, civil(g.hireDate(o), sapDate), civil(leaving, sapDate)})
		e.row(RowOfficer)
		e.unchanged(o.ID)
	}
	data, err := xlsxStrings("Sheet1", rows)
	if err != nil {
		return nil, err
	}
	f.data = data
	return f, nil
}

// oracleExtract writes an HCM extract of workers' primary assignments as
// CSV: Person Number, last-level department names, assignment statuses.
func oracleExtract(g *gen) (*file, error) {
	f := &file{file: "worker_extract.csv"}
	e := &f.Expect
	e.Source, e.Full = SourceOracleHCM, true
	rows := [][]string{Headers("oracle-hcm-extract-csv")}
	for _, o := range g.officers {
		status, typ, term := "Active - Payroll Eligible", "ACTIVE", training.Date{}
		switch p := g.rng.Float64(); {
		case p < 0.03:
			status, typ, term = "Inactive - Payroll Eligible", "INACTIVE", g.recentLeavingDate()
			e.Leavers = append(e.Leavers, o.ID)
		case p < 0.06:
			status, typ = "Suspended - No Payroll", "SUSPENDED"
			e.Active = append(e.Active, o.ID)
		case p < 0.10:
			status = "Active - No Payroll"
		}
		post, kind := g.post(o)
		e.posted(o.ID, post)
		rows = append(rows, []string{o.ID, o.Surname, o.Forename, strings.ToLower(o.Email), lastUnit(o.Unit),
			status, typ, kind.oracleType, post.Role, civil(post.InPostSince, isoDate), managerID(o.LineManager),
			civil(g.hireDate(o), isoDate), civil(term, isoDate)})
		e.row(RowOfficer)
		e.unchanged(o.ID)
	}
	f.data = phpCSV(rows, false)
	return f, nil
}
