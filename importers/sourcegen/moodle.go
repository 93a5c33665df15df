package sourcegen

import (
	"sort"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Moodle's source names, as the importer must report them.
const (
	SourceMoodleCourseCompletion   = "moodle-course-completion"
	SourceMoodleActivityCompletion = "moodle-activity-completion"
	SourceMoodleCustomReport       = "moodle-custom-report"
)

// Moodle's activity states (lang/en/completion.php).
const (
	mdlCompleted    = "Completed"
	mdlNotCompleted = "Not completed"
	mdlPass         = "Completed (achieved pass grade)"
	mdlFail         = "Completed (did not achieve pass grade)"
)

// moodleShortName cleans a course short name as report/completion and
// report/progress do: lower case, every character outside [a-z0-9-] → "_".
func moodleShortName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// moodleCompletionFileName is csv_export_writer::set_filename for
// "completion-<shortname>": a UTC timestamp and the delimiter name follow.
func moodleCompletionFileName(shortname string, at time.Time) string {
	return "completion-" + moodleShortName(shortname) + "-" + at.UTC().Format("20060102_1504") + "-comma_separated.csv"
}

// learner is one Moodle user in a course and what they did.
type learner struct {
	Officer
	moodleID int
	act      [2]actState // the course's two activities
	complete time.Time   // course completion time; zero: not complete
}

type actState struct {
	state string
	at    time.Time // zero: never completed
}

// learners draws n roster officers and k strangers into a Moodle course
// with two activities (the second a graded quiz when quiz is set): the
// course is complete when both are done (and the quiz passed).
func (g *gen) learners(n, k int, quiz bool) []learner {
	people := append(g.pick(n), g.strangers(k)...)
	ids := g.rng.Perm(3000)
	out := make([]learner, len(people))
	for i, o := range people {
		l := learner{Officer: o, moodleID: ids[i] + 3} // 1 is the guest, 2 the administrator
		if g.chance(0.8) {
			t := g.completedAt()
			l.act[0] = actState{mdlCompleted, t}
			if g.chance(0.75) {
				t2 := t.Add(time.Duration(5+g.rng.IntN(90)) * time.Minute)
				switch {
				case !quiz:
					l.act[1] = actState{mdlCompleted, t2}
				case g.chance(0.85):
					l.act[1] = actState{mdlPass, t2}
				default:
					l.act[1] = actState{mdlFail, t2}
				}
				if l.act[1].state != mdlFail {
					// cron marks the course complete a little later.
					l.complete = t2.Add(time.Duration(1+g.rng.IntN(50)) * time.Minute)
				}
			}
		}
		if l.act[1].state == "" {
			l.act[1].state = mdlNotCompleted
		}
		if l.act[0].state == "" {
			l.act[0].state = mdlNotCompleted
		}
		out[i] = l
	}
	// Moodle sorts by last name.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Surname < out[j].Surname })
	return out
}

func moodleTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(training.London).Format(layout)
}

// moodleCourseCompletion writes report/completion's CSV for one course.
func (g *gen) moodleCourseCompletion(layoutName string, course training.Course, shortname string,
	at time.Time, bom, idnumber bool) (*file, error) {
	ls := g.learners(60, 3, course.ID == CourseCSE)
	// A site administrator enrolled to check the course: no ID number.
	admin := learner{Officer: Officer{Forename: "Moodle", Surname: "Administrator", Email: "lms.admin@force.example"}, moodleID: 2}
	admin.act[0], admin.act[1] = actState{state: mdlNotCompleted}, actState{state: mdlNotCompleted}
	ls = append([]learner{admin}, ls...)

	f := &file{file: moodleCompletionFileName(shortname, at)}
	e := &f.Expect
	e.Source, e.Course, e.CourseFrom, e.CourseAlias = SourceMoodleCourseCompletion, course.ID, "file name", shortAlias(course)
	rows := [][]string{Headers(layoutName)}
	for _, l := range ls {
		r := []string{itoa(l.moodleID), l.Name()}
		if idnumber {
			r = append(r, l.ID)
		}
		r = append(r, strings.ToLower(l.Email))
		for _, a := range l.act {
			r = append(r, a.state, moodleTime(a.at, moodleShort))
		}
		r = append(r, moodleTime(l.complete, moodleShort))
		rows = append(rows, r)
		switch {
		case !idnumber:
		case l.ID == "":
			e.row(RowRejectedPrefix + ReasonNoID)
		case l.complete.IsZero():
			e.nothing("")
			e.unchangedIfOnRoster(g, l.ID)
		default:
			e.record(g, l.Officer, course.ID, londonDate(l.complete), false)
		}
	}
	if !idnumber {
		e.Refused = true
		e.RefusedBecause = "no officer ID column: ID is Moodle's internal user id; add ID number to the user identity fields and download again"
	}
	f.data = phpCSV(rows, bom)
	return f, nil
}

