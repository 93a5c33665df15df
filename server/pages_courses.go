package server

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

type coursesView struct {
	Courses []training.Course
	// New is the "Add a course" form's values (kept after an error).
	New training.Course
	// Typed holds raw text typed into number and date fields that could
	// not be read, by field id, so the form shows it again.
	Typed map[string]string
	// Retired are the retired courses, to bring back.
	Retired []training.Course
}

// Value is the raw text typed into field id, when it could not be read.
func (v *coursesView) Value(id, fallback string) string {
	if s, ok := v.Typed[id]; ok {
		return s
	}
	return fallback
}

func (p *webPages) pageCourses(c echo.Context) error {
	return p.renderCourses(c, nil, nil)
}

// renderCourses shows the courses page; typed, when set, is a course form
// with problems (errs), shown again as typed.
func (p *webPages) renderCourses(c echo.Context, errs formErrors, typed *courseTyped) error {
	cs, err := p.store.Courses(c.Request().Context())
	if err != nil {
		return err
	}
	view := &coursesView{Courses: cs, New: training.Course{DueWithinDays: training.DefaultDueWithinDays, DueSoonDays: training.DefaultDueSoonDays}, Typed: map[string]string{}}
	for _, x := range cs {
		if x.Retired {
			view.Retired = append(view.Retired, x)
		}
	}
	if typed != nil {
		view.Typed = typed.raw
		if typed.create {
			view.New = typed.course
		} else {
			for i := range view.Courses {
				if view.Courses[i].ID == typed.course.ID {
					view.Courses[i] = typed.course
				}
			}
		}
	}
	return p.renderForm(c, "courses", "Courses", errs, view)
}

// courseTyped is a course form as typed.
type courseTyped struct {
	create bool
	course training.Course
	raw    map[string]string
}

// courseForm reads a course from the form into base (the stored course, or
// a new one); field ids are prefix+name ("new-" for the new course, or
// name+"-"+id). Every problem is recorded by its field.
func courseForm(c echo.Context, base training.Course, field func(string) string, errs *formErrors) (training.Course, map[string]string) {
	raw := map[string]string{}
	base.Title = c.FormValue("title")
	base.URL = strings.TrimSpace(c.FormValue("url"))
	base.Aliases = strings.Split(strings.ReplaceAll(c.FormValue("aliases"), "\r", ""), "\n")
	base.Deadline = training.Date{}
	if v := strings.TrimSpace(c.FormValue("deadline")); v != "" {
		d, err := training.ParseDate(v)
		if err != nil {
			errs.add(field("deadline"), "The deadline must be a real date, for example 31/03/2027.")
			raw[field("deadline")] = v
		}
		base.Deadline = d
	}
	for _, f := range []struct {
		name, id, label string
		dst             *int
	}{
		{"due_within_days", "due", "“Due within” must be a whole number of days, 0 or more.", &base.DueWithinDays},
		{"valid_for_months", "valid", "“Valid for” must be a whole number of months, 0 or more (0: never expires).", &base.ValidForMonths},
		{"due_soon_days", "soon", "“Due soon” must be a whole number of days, 0 or more.", &base.DueSoonDays},
	} {
		v := strings.TrimSpace(c.FormValue(f.name))
		if v == "" {
			*f.dst = 0
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs.add(field(f.id), f.label)
			raw[field(f.id)] = v
			continue
		}
		*f.dst = n
	}
	if base.URL != "" && !strings.HasPrefix(base.URL, "https://") && !strings.HasPrefix(base.URL, "http://") {
		errs.add(field("url"), "The course link must start with https://")
	}
	if training.CleanText(base.Title) == "" {
		errs.add(field("title"), "Enter the course's title.")
	}
	return base.Normalize(), raw
}

func (p *webPages) saveCourse(c echo.Context, id string, create bool) error {
	ctx := c.Request().Context()
	all, err := p.store.Courses(ctx)
	if err != nil {
		return err
	}
	base := training.Course{ID: id}
	found := false
	for _, x := range all {
		if x.ID == id {
			base, found = x, true
		}
	}
	if !create && !found {
		return training.NotFoundf("there is no course %q", id)
	}
	field := func(f string) string { return f + "-" + id }
	if create {
		field = func(f string) string { return "new-" + f }
	}
	var errs formErrors
	if create {
		switch {
		case id == "":
			errs.add("new-id", "Enter an ID for the course, for example first-aid.")
		case found:
			errs.add("new-id", fmt.Sprintf("A course with the ID %q already exists. Choose another ID, or change that course above.", id))
		}
	}
	course, raw := courseForm(c, base, field, &errs)
	if len(errs) == 0 {
		if err := course.Validate(); err != nil && !errs.addErr(field(courseField(training.FieldOf(err), "id")), err) {
			return err
		}
	}
	if len(errs) == 0 {
		// The rule the CLI and the API apply: no name used by two courses.
		if err := training.CheckCourseNames(all, course); err != nil && !errs.addErr(field(courseField(training.FieldOf(err), "title")), err) {
			return err
		}
	}
	if len(errs) == 0 {
		if err := p.store.PutCourses(ctx, []training.Course{course}); err != nil {
			if !errs.addErr(field(courseField(training.FieldOf(err), "title")), err) {
				return err
			}
		}
	}
	if len(errs) > 0 {
		return p.renderCourses(c, errs, &courseTyped{create: create, course: course, raw: raw})
	}
	p.audit(c, training.AuditCourseChanged, training.TargetCourse, course.ID, training.AuditOK, "")
	return p.redirectFlash(c, "/courses", "ok", "Saved “"+course.Title+"”. Every figure now uses it.")
}

func (p *webPages) pageCourseSave(c echo.Context) error { return p.saveCourse(c, c.Param("id"), false) }

func (p *webPages) pageCourseCreate(c echo.Context) error {
	return p.saveCourse(c, strings.TrimSpace(c.FormValue("id")), true)
}

// pageCourseRetire retires a course (kept with its completions, no longer
// counted, shown or reminded of) or brings it back.
func (p *webPages) pageCourseRetire(retire bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		all, err := p.store.Courses(ctx)
		if err != nil {
			return err
		}
		id := c.Param("id")
		for _, x := range all {
			if x.ID != id {
				continue
			}
			x.Retired = retire
			if !retire {
				// Its names may have been taken by another course meanwhile.
				if err := training.CheckCourseNames(all, x); err != nil {
					if msg, ok := userMessage(err); ok {
						return p.redirectFlash(c, "/courses#retired", "error", "“"+x.Title+"” cannot come back: "+msg)
					}
					return err
				}
			}
			if err := p.store.PutCourses(ctx, []training.Course{x}); err != nil {
				return err
			}
			if retire {
				return p.redirectFlash(c, "/courses", "ok", "Retired “"+x.Title+"”: it is no longer counted, shown or reminded of. Its completions are kept; you can bring it back below.")
			}
			return p.redirectFlash(c, "/courses", "ok", "“"+x.Title+"” is back: every figure counts it again.")
		}
		return training.NotFoundf("there is no course %q", id)
	}
}

// courseField is the course form's input for a domain error's field (the
// API's names), or def when the error names none.
func courseField(field, def string) string {
	switch field {
	case "":
		return def
	case "due_within_days":
		return "due"
	case "valid_for_months":
		return "valid"
	case "due_soon_days":
		return "soon"
	}
	return field
}
