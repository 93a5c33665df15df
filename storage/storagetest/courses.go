package storagetest

import (
	"testing"

	"github.com/muster-police/muster/training"
)

var courseTests = []test{
	{"PutCourses", testPutCourses},
	{"PutCoursesAtomic", testPutCoursesAtomic},
	{"RetiredCourse", testRetiredCourse},
	{"CourseAudience", testCourseAudience},
}

// testCourseAudience: a course's audience (every kind of condition, in
// include and exclude), its renewal window and its escalation come back as they were put,
// in Courses and in the Dataset; clearing the audience clears it.
func testCourseAudience(t *testing.T, s training.Store) {
	c := training.DefaultCourses()[0]
	c.RenewWithinDays = 60
	c.EscalateAfterDays = 90
	c.Audience = training.Audience{
		Include: []training.AudienceRule{
			{Unit: training.Words{"Frontline Policing"}, StaffType: training.Words{"officer", "special", "pcso"}},
			{Unit: training.Words{"Specialist Crime / Public Protection", "Contact"}, Rank: training.Words{"PC", "Sgt"}},
		},
		Exclude: []training.AudienceRule{{Role: training.Words{"Front Counter Officer", "Call Handler*"}}},
	}
	check(t, s.PutCourses(ctx(t), []training.Course{c}))
	got, err := s.Courses(ctx(t))
	check(t, err)
	equal(t, "courses", got, []training.Course{c, training.DefaultCourses()[1]})
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset courses", ds.Courses, got)
	c.Audience, c.RenewWithinDays, c.EscalateAfterDays = training.Audience{}, 0, 0
	check(t, s.PutCourses(ctx(t), []training.Course{c}))
	got, err = s.Courses(ctx(t))
	check(t, err)
	equal(t, "courses after clearing", got, training.DefaultCourses())
}

// testRetiredCourse: a retired course is kept (Courses lists it, flag and
// all) but the Dataset, which every figure comes from, leaves it out; and
// it can be brought back.
func testRetiredCourse(t *testing.T, s training.Store) {
	defaults := training.DefaultCourses()
	retired := defaults[1]
	retired.Retired = true
	check(t, s.PutCourses(ctx(t), []training.Course{retired}))
	got, err := s.Courses(ctx(t))
	check(t, err)
	equal(t, "courses", got, []training.Course{defaults[0], retired})
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset courses", ds.Courses, []training.Course{defaults[0]})
	check(t, s.PutCourses(ctx(t), []training.Course{defaults[1]}))
	ds, err = s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset courses after bringing it back", ds.Courses, defaults)
}

func testPutCourses(t *testing.T, s training.Store) {
	defaults := training.DefaultCourses()
	changed := defaults[1]
	changed.Title, changed.ValidForMonths, changed.Aliases = "TIC refresher", 12, []string{"TIC"}
	added := training.Course{ID: "a-first-aid", Title: "First aid", DueWithinDays: 30, DueSoonDays: 14,
		Aliases: []string{}, URL: "https://learn.example/first-aid"}
	check(t, s.PutCourses(ctx(t), []training.Course{changed, added}))
	got, err := s.Courses(ctx(t))
	check(t, err)
	equal(t, "courses (sorted by ID)", got, []training.Course{added, defaults[0], changed})
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision", rev, int64(1))
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	equal(t, "dataset courses", ds.Courses, got)
	equal(t, "dataset revision", ds.Revision, int64(1))
}

func testPutCoursesAtomic(t *testing.T, s training.Store) {
	good := training.Course{ID: "first-aid", Title: "First aid", Aliases: []string{}}
	bad := training.Course{ID: "Bad ID", Title: "x"}
	err := s.PutCourses(ctx(t), []training.Course{good, bad})
	wantErr(t, "PutCourses with an invalid course", err, training.ErrInvalid)
	got, err := s.Courses(ctx(t))
	check(t, err)
	equal(t, "courses", got, training.DefaultCourses())
	rev, err := s.Revision(ctx(t))
	check(t, err)
	equal(t, "revision", rev, int64(0))
}
