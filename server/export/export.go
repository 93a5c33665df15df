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
	"strings"

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

// depth is how far a node sits below the report's root.
func depth(path, root string) int {
	return len(training.SplitUnit(path)) - len(training.SplitUnit(root))
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

// statusLabel is a status in words.
func statusLabel(s training.Status) string {
	return strings.ReplaceAll(strings.ToUpper(string(s[:1]))+string(s[1:]), "_", " ")
}
