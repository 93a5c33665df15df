package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/muster-police/muster/internal/courses"
	"github.com/muster-police/muster/server/web"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

type coursesView struct {
	Courses []training.Course
	// Audiences holds each course form's audience editor, by course ID
	// ("" for the new course's form).
	Audiences map[string]audienceEditor
	// Preview is what the course form named by Preview.Course.ID would
	// change, after "Check who this covers" or an unconfirmed large change.
	Preview *courses.Change
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

func (p *Pages) Courses(c echo.Context) error {
	return p.renderCourses(c, nil, nil, nil)
}

// renderCourses shows the courses page; typed, when set, is a course form
// with problems (errs), shown again as typed; preview, when set, is what
// that form's course would change.
func (p *Pages) renderCourses(c echo.Context, errs formErrors, typed *courseTyped, preview *courses.Change) error {
	ctx := c.Request().Context()
	cs, err := p.Store.Courses(ctx)
	if err != nil {
		return err
	}
	ds, err := p.Live.Dataset(ctx)
	if err != nil {
		return err
	}
	view := &coursesView{Courses: cs, New: training.Course{DueWithinDays: training.DefaultDueWithinDays, DueSoonDays: training.DefaultDueSoonDays},
		Typed: map[string]string{}, Audiences: map[string]audienceEditor{}, Preview: preview}
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
	facets := training.RosterFacets(ds)
	for _, x := range view.Courses {
		if !x.Retired {
			view.Audiences[x.ID] = newAudienceEditor(x.Audience, facets, ds, "-"+x.ID)
		}
	}
	view.Audiences[""] = newAudienceEditor(view.New.Audience, facets, ds, "-new")
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
		{"renew_within_days", "renew", "“Renew early” must be a whole number of days, 0 or more (0: a renewal always starts a new cycle).", &base.RenewWithinDays},
		{"escalate_after_days", "escalate", "“Escalate after” must be a whole number of days, 0 or more (0: never escalate).", &base.EscalateAfterDays},
		{"max_extension_days", "ext", "“Most extra time” must be a whole number of days, 0 or more (0: the default, 60).", &base.MaxExtensionDays},
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

func (p *Pages) saveCourse(c echo.Context, id string, create bool) error {
	ctx := c.Request().Context()
	all, err := p.Store.Courses(ctx)
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
	form, err := c.FormParams()
	if err != nil {
		return training.Invalidf("the form could not be read")
	}
	aud, err := audienceFromForm(form)
	if err != nil && !errs.addErr(field("audience"), err) {
		return err
	}
	course.Audience = aud
	typed := &courseTyped{create: create, course: course, raw: raw}
	var plan *courses.Plan
	if len(errs) == 0 {
		// The one "change the courses" use case the CLI and the API call:
		// names checked against the other courses, the change previewed.
		plan, err = courses.NewPlan(ctx, p.Store, []training.Course{course}, p.Today())
		if err != nil && !errs.addErr(field(courseField(training.FieldOf(err), "title")), err) {
			return err
		}
	}
	if len(errs) > 0 {
		return p.renderCourses(c, errs, typed, nil)
	}
	var change *courses.Change
	if len(plan.Changes) > 0 {
		change = &plan.Changes[0]
	}
	if c.FormValue("action") == "preview" {
		return p.renderCourses(c, nil, typed, change)
	}
	confirmed, err := web.BoolField(c, "confirm")
	if err != nil {
		return err
	}
	u, _ := web.CurrentUser(c)
	if err := courses.Apply(ctx, p.Store, plan, confirmed, courses.Actor{Name: u.Username, RequestID: web.RequestIDOf(c)}, p.Now()); err != nil {
		var nc *courses.ErrNeedsConfirmation
		if errors.As(err, &nc) {
			errs.add(field("confirm"), "This changes who must do “"+course.Title+"” for more than 20% of the people who must do it now. Check the figures below; if they are right, tick the box and save again.")
			return p.renderCourses(c, errs, typed, change)
		}
		if !errs.addErr(field("title"), err) {
			return err
		}
		return p.renderCourses(c, errs, typed, nil)
	}
	if change == nil {
		return p.redirectFlash(c, "/courses", "ok", "Nothing to change: “"+course.Title+"” is as it was.")
	}
	return p.redirectFlash(c, "/courses", "ok", "Saved “"+course.Title+"”. "+changeWords(*change)+" Every figure now uses it.")
}

// changeWords says in a sentence what a saved change did to who must do
// the course.
func changeWords(ch courses.Change) string {
	pv := ch.Preview
	if ch.Old == nil {
		return fmt.Sprintf("It is required of %s.", peopleCount(pv.RequiredAfter))
	}
	if pv.Joining == 0 && pv.Leaving == 0 {
		return fmt.Sprintf("Who must do it is unchanged (%s).", peopleCount(pv.RequiredAfter))
	}
	return fmt.Sprintf("%s became required and %s stopped being required; it is now required of %s.",
		peopleCount(pv.Joining), peopleCount(pv.Leaving), peopleCount(pv.RequiredAfter))
}

// peopleCount is "1 person" or "1,204 people".
func peopleCount(n int) string {
	if n == 1 {
		return "1 person"
	}
	// Counts as people in the UK write them (1,204).
	return message.NewPrinter(language.BritishEnglish).Sprintf("%d people", n)
}

func (p *Pages) CourseSave(c echo.Context) error { return p.saveCourse(c, c.Param("id"), false) }

func (p *Pages) CourseCreate(c echo.Context) error {
	return p.saveCourse(c, strings.TrimSpace(c.FormValue("id")), true)
}

// CourseRetire retires a course (kept with its completions, no longer
// counted, shown or reminded of) or brings it back.
func (p *Pages) CourseRetire(retire bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		all, err := p.Store.Courses(ctx)
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
			if err := p.Store.PutCourses(ctx, []training.Course{x}); err != nil {
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

// changePreviewWords says what a change would do, before it is made.
func changePreviewWords(ch courses.Change) string {
	pv := ch.Preview
	if ch.Old == nil {
		return fmt.Sprintf("This new course would be required of %s today; %s of them would be overdue at once.", peopleCount(pv.RequiredAfter), peopleCount(pv.OverdueAtOnce))
	}
	if pv.Joining == 0 && pv.Leaving == 0 && pv.OverdueAtOnce == 0 {
		return fmt.Sprintf("This would not change who must do it (%s) or make anyone overdue.", peopleCount(pv.RequiredAfter))
	}
	return fmt.Sprintf("%s would become required and %s would stop being required (%s now, %s after); %s would be overdue at once.",
		peopleCount(pv.Joining), peopleCount(pv.Leaving), peopleCount(pv.RequiredBefore), peopleCount(pv.RequiredAfter), peopleCount(pv.OverdueAtOnce))
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
	case "renew_within_days":
		return "renew"
	case "escalate_after_days":
		return "escalate"
	case "max_extension_days":
		return "ext"
	}
	return field
}
