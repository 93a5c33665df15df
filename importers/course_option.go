package importers

// The course of a file that covers one course without naming it in a
// column: a Moodle course completion report (the course is only in its
// file name, completion-<shortname>.csv), or any export of ID and
// completion date for one course. The person says which (the upload
// form's course, muster import --course), a saved mapping says it, or the
// file name names it; otherwise the file is refused with that question.

import (
	"fmt"
	"path/filepath"
	"strings"
)

// oneCourse decides the course of a one-course file and fills it into
// the plan's course columns (or makes a completion export of it). It
// returns "" for a file that names its courses itself.
func (rd *reader) oneCourse(p *headerPlan) (string, error) {
	has := map[Field]bool{}
	open := false // course columns whose course the file does not name
	for _, c := range p.columns {
		has[c.Field] = true
		if c.Field == FieldCourseColumn && c.CourseID == "" {
			open = true
		}
	}
	generic := p.layout == LayoutPeople && !has[FieldCourse] && (has[FieldCompletionDate] || has[FieldCompletionStatus])
	if !open && !generic {
		return "", nil
	}
	what := "This file covers one course without naming it"
	if p.source != nil {
		what = "This is a " + p.source.Name + ", which covers one course without naming it"
	}
	id, from := "", ""
	switch {
	case rd.opts.Course != "":
		id, from = rd.opts.Course, "chosen for this import"
		if rd.cm.title(id) == "" {
			return "", fileErrorf("%s, and the course chosen for it, %q, is not one Muster tracks; choose one of the courses Muster lists.", what, id)
		}
	case p.mapping != nil && p.mapping.course != "":
		id, from = p.mapping.course, fmt.Sprintf("from the saved mapping %q", p.mapping.name)
	default:
		name := courseFromFileName(rd.opts.FileName)
		if name != "" {
			if m := rd.cm.match(name); m.id != "" {
				id, from = m.id, fmt.Sprintf("named by the file name %q", filepath.Base(rd.opts.FileName))
			}
		}
	}
	if id == "" {
		return "", fileErrorf("%s, and its file name %q does not name a course Muster tracks; choose the course it is for (the Course box of the upload form, or muster import --course ID), or add the course's short name to the course's aliases.", what, filepath.Base(rd.opts.FileName))
	}
	for i := range p.columns {
		c := &p.columns[i]
		if c.Field == FieldCourseColumn && c.CourseID == "" {
			c.CourseID = id
			c.Why += fmt.Sprintf(" (course %q, %s)", rd.cm.title(id), from)
		}
		if generic && (c.Field == FieldCompletionDate || c.Field == FieldCompletionStatus) {
			c.Why += fmt.Sprintf(" of the course %q, %s", rd.cm.title(id), from)
		}
	}
	if generic {
		p.layout = LayoutLong
	}
	return id, nil
}

// courseFromFileName is the course part of a download's name:
// "completion-cse_awareness.csv" -> "cse awareness".
func courseFromFileName(name string) string {
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	lower := strings.ToLower(base)
	for _, p := range []string{"completion-", "completion_", "progress-", "progress_"} {
		if strings.HasPrefix(lower, p) {
			base = base[len(p):]
			break
		}
	}
	return strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(base)
}
