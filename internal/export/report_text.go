package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/muster-police/muster/training"
)

// ReportCSV writes the report as one row per unit and course, parents
// before children: a shape spreadsheets filter and scripts read easily.
// The last column, label, says what each row counts in words: "Whole
// force", the unit's path, or for a manager's partial root "Your units"
// (whose unit column is then empty, as its JSON unit is null).
func ReportCSV(w io.Writer, r *training.Report) error {
	cw := NewCSVWriter(w)
	if err := cw.Write([]string{"as_of", "unit", "depth", "course", "title", "percent", "required", "compliant", "overdue", "due_soon", "outstanding", "exempt", "label"}); err != nil {
		return err
	}
	var err error
	walk(r, func(n *training.ReportNode, d int) {
		for _, c := range n.Courses {
			if err != nil {
				return
			}
			pct := ""
			if c.Percent != nil {
				pct = c.Percent.String()
			}
			err = cw.Write([]string{
				r.AsOf.String(), n.Unit, strconv.Itoa(d), c.Course, c.Title, pct,
				strconv.Itoa(c.Required), strconv.Itoa(c.Compliant), strconv.Itoa(c.Overdue),
				strconv.Itoa(c.DueSoon), strconv.Itoa(c.Outstanding), strconv.Itoa(c.Exempt), n.Name(),
			})
		}
	})
	if err != nil {
		return err
	}
	return cw.Flush()
}

// ReportTable writes the report as aligned text, one block per course,
// units indented by depth under the root.
func ReportTable(w io.Writer, r *training.Report) error {
	type row struct {
		label string
		figs  training.CourseFigures
	}
	heads := []string{"PERCENT", "COMPLIANT", "REQUIRED", "OVERDUE", "DUE SOON", "OUTSTANDING", "EXEMPT"}
	for ci, course := range r.Courses {
		var rows []row
		width := len("UNIT")
		walk(r, func(n *training.ReportNode, d int) {
			label := strings.Repeat("  ", d) + nodeLabel(n)
			if d == 0 || (d == 1 && r.Label != "" && n.Label == "") {
				label = strings.Repeat("  ", d) + n.Name() // a root, or a scope unit: the full path
			}
			if l := utf8.RuneCountInString(label); l > width {
				width = l
			}
			rows = append(rows, row{label, n.Courses[ci]})
		})
		if ci > 0 {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "%s (%s) as of %s\n", course.Title, course.Course, r.AsOf); err != nil {
			return err
		}
		line := pad("UNIT", width)
		for _, h := range heads {
			line += "  " + h
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
		for _, rw := range rows {
			f := rw.figs
			vals := []string{percentText(f.Percent), strconv.Itoa(f.Compliant), strconv.Itoa(f.Required), strconv.Itoa(f.Overdue),
				strconv.Itoa(f.DueSoon), strconv.Itoa(f.Outstanding), strconv.Itoa(f.Exempt)}
			line := pad(rw.label, width)
			for i, v := range vals {
				line += "  " + lpad(v, len(heads[i]))
			}
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
	}
	if len(r.Courses) == 0 {
		_, err := fmt.Fprintf(w, "No courses to report as of %s.\n", r.AsOf)
		return err
	}
	return nil
}

// pad right-pads s with spaces to width runes.
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

// lpad left-pads s with spaces to width runes (numbers line up on the right).
func lpad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return strings.Repeat(" ", width-n) + s
	}
	return s
}
