package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/courses"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// Courses lists every course.
func (s *Handler) Courses(c echo.Context) error {
	cs, err := s.Store.Courses(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(cs))
}

// CoursePlanJSON is a course change's preview on the wire.
type CoursePlanJSON struct {
	Changes           []training.CourseChange `json:"changes"`
	Unchanged         int                     `json:"unchanged"`
	NeedsConfirmation bool                    `json:"needs_confirmation"`
	Summary           string                  `json:"summary"`
}

func planJSON(p *courses.Plan) CoursePlanJSON {
	out := CoursePlanJSON{Changes: []training.CourseChange{}, Unchanged: p.Unchanged, NeedsConfirmation: p.NeedsConfirmation(), Summary: p.Summary()}
	for _, ch := range p.Changes {
		out.Changes = append(out.Changes, ch.Preview)
	}
	return out
}

// CoursesPreview says what PUT /courses with the same body would
// change (who becomes required, who stops, who is overdue at once, by
// unit), and whether it needs confirm=true. It writes nothing.
func (s *Handler) CoursesPreview(c echo.Context) error {
	var in []training.Course
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	p, err := courses.NewPlan(c.Request().Context(), s.Store, in, s.Today())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, planJSON(p))
}

// CoursesPut creates or replaces the courses in the body (a list), in
// one write; a change of more than 20% of a course's required people needs
// ?confirm=true (else 409 with the preview's summary).
func (s *Handler) CoursesPut(c echo.Context) error {
	var in []training.Course
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	if err := s.changeCourses(c, in); err != nil {
		return err
	}
	return s.Courses(c)
}

// CoursePut creates or replaces one course; the body's id, when given,
// must match the path. Confirmation as for PUT /courses.
func (s *Handler) CoursePut(c echo.Context) error {
	var in training.Course
	if err := web.BindJSON(c, &in); err != nil {
		return err
	}
	id := c.Param("id")
	if in.ID != "" && in.ID != id {
		return training.Invalidf("the course id in the body (%q) differs from the one in the path (%q)", in.ID, id)
	}
	in.ID = id
	list := []training.Course{in}
	if err := s.changeCourses(c, list); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list[0])
}

// changeCourses runs the one "change the courses" use case for the API.
func (s *Handler) changeCourses(c echo.Context, in []training.Course) error {
	confirm, err := web.ConfirmField(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := courses.NewPlan(ctx, s.Store, in, s.Today())
	if err != nil {
		return err
	}
	by := courses.Actor{Name: "anonymous", RequestID: web.RequestIDOf(c)}
	if u, ok := web.CurrentUser(c); ok {
		by.Name = u.Username
	}
	return courses.Apply(ctx, s.Store, p, confirm, by, s.Now())
}
