package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// apiCourses lists every course.
func (s *Server) apiCourses(c echo.Context) error {
	cs, err := s.store.Courses(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(cs))
}

// apiCoursesPut creates or replaces the courses in the body (a list), in one write.
func (s *Server) apiCoursesPut(c echo.Context) error {
	var in []training.Course
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if len(in) == 0 {
		return training.Invalidf("send a list of at least one course")
	}
	seen := map[string]bool{}
	for i := range in {
		in[i] = in[i].Normalize()
		if err := in[i].Validate(); err != nil {
			return err
		}
		if seen[in[i].ID] {
			return training.Invalidf("course %q appears twice", in[i].ID)
		}
		seen[in[i].ID] = true
	}
	ctx := c.Request().Context()
	if err := s.checkCourseNames(ctx, in...); err != nil {
		return err
	}
	if err := s.store.PutCourses(ctx, in); err != nil {
		return err
	}
	s.audit(c, training.AuditCourseChanged, training.TargetCourse, "", training.AuditOK, fmt.Sprintf("%d courses put", len(in)))
	return s.apiCourses(c)
}

// apiCoursePut creates or replaces one course; the body's id, when given,
// must match the path.
func (s *Server) apiCoursePut(c echo.Context) error {
	var in training.Course
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	id := c.Param("id")
	if in.ID != "" && in.ID != id {
		return training.Invalidf("the course id in the body (%q) differs from the one in the path (%q)", in.ID, id)
	}
	in.ID = id
	in = in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	if err := s.checkCourseNames(c.Request().Context(), in); err != nil {
		return err
	}
	if err := s.store.PutCourses(c.Request().Context(), []training.Course{in}); err != nil {
		return err
	}
	s.audit(c, training.AuditCourseChanged, training.TargetCourse, in.ID, training.AuditOK, "")
	return c.JSON(http.StatusOK, in)
}

// checkCourseNames applies training.CheckCourseNames (the rule the CLI and
// the web pages use) against the stored courses.
func (s *Server) checkCourseNames(ctx context.Context, changed ...training.Course) error {
	existing, err := s.store.Courses(ctx)
	if err != nil {
		return err
	}
	return training.CheckCourseNames(existing, changed...)
}
