// Package export writes compliance reports and officer lists as files
// people open: xlsx workbooks for managers, csv for spreadsheets and
// scripts, and aligned text for terminals.
//
// Every string that lands in a cell goes through SafeCell (csv: through
// CSVWriter, which also quotes every field and guards every piece a
// spreadsheet might split it into), so a roster value such as
// "=HYPERLINK(...)" can never become a live formula in Excel or
// LibreOffice (formula injection).
package export

import (
	"github.com/muster-police/muster/training"
)

// SafeCell neutralises formula injection: a value beginning with = + - @,
// a tab or a carriage return gets a leading apostrophe, which spreadsheet
// programs show as text. Other values are returned unchanged.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// unitLabel is the last part of a unit path; the root is the whole force.
func unitLabel(path string) string {
	if path == "" {
		return "Whole force"
	}
	parts := training.SplitUnit(path)
	return parts[len(parts)-1]
}

// nodeLabel is the short name of a node: a labelled node's label ("Your
// units"), else the unit's last part (the force's root: "Whole force").
// Partial counts never carry a unit's name (docs/COMPLIANCE.md).
func nodeLabel(n *training.ReportNode) string {
	if n.Label != "" {
		return n.Label
	}
	return unitLabel(n.Unit)
}

// walk calls fn for every node of r, parents first, with its depth below
// the root (a manager's "Your units" root holds full paths of any depth).
func walk(r *training.Report, fn func(n *training.ReportNode, depth int)) {
	var visit func(n *training.ReportNode, d int)
	visit = func(n *training.ReportNode, d int) {
		fn(n, d)
		for _, c := range n.Units {
			visit(c, d+1)
		}
	}
	visit(&r.ReportNode, 0)
}

// percentText formats a percentage for people ("–" when nothing is required).
func percentText(p *training.Percent) string {
	if p == nil {
		return "–"
	}
	return p.String() + "%"
}

// courseIndex maps course IDs to their position in courses.
func courseTitle(courses []training.Course, id string) string {
	for _, c := range courses {
		if c.ID == id {
			return c.Title
		}
	}
	return id
}
