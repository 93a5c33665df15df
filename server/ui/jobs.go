package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// jobsPageLimit bounds the runs and messages listed.
const jobsPageLimit = 100

type stateLink struct {
	Value, Label string
	Current      bool
}

type templatePreview struct{ Subject, Text, HTML string }

type templateView struct {
	Name, Text string
	Open       bool
	Preview    *templatePreview
}

type jobsView struct {
	JobsOn bool
	// Drop is the folder mail is written to, "" when there is a relay.
	Drop string
	// Summaries are the runs' counts in sentences (jobs.RunSummary), by run ID.
	Summaries map[string][]string
	Names     []string
	AsOf      training.Date
	Runs      []training.JobRun
	States    []stateLink
	Messages  []training.Message
	Templates []templateView
	// Relay is the mail relay's state; Outbox the counts by state.
	Relay                training.RelayStatus
	Outbox               training.OutboxStats
	Queued, Sent, Failed int
}

func (p *Pages) Jobs(c echo.Context) error { return p.renderJobs(c, "", "", nil) }

// renderJobs shows the jobs page; open/text/preview show one template
// being edited (a preview is rendered in the POST's answer so the edited
// text is not lost).
func (p *Pages) renderJobs(c echo.Context, open, text string, preview *templatePreview) error {
	ctx := c.Request().Context()
	view := &jobsView{JobsOn: p.Cfg.Jobs != nil, Drop: p.Cfg.MailDrop, AsOf: p.Today(), Summaries: map[string][]string{}}
	state := training.MessageState(c.QueryParam("state"))
	switch state {
	case "", training.MessageQueued, training.MessageSent, training.MessageFailed:
	default:
		return training.Invalidf("state must be queued, sent or failed")
	}
	for _, s := range []stateLink{{"", "All", false}, {"queued", "Queued", false}, {"sent", "Sent", false}, {"failed", "Failed", false}} {
		s.Current = s.Value == string(state)
		view.States = append(view.States, s)
	}
	var err error
	if view.Runs, err = p.Store.JobRuns(ctx, "", jobsPageLimit); err != nil {
		return err
	}
	for _, r := range view.Runs {
		view.Summaries[r.ID] = jobs.RunSummary(r, view.Drop != "")
	}
	if view.Messages, err = p.Store.Messages(ctx, state, jobsPageLimit); err != nil {
		return err
	}
	if view.Relay, err = training.ReadRelayStatus(ctx, p.Store); err != nil {
		return err
	}
	if view.Outbox, err = p.Store.OutboxStats(ctx); err != nil {
		return err
	}
	view.Queued, view.Sent, view.Failed = view.Outbox.ByState[training.MessageQueued],
		view.Outbox.ByState[training.MessageSent], view.Outbox.ByState[training.MessageFailed]
	if p.Cfg.Jobs != nil {
		view.Names = p.Cfg.Jobs.Names()
		tpls, err := p.Cfg.Jobs.Templates(ctx)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(tpls))
		for n := range tpls {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			tv := templateView{Name: n, Text: tpls[n]}
			if n == open {
				tv.Open, tv.Text, tv.Preview = true, text, preview
			}
			view.Templates = append(view.Templates, tv)
		}
	}
	return p.render(c, http.StatusOK, "jobs", "Jobs and mail", view)
}

func (p *Pages) JobRun(c echo.Context) error {
	if p.Cfg.Jobs == nil {
		return web.ErrJobsOff
	}
	name := c.FormValue("job")
	if !slices.Contains(p.Cfg.Jobs.Names(), name) {
		return p.redirectFlash(c, "/jobs", "error", fmt.Sprintf("There is no job named %q.", name))
	}
	asOf := p.Today()
	if v := strings.TrimSpace(c.FormValue("as_of")); v != "" {
		d, err := training.ParseDate(v)
		if err != nil {
			return p.redirectFlash(c, "/jobs", "error", "The as-of date must be a date.")
		}
		asOf = d
	}
	dry := c.FormValue("dry_run") == "1"
	if !dry && c.FormValue("confirmed") != "1" {
		// A real run sends mail: ask first, saying how many people.
		return c.Redirect(http.StatusSeeOther, "/jobs/run?job="+url.QueryEscape(name)+"&as_of="+asOf.String())
	}
	run, err := p.Cfg.Jobs.RunNow(c.Request().Context(), name, dry, asOf)
	result := "ok"
	if err != nil || run.Error != "" {
		result = "error"
	}
	p.Metrics.Jobs.WithLabelValues(name, result).Inc()
	p.Audit(c, training.AuditJobRun, training.TargetJob, name, map[string]string{"ok": training.AuditOK, "error": training.AuditFailed}[result], fmt.Sprintf("by hand dry_run=%t as_of=%s", dry, asOf))
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/jobs", "error", msg)
		}
		return err
	}
	kind := "Ran"
	if dry {
		kind = "Dry run of"
	}
	if run.Error != "" {
		return p.redirectFlash(c, "/jobs#runs", "error", fmt.Sprintf("%s %s failed: %s", kind, name, run.Error))
	}
	return p.redirectFlash(c, "/jobs#runs", "ok", fmt.Sprintf("%s %s: %s", kind, name, strings.Join(jobs.RunSummary(run, p.Cfg.MailDrop != ""), " ")))
}