func moodleCourseCompletionCSV(g *gen) (*file, error) {
	return g.moodleCourseCompletion("moodle-course-completion-csv", g.cse, "CSE", g.exportedAt, false, true)
}

func moodleCourseCompletionExcelCSV(g *gen) (*file, error) {
	return g.moodleCourseCompletion("moodle-course-completion-excelcsv", g.tic, "TIC-2026", g.exportedAt.Add(time.Minute), true, true)
}

func moodleCourseCompletionNoIDNumber(g *gen) (*file, error) {
	return g.moodleCourseCompletion("moodle-course-completion-no-idnumber", g.cse, "CSE", g.exportedAt.Add(2*time.Minute), false, false)
}

// moodleActivity writes report/progress's CSV for one course.
func (g *gen) moodleActivity(layoutName string, course training.Course, shortname string, excel bool) (*file, error) {
	ls := g.learners(40, 0, course.ID == CourseCSE)
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Surname != ls[j].Surname {
			return ls[i].Surname < ls[j].Surname
		}
		return ls[i].Forename < ls[j].Forename
	})
	f := &file{file: "progress." + moodleShortName(shortname) + ".csv"}
	e := &f.Expect
	e.Source, e.Course, e.CourseFrom, e.CourseAlias = SourceMoodleActivityCompletion, course.ID, "file name", shortAlias(course)
	var rows [][]string
	for _, l := range ls {
		r := []string{l.Name(), l.ID, strings.ToLower(l.Email)}
		for i, a := range l.act {
			state := a.state
			if i == 0 && state == mdlCompleted && g.chance(0.1) {
				// A trainer overrode the completion (completion-y-override).
				state = "Completed (set by Sgt Dana Whitfield)"
			}
			r = append(r, state, moodleTime(a.at, moodleISO))
		}
		rows = append(rows, r)
		e.nothing(ActivityReport)
		e.unchangedIfOnRoster(g, l.ID)
	}
	data, err := moodleProgressCSV(Headers(layoutName), rows, excel)
	if err != nil {
		return nil, err
	}
	f.data = data
	return f, nil
}

func moodleActivityExcelCSV(g *gen) (*file, error) {
	return g.moodleActivity("moodle-activity-completion-excelcsv", g.cse, "CSE", true)
}

func moodleActivityCSV(g *gen) (*file, error) {
	return g.moodleActivity("moodle-activity-completion-csv", g.tic, "TIC-2026", false)
}

// unchangedIfOnRoster notes a roster officer whose name and unit must stay.
func (e *Expectation) unchangedIfOnRoster(g *gen, id string) {
	if id != "" && g.onRoster[training.NormalizeID(id)] {
		e.unchanged(id)
	}
}

// shortAlias is the course's shortest alias: the one its Moodle short name
// ("CSE", "TIC-2026") carries.
func shortAlias(c training.Course) string {
	best := ""
	for _, a := range c.Aliases {
		if best == "" || len(a) < len(best) {
			best = a
		}
	}
	return best
}
