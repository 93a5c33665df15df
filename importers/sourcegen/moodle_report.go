package sourcegen

import (
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Course full names in the force's Moodle: aliases and extra words, and a
// course Muster does not track.
const (
	mdlCSEFull     = "Child sexual exploitation – recognising the signs"
	mdlTICFull     = "Trauma informed comms (e-learning)"
	mdlOtherFull   = "Information Security Awareness 2026"
	mdlCSEEmpty    = "CSE awareness – 2027 cohort"
	mdlCSEShortish = "CSE awareness"
	mdlTICTitle    = "Trauma-informed communication"
)

// moodleCustomReportCSV writes a report-builder report over "Course
// participants" with Completed and Time completed, downloaded as CSV.
func moodleCustomReportCSV(g *gen) (*file, error) {
	f := &file{file: "Mandatory training completion.csv"}
	e := &f.Expect
	e.Source = SourceMoodleCustomReport
	rows := [][]string{Headers("moodle-custom-report-csv")}
	courses := []struct {
		name, id  string
		strangers int
	}{{mdlCSEFull, CourseCSE, 2}, {mdlTICFull, CourseTIC, 0}, {mdlOtherFull, "", 1}}
	for _, c := range courses {
		for _, o := range append(g.pick(30), g.strangers(c.strangers)...) {
			var done time.Time
			if g.chance(0.6) {
				done = g.completedAt()
			}
			completed := "No"
			if !done.IsZero() {
				completed = "Yes"
			}
			rows = append(rows, []string{c.name, o.Name(), o.ID, strings.ToLower(o.Email), completed,
				moodleTime(done, moodleDayDateTime)})
			switch {
			case c.id == "":
				e.row(RowOtherCourse)
				e.unchangedIfOnRoster(g, o.ID)
			case done.IsZero():
				e.nothing("No")
				e.unchangedIfOnRoster(g, o.ID)
			default:
				e.record(g, o, c.id, londonDate(done), false)
			}
		}
	}
	// A tracked course nobody is enrolled on yet: the LEFT JOIN still gives a
	// row, every user column empty and Completed empty.
	rows = append(rows, []string{mdlCSEEmpty, "", "", "", "", ""})
	e.row(RowRejectedPrefix + ReasonNoID)
	f.data = phpCSV(rows, true)
	return f, nil
}

// moodleCustomReportXLSX writes a report whose author kept the default
// "with link" columns and no completion time, downloaded as Excel.
func moodleCustomReportXLSX(g *gen) (*file, error) {
	f := &file{file: "Mandatory training - learners.xlsx"}
	e := &f.Expect
	e.Source = SourceMoodleCustomReport
	rows := [][]string{Headers("moodle-custom-report-xlsx")}
	courses := []struct{ name, id string }{{mdlCSEShortish, CourseCSE}, {mdlTICTitle, CourseTIC}, {mdlOtherFull, ""}}
	for _, c := range courses {
		for _, o := range g.pick(25) {
			completed := "No"
			if g.chance(0.55) {
				completed = "Yes"
			}
			rows = append(rows, []string{c.name, o.Name(), o.ID, completed})
			switch {
			case c.id == "":
				e.row(RowOtherCourse)
				e.unchangedIfOnRoster(g, o.ID)
			case completed == "No":
				e.nothing("No")
				e.unchangedIfOnRoster(g, o.ID)
			default:
				e.record(g, o, c.id, training.Date{}, true)
			}
		}
	}
	data, err := xlsxStrings("Sheet1", rows)
	if err != nil {
		return nil, err
	}
	f.data = data
	return f, nil
}