// jobRunView is the "are you sure" page before a job runs for real.
type jobRunView struct {
	Job  string
	AsOf training.Date
	// Reminders only: what the run would send.
	Reminders            bool
	ToRemind, Items      int
	CannotRemind, Queued int
}

// JobRunConfirm asks before running a job for real; for reminders it
// says how many people would be emailed (from the same plan the run uses).
func (p *Pages) JobRunConfirm(c echo.Context) error {
	if p.Cfg.Jobs == nil {
		return web.ErrJobsOff
	}
	name := c.QueryParam("job")
	if !slices.Contains(p.Cfg.Jobs.Names(), name) {
		return training.NotFoundf("there is no job named %q", name)
	}
	v := jobRunView{Job: name}
	if name == "reminders" {
		plan, asOf, err := p.remindPlan(c)
		if err != nil {
			return err
		}
		v.AsOf, v.Reminders = asOf, true
		v.ToRemind, v.Items, v.CannotRemind = plan.Counts.ToRemind, plan.Counts.Items, plan.Counts.CannotRemind
	} else {
		asOf, err := p.AsOfParam(c)
		if err != nil {
			return err
		}
		v.AsOf = asOf
	}
	return p.render(c, http.StatusOK, "jobrun", "Run "+name+" now?", v)
}

func (p *Pages) Message(c echo.Context) error {
	m, err := p.Store.Message(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "message", m.Subject, m)
}

// Template previews or saves an email template.
func (p *Pages) Template(c echo.Context) error {
	if p.Cfg.Jobs == nil {
		return web.ErrJobsOff
	}
	ctx := c.Request().Context()
	name := c.Param("name")
	text := strings.ReplaceAll(c.FormValue("text"), "\r\n", "\n")
	if c.FormValue("action") == "save" {
		if err := p.Cfg.Jobs.SetTemplate(ctx, name, text); err != nil {
			if msg, ok := userMessage(err); ok {
				p.addFlash(c, "error", msg)
				return p.renderJobs(c, name, text, nil)
			}
			return err
		}
		return p.redirectFlash(c, "/jobs#templates", "ok", "Saved the template "+name+".")
	}
	subject, textBody, htmlBody, err := p.Cfg.Jobs.PreviewTemplate(ctx, name, text)
	if err != nil {
		if msg, ok := userMessage(err); ok {
			p.addFlash(c, "error", msg)
			return p.renderJobs(c, name, text, nil)
		}
		return err
	}
	return p.renderJobs(c, name, text, &templatePreview{Subject: subject, Text: textBody, HTML: htmlBody})
}

// Requeue puts one failed message back in the queue.
func (p *Pages) Requeue(c echo.Context) error {
	id := c.Param("id")
	err := p.Store.UpdateMessage(c.Request().Context(), id, func(m *training.Message) error { return m.Requeue(p.Now()) })
	if err != nil {
		if msg, ok := userMessage(err); ok {
			return p.redirectFlash(c, "/jobs#outbox", "error", msg)
		}
		return err
	}
	p.Audit(c, training.AuditMailRequeued, training.TargetMessage, id, training.AuditOK, "one message")
	return p.redirectFlash(c, "/jobs?state=queued#outbox", "ok", "Re-queued: the sender tries it on its next run (within a minute).")
}

// RequeueFailed puts every failed message back in the queue.
func (p *Pages) RequeueFailed(c echo.Context) error {
	n, err := web.RequeueFailed(c, p.Store, p.Now)
	if err != nil {
		return err
	}
	p.Audit(c, training.AuditMailRequeued, training.TargetMessage, "", training.AuditOK, fmt.Sprintf("every failed message: %d", n))
	return p.redirectFlash(c, "/jobs?state=queued#outbox", "ok", fmt.Sprintf("Re-queued %d failed message(s): the sender tries them on its next run (within a minute).", n))
}
