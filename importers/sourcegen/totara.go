package sourcegen

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Totara's source names, as the importer must report them.
const (
	SourceTotaraCourseCompletion = "totara-course-completion"
	SourceTotaraHRImport         = "totara-hr-import"
)

// Totara completion statuses (completion_completion.php's
// $COMPLETION_STATUS through lang/en/completion.php); "" is a status Totara
// cannot name (rb_display_completion_status returns an empty string).
const (
	ttComplete      = "Complete"
	ttCompleteRPL   = "Complete via rpl"
	ttInProgress    = "In progress"
	ttNotYetStarted = "Not yet started"
)

// Positions (Totara hierarchy items) the fixtures use.
var positions = []string{"Police Constable", "Detective Constable", "Police Sergeant", "Detective Sergeant", "Inspector", "Police Staff Investigator"}

// lastUnit is the last level of a unit path: what a hierarchy node's own
// name, SAP's org unit text or Oracle's department shows.
func lastUnit(path string) string {
	parts := training.SplitUnit(path)
	if len(parts) == 0 {
		return ""
	}
	return parts[len(parts)-1]
}

func itoa(n int) string { return strconv.Itoa(n) }

// totaraCourseCompletion writes a "Course Completion" report-builder report
// (default columns plus User ID Number), exported as CSV.
func totaraCourseCompletion(g *gen) (*file, error) {
	f := &file{file: "Course Completion.csv"}
	e := &f.Expect
	e.Source = SourceTotaraCourseCompletion
	rows := [][]string{Headers("totara-course-completion-csv")}
	courses := []struct {
		name, id  string
		strangers int
	}{{mdlCSEShortish, CourseCSE, 2}, {mdlTICTitle, CourseTIC, 0}, {"Fire Safety 2026", "", 0}}
	for _, c := range courses {
		for _, o := range append(g.pick(35), g.strangers(c.strangers)...) {
			var status string
			switch p := g.rng.Float64(); {
			case p < 0.45:
				status = ttComplete
			case p < 0.53:
				status = ttCompleteRPL
			case p < 0.73:
				status = ttInProgress
			case p < 0.93:
				status = ttNotYetStarted
			}
			var done training.Date
			if status == ttComplete || status == ttCompleteRPL {
				done = londonDate(g.completedAt())
			}
			org := lastUnit(o.Unit)
			pos := positions[g.rng.IntN(len(positions))]
			rows = append(rows, []string{o.Name(), o.ID, c.name, org, org, pos, pos, status, civil(done, totaraShortMonth)})
			switch {
			case c.id == "":
				e.row(RowOtherCourse)
				e.unchangedIfOnRoster(g, o.ID)
			case done.IsZero():
				e.nothing(status)
				e.unchangedIfOnRoster(g, o.ID)
			default:
				e.record(g, o, c.id, done, false)
			}
		}
	}
	f.data = phpCSV(rows, false)
	return f, nil
}

// totaraHRImport writes the HR Import user source file (Totara 2.x fields)
// as the force's HR system would feed it: every officer, with deleted and
// suspended flags, org and position codes, and position start dates that
// are not joining dates, half as d/m/Y and half as Unix timestamps.
func totaraHRImport(g *gen) (*file, error) {
	f := &file{file: "user.csv"}
	e := &f.Expect
	e.Source = SourceTotaraHRImport
	e.StartDateUnchanged = true
	rows := [][]string{Headers("totara-hr-import-user-csv")}
	modified := g.exportedAt.Add(-6 * time.Hour).Unix()
	for _, o := range g.officers {
		deleted, suspended := "0", "0"
		switch p := g.rng.Float64(); {
		case p < 0.03:
			deleted = "1"
			e.Leavers = append(e.Leavers, o.ID)
		case p < 0.06:
			suspended = "1"
			e.Active = append(e.Active, o.ID)
		}
		posStart := training.NewDate(2019+g.rng.IntN(7), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28))
		ps := civil(posStart, phpDMY)
		if g.chance(0.5) {
			ps = strconv.FormatInt(posStart.Time().Unix(), 10)
		}
		// HR Import's user source has the position's title and start,
		// no staff type (a site could add one as a custom field).
		post, _ := g.post(o)
		post.StaffType, post.InPostSince = "", posStart
		e.posted(o.ID, post)
		rows = append(rows, []string{o.ID, strconv.FormatInt(modified, 10),
			strings.ToLower(o.Forename + "." + o.Surname), deleted, o.Forename, o.Surname, strings.ToLower(o.Email),
			"ORG-" + g.unitCodes[o.Unit], post.Role, fmt.Sprintf("POS-%03d", 1+g.rng.IntN(40)), ps, managerID(o.LineManager), suspended})
		e.row(RowOfficer)
		e.unchanged(o.ID)
	}
	f.data = phpCSV(rows, false)
	return f, nil
}

// managerID is the line manager when it is an officer ID (HR systems carry
// the manager's number; a roster may hold an email instead).
func managerID(lm string) string {
	if strings.Contains(lm, "@") {
		return ""
	}
	return lm
}
