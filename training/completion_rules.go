package training

import (
	"strings"
	"time"
)

// FindCourse returns the course name names: its ID, or a title or alias
// of an active course, or failing that of a retired one (a retired
// course's names are free for another course to take, see
// CheckCourseNames), compared case-insensitively as CheckCourseNames does.
func FindCourse(courses []Course, name string) (Course, bool) {
	key := strings.ToLower(CleanText(name))
	if key == "" {
		return Course{}, false
	}
	for _, c := range courses {
		if strings.ToLower(c.ID) == key {
			return c, true
		}
	}
	for _, retired := range []bool{false, true} {
		for _, c := range courses {
			if c.Retired != retired {
				continue
			}
			for _, n := range append([]string{c.Title}, c.Aliases...) {
				if strings.ToLower(CleanText(n)) == key {
					return c, true
				}
			}
		}
	}
	return Course{}, false
}

// CompletionFloor is the earliest completion date Muster records
// (docs/COMPLIANCE.md): an earlier one is a typing slip, a number read as
// a date or a placeholder (0001-01-01), never training a serving officer
// did.
var CompletionFloor = DateFrom(1970, time.January, 1)

// CompletionTooEarly reports whether d is before CompletionFloor.
func CompletionTooEarly(d Date) bool { return d.Before(CompletionFloor) }

// CheckCompletionDate refuses, as ErrInvalid, a completion dated after
// today (nobody has done a course tomorrow) or before CompletionFloor.
func CheckCompletionDate(d, today Date) error {
	if d.After(today) {
		return Invalidf("date %s is in the future", d)
	}
	if CompletionTooEarly(d) {
		return Invalidf("date %s is before %s, the earliest completion Muster records", d, CompletionFloor)
	}
	return nil
}

// NewCompletion checks a completion reported by an outside system (an
// officer ID, a course's ID, title or alias, and an ISO date) against ds
// on today and returns it, recorded with src, or an ErrInvalid error
// saying what is wrong.
func NewCompletion(ds *Dataset, officerID, course, date string, today Date, src Source) (Completion, error) {
	id := NormalizeID(officerID)
	if id == "" {
		return Completion{}, Invalidf("officer_id is missing")
	}
	if ds.Officers[id].ID == "" {
		return Completion{}, Invalidf("there is no officer with ID %q", officerID)
	}
	c, ok := FindCourse(ds.Courses, course)
	if !ok {
		return Completion{}, Invalidf("there is no course %q", course)
	}
	d, err := ParseDate(strings.TrimSpace(date))
	if err != nil {
		return Completion{}, Invalidf("date %q is not in the form YYYY-MM-DD", date)
	}
	if err := CheckCompletionDate(d, today); err != nil {
		return Completion{}, err
	}
	return Completion{OfficerID: id, CourseID: c.ID, Date: d, Source: src}, nil
}
