package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

type coursesView struct{ Courses []training.Course }

func (p *webPages) pageCourses(c echo.Context) error {
	cs, err := p.store.Courses(c.Request().Context())
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "courses", "Courses", &coursesView{Courses: cs})
}

// courseForm reads a course from the form into base (the stored course,
// or a new one).
func courseForm(c echo.Context, base training.Course) (training.Course, error) {
	base.Title = c.FormValue("title")
	base.URL = strings.TrimSpace(c.FormValue("url"))
	base.Aliases = strings.Split(strings.ReplaceAll(c.FormValue("aliases"), "\r", ""), "\n")
	var err error
	base.Deadline = training.Date{}
	if v := strings.TrimSpace(c.FormValue("deadline")); v != "" {
		if base.Deadline, err = training.ParseDate(v); err != nil {
			return base, fmt.Errorf("%w: the deadline must be a date", training.ErrInvalid)
		}
	}
	for _, f := range []struct {
		name, label string
		dst         *int
	}{
		{"due_within_days", "due within (days)", &base.DueWithinDays},
		{"valid_for_months", "valid for (months)", &base.ValidForMonths},
		{"due_soon_days", "due soon (days)", &base.DueSoonDays},
	} {
		v := strings.TrimSpace(c.FormValue(f.name))
		if v == "" {
			*f.dst = 0
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return base, fmt.Errorf("%w: %s must be a whole number, 0 or more", training.ErrInvalid, f.label)
		}
		*f.dst = n
	}
	if base.URL != "" && !strings.HasPrefix(base.URL, "https://") && !strings.HasPrefix(base.URL, "http://") {
		return base, fmt.Errorf("%w: the course URL must start with https://", training.ErrInvalid)
	}
	base = base.Normalize()
	return base, base.Validate()
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
	switch {
	case create && found:
		return p.redirectFlash(c, "/courses", "error", fmt.Sprintf("A course with id %q already exists.", id))
	case !create && !found:
		return fmt.Errorf("%w: there is no course %q", training.ErrNotFound, id)
	}
	course, err := courseForm(c, base)
	if err == nil {
		err = p.store.PutCourses(ctx, []training.Course{course})
	}
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/courses", "error", msg)
		}
		return err
	}
	return p.redirectFlash(c, "/courses", "ok", "Saved “"+course.Title+"”. Every figure now uses it.")
}

func (p *webPages) pageCourseSave(c echo.Context) error { return p.saveCourse(c, c.Param("id"), false) }

func (p *webPages) pageCourseCreate(c echo.Context) error {
	return p.saveCourse(c, strings.TrimSpace(c.FormValue("id")), true)
}
