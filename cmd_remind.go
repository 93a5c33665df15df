package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

// remindCmd lists who a reminder run would email, with what and why; without
// --dry-run it then runs it: the emails are queued in the outbox and sent.
func remindCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("remind", "[--dry-run] [--as-of DATE] [--format table|json]")
	dry := fs.Bool("dry-run", false, "only list who would get what, and why; send nothing")
	asOfS := fs.String("as-of", "", "plan as of this date, YYYY-MM-DD (default today)")
	format := fs.String("format", "table", "table or json")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "remind: unexpected argument %q", pos[0])
	}
	if *format != "table" && *format != "json" {
		return usageError(stderr, "remind: --format %q must be table or json", *format)
	}
	asOf, err := env.asOf(*asOfS)
	if err != nil {
		return usageError(stderr, "remind: %v", err)
	}
	secret, err := storeSecret(ctx, &env.cfg, env.store)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	sched, err := newScheduler(&env.cfg, env.store, env.log, env.now, secret)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	plan, err := sched.PlanReminders(ctx, asOf)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(plan)
	} else {
		err = planText(stdout, plan)
	}
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if *dry {
		return exitOK
	}
	failed := 0
	for _, job := range []string{jobs.JobReminders, jobs.JobSender} {
		run, err := sched.RunNow(ctx, job, false, asOf)
		env.auditJobRun(ctx, run, err)
		if err != nil {
			fail(stderr, fmt.Errorf("%s job: %w", job, err))
			return exitFail
		}
		fmt.Fprintf(stderr, "muster: %s job %s: %s\n", job, run.ID, strings.Join(jobs.RunSummary(run, env.cfg.SMTP.Host == ""), " "))
		if run.Error != "" {
			fail(stderr, fmt.Errorf("%s job: %s", job, run.Error))
			return exitFail
		}
		failed += run.Counts["failed"]
	}
	if failed > 0 {
		// A cron wrapper must see it: the relay refused these for good.
		fmt.Fprintf(stderr, "muster: %d message(s) failed permanently (the relay refused them); see `muster outbox --state failed`, and re-queue them once fixed\n", failed)
		return exitFail
	}
	if env.cfg.SMTP.Host == "" {
		fmt.Fprintf(stderr, "muster: no SMTP relay is set, so the emails were written as .eml files to %s\n", env.cfg.mailDir())
	}
	return exitOK
}

// planText writes a plan for people: one line per course reminder, then
// who cannot be reminded.
func planText(w io.Writer, p *jobs.Plan) error {
	c := p.Counts
	var b strings.Builder
	fmt.Fprintf(&b, "Reminders as of %s: %d officers to email about %d courses; %d cannot be reminded (%d without an email, %d with an invalid one); %d already sent.\n",
		p.AsOf, c.ToRemind, c.Items, c.CannotRemind, c.NoEmail, c.InvalidEmail, c.AlreadySent)
	if len(p.Reminders) > 0 {
		rows := [][]string{{"ID", "NAME", "EMAIL", "UNIT", "COURSE", "STATUS", "DUE", "STAGE", "WHY"}}
		for _, r := range p.Reminders {
			for _, it := range r.Items {
				rows = append(rows, []string{orDash(r.DisplayID), r.Name, r.Email, r.Unit, it.Course, it.Words, it.Due.String(), it.Stage, it.Why})
			}
		}
		b.WriteString("\n")
		_ = writeColumns(&b, rows)
	}
	if len(p.CannotRemind) > 0 {
		b.WriteString("\nCannot be reminded:\n")
		rows := [][]string{{"ID", "NAME", "UNIT", "REASON", "COURSES"}}
		for _, u := range p.CannotRemind {
			var courses []string
			for _, it := range u.Items {
				courses = append(courses, it.Course+" ("+statusWords(it.Status)+")")
			}
			rows = append(rows, []string{orDash(u.DisplayID), u.Name, u.Unit, u.Reason, strings.Join(courses, ", ")})
		}
		_ = writeColumns(&b, rows)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusWords(s training.Status) string { return strings.ReplaceAll(string(s), "_", " ") }
