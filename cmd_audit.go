package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/training"
)

// audit records an event done through the command line: the actor is
// env.by ("cli" when run on the server's machine), through the same store
// call the server uses. A failure to record is reported on stderr's log and
// does not undo the command.
func (e *cmdEnv) audit(ctx context.Context, action training.AuditAction, targetKind, targetID, outcome, detail string) {
	ev := training.NewAuditEvent(e.now(), e.by, action, targetKind, targetID, outcome, detail)
	if err := e.store.AppendAudit(context.WithoutCancel(ctx), ev); err != nil {
		e.log.Error("audit: event not recorded", "action", string(action), "err", err)
	}
}

// auditCmd searches the audit trail: newest first, every match.
func auditCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("audit", "[--actor NAME] [--action A] [--officer ID] [--from DATE] [--to DATE] [--format table|json|csv] [--out FILE]")
	var f training.AuditFilter
	fs.StringVar(&f.Actor, "actor", "", "only events by this user (or system, cli)")
	fs.StringVar(&f.Action, "action", "", "only this action (e.g. sign_in, officer_viewed, export)")
	fs.StringVar(&f.Officer, "officer", "", "only events about this officer `ID`")
	fs.StringVar(&f.From, "from", "", "from this date, YYYY-MM-DD (or an RFC 3339 time)")
	fs.StringVar(&f.To, "to", "", "up to and including this date, YYYY-MM-DD (or before an RFC 3339 time)")
	formatS := fs.String("format", "", "table, json or csv (default table, or from --out's extension)")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 0 {
		return usageError(stderr, "audit: unexpected argument %q (filters are flags: --actor, --action, --officer, --from, --to)", pos[0])
	}
	format, err := formatFor(*formatS, *out, "table", "table", "json", "csv")
	if err != nil {
		return usageError(stderr, "audit: %v", err)
	}
	q, err := f.Query()
	if err != nil {
		return usageError(stderr, "audit: %s", message(err))
	}
	events, err := training.AuditAll(ctx, env.store, q)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		switch format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(events)
		case "csv":
			return export.AuditCSV(w, events)
		default:
			rows := [][]string{{"WHEN", "WHO", "ACTION", "ABOUT", "OUTCOME", "DETAIL"}}
			for _, e := range events {
				rows = append(rows, []string{e.At.In(training.London).Format("2006-01-02 15:04:05"), e.Actor, string(e.Action),
					strings.TrimSpace(e.TargetKind + " " + e.TargetID), e.Outcome, e.Detail})
			}
			return writeColumns(w, rows)
		}
	})
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if format != "table" {
		env.audit(ctx, training.AuditAuditSearched, "", "", training.AuditOK, fmt.Sprintf("%s rows=%d", format, len(events)))
	}
	if *out != "" {
		fmt.Fprintf(stderr, "muster: wrote %d audit events to %s\n", len(events), *out)
	}
	return exitOK
}

// officersExport writes everything held about one officer (a subject
// access request) as one JSON or xlsx file; the export is audited.
func officersExport(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("officers export", "[--format json|xlsx] --out FILE ID")
	formatS := fs.String("format", "", "json or xlsx (default from --out's extension, else json)")
	out := fs.String("out", "", "write to `FILE` (required)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "officers export: name one officer ID")
	}
	if *out == "" {
		return usageError(stderr, "officers export: add --out FILE.json or --out FILE.xlsx (the file holds personal data; it is not printed)")
	}
	format, err := formatFor(*formatS, *out, "json", "json", "xlsx")
	if err != nil {
		return usageError(stderr, "officers export: %v", err)
	}
	sa, err := training.CollectSubjectAccess(ctx, env.store, pos[0], env.now())
	if err != nil {
		fail(stderr, fmt.Errorf("officer %s: %w", pos[0], err))
		return exitFail
	}
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		if format == "xlsx" {
			return export.SubjectAccessXLSX(w, sa)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sa)
	})
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	env.audit(ctx, training.AuditSubjectAccess, training.TargetOfficer, sa.OfficerID, training.AuditOK, format)
	fmt.Fprintf(stderr, "muster: wrote everything held about officer %s (%d completions, %d exemptions, %d emails, %d audit events) to %s\n",
		sa.OfficerID, len(sa.Completions), len(sa.Exemptions), len(sa.Emails), len(sa.Audit), *out)
	return exitOK
}

// auditImport records an import run from the command line with its
// counts (never the file's name, which may name a person).
func (e *cmdEnv) auditImport(ctx context.Context, rep *importers.Report, err error) {
	outcome, id, detail := training.AuditOK, "", ""
	if rep != nil {
		m := rep.Summary
		id = rep.ImportID
		detail = fmt.Sprintf("%s dry_run=%t added=%d updated=%d leavers=%d completions=%d exemptions=%d rows_rejected=%d",
			rep.Outcome, rep.DryRun, m.Added, m.Updated, m.Leavers, m.Completions, m.Exemptions, m.RowsRejected)
		if rep.Outcome == training.OutcomeRefused || rep.Outcome == training.OutcomeFailed {
			outcome = training.AuditFailed
		}
	}
	if err != nil {
		outcome = training.AuditFailed
	}
	e.audit(ctx, training.AuditUpload, training.TargetImport, id, outcome, detail)
}

// auditJobRun records a job run started from the command line.
func (e *cmdEnv) auditJobRun(ctx context.Context, run training.JobRun, err error) {
	outcome := training.AuditOK
	if err != nil || run.Error != "" {
		outcome = training.AuditFailed
	}
	e.audit(ctx, training.AuditJobRun, training.TargetJob, run.Job, outcome, fmt.Sprintf("by hand run=%s dry_run=%t", run.ID, run.DryRun))
}
