package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// jobsResponse lists the jobs the scheduler knows.
type jobsResponse struct {
	Enabled bool     `json:"enabled"`
	Jobs    []string `json:"jobs"`
}

func (s *Handler) Jobs(c echo.Context) error {
	resp := jobsResponse{Jobs: []string{}}
	if s.Cfg.Jobs != nil {
		resp.Enabled = true
		resp.Jobs = append(resp.Jobs, s.Cfg.Jobs.Names()...)
	}
	return c.JSON(http.StatusOK, resp)
}

// JobRuns lists job runs, newest first (?job to filter, ?limit, default 100).
func (s *Handler) JobRuns(c echo.Context) error {
	_, limit, err := paging(c, 100)
	if err != nil {
		return err
	}
	runs, err := s.Store.JobRuns(c.Request().Context(), c.QueryParam("job"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(runs))
}

// JobRun runs a job now (?dry_run=true plans without sending, ?as_of).
func (s *Handler) JobRun(c echo.Context) error {
	if s.Cfg.Jobs == nil {
		return web.ErrJobsOff
	}
	name := c.Param("name")
	if !slices.Contains(s.Cfg.Jobs.Names(), name) {
		return training.NotFoundf("there is no job named %q", name)
	}
	dry := false
	if v := c.QueryParam("dry_run"); v != "" {
		var err error
		if dry, err = strconv.ParseBool(v); err != nil {
			return training.Invalidf("the dry_run parameter must be true or false")
		}
	}
	asOf, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	run, err := s.Cfg.Jobs.RunNow(c.Request().Context(), name, dry, asOf)
	result := "ok"
	if err != nil || run.Error != "" {
		result = "error"
	}
	s.Metrics.Jobs.WithLabelValues(name, result).Inc()
	s.Audit(c, training.AuditJobRun, training.TargetJob, name, map[string]string{"ok": training.AuditOK, "error": training.AuditFailed}[result], fmt.Sprintf("by hand dry_run=%t as_of=%s", dry, asOf))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}

// Outbox lists outbox messages, newest first (?state=queued|sent|failed, ?limit).
func (s *Handler) Outbox(c echo.Context) error {
	state := training.MessageState(c.QueryParam("state"))
	switch state {
	case "", training.MessageQueued, training.MessageSent, training.MessageFailed:
	default:
		return training.Invalidf("the state parameter must be queued, sent or failed")
	}
	_, limit, err := paging(c, 200)
	if err != nil {
		return err
	}
	msgs, err := s.Store.Messages(c.Request().Context(), state, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(msgs))
}

// Remind shows who would get which reminder as of ?as_of, sending nothing.
func (s *Handler) Remind(c echo.Context) error {
	if s.Cfg.Jobs == nil {
		return web.ErrJobsOff
	}
	asOf, err := s.AsOfParam(c)
	if err != nil {
		return err
	}
	plan, err := s.Cfg.Jobs.PlanReminders(c.Request().Context(), asOf)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, plan)
}
