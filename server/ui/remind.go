package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// RemindPageSize bounds the officers listed per page of the reminder dry
// run: a force can have 100,000 reminders, which no browser should render
// at once (the CSV has them all).
const RemindPageSize = 500

// remindView is the reminder dry run page: who would get what and why.
type remindView struct {
	AsOf         training.Date
	Counts       jobs.PlanCounts
	Reminders    []jobs.Reminder
	Pager        pagerView
	CannotRemind []jobs.Unreachable
	// MoreCannot is how many cannot-remind officers are left off the page.
	MoreCannot int
	ExportCSV  string
}

// Remind shows, sending nothing, who a reminder run on ?as_of would
// email, each course line with its stage and why, and who cannot be
// reminded and why; ?page pages through the officers to remind.
func (p *Pages) Remind(c echo.Context) error {
	page := 1
	if v := c.QueryParam("page"); v != "" {
		var err error
		if page, err = strconv.Atoi(v); err != nil || page < 1 {
			return training.Invalidf("the page must be a positive whole number")
		}
	}
	plan, asOf, err := p.remindPlan(c)
	if err != nil {
		return err
	}
	q := url.Values{"as_of": {asOf.String()}}
	view := &remindView{AsOf: asOf, Counts: plan.Counts, ExportCSV: "/jobs/remind.csv?" + q.Encode()}
	total := len(plan.Reminders)
	from := (page - 1) * RemindPageSize
	if from >= total && page > 1 {
		return training.NotFoundf("page %d (there are %d officers to remind)", page, total)
	}
	to := min(from+RemindPageSize, total)
	view.Reminders = plan.Reminders[from:to]
	view.Pager = pagerView{From: from + 1, To: to, Total: total}
	if from > 0 {
		q.Set("page", strconv.Itoa(page-1))
		view.Pager.Prev = "/jobs/remind?" + q.Encode()
	}
	if to < total {
		q.Set("page", strconv.Itoa(page+1))
		view.Pager.Next = "/jobs/remind?" + q.Encode()
	}
	view.CannotRemind = plan.CannotRemind
	if n := len(view.CannotRemind); n > RemindPageSize {
		view.CannotRemind, view.MoreCannot = view.CannotRemind[:RemindPageSize], n-RemindPageSize
	}
	return p.render(c, http.StatusOK, "remind", "Who would get what", view)
}

// RemindCSV exports the whole dry run, one row per course line, both
// the officers to remind and those who cannot be reminded.
func (p *Pages) RemindCSV(c echo.Context) error {
	plan, asOf, err := p.remindPlan(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="reminders-%s.csv"`, asOf))
	c.Response().WriteHeader(http.StatusOK)
	w := export.NewCSVWriter(c.Response())
	row := func(rec ...string) {
		_ = w.Write(rec) // a write error shows in w.Flush below
	}
	row("List", "Officer ID", "Name", "Unit", "Email", "Reason", "Course", "Status", "Due", "Stage", "Why")
	for _, r := range plan.Reminders {
		for _, it := range r.Items {
			row("remind", r.DisplayID, r.Name, r.Unit, r.Email, "", it.Title, it.Words, it.Due.String(), it.Stage, it.Why)
		}
	}
	for _, r := range plan.CannotRemind {
		for _, it := range r.Items {
			row("cannot remind", r.DisplayID, r.Name, r.Unit, "", r.Reason, it.Title, it.Words, it.Due.String(), it.Stage, it.Why)
		}
	}
	return w.Flush()
}

// remindPlan asks the scheduler for the plan as of ?as_of (default today).
func (p *Pages) remindPlan(c echo.Context) (*jobs.Plan, training.Date, error) {
	if p.Cfg.Jobs == nil {
		return nil, training.Date{}, web.ErrJobsOff
	}
	asOf, err := p.AsOfParam(c)
	if err != nil {
		return nil, asOf, err
	}
	plan, err := p.Cfg.Jobs.PlanReminders(c.Request().Context(), asOf)
	if err != nil {
		return nil, asOf, err
	}
	if plan == nil {
		return nil, asOf, fmt.Errorf("server: the scheduler returned no reminder plan")
	}
	return plan, asOf, nil
}
