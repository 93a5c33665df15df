package jobs

import (
	"context"
	"fmt"

	"github.com/muster-police/muster/training"
)

// JobRetention applies the retention policy (README, "Retention"): it
// anonymises leavers whose LeftOn is older than the policy's period and
// deletes audit events older than theirs, and records what it removed
// (counts only) in the audit trail.
const JobRetention = "retention"

// DefaultRetentionSchedule runs the retention job daily at 01:15 London
// time, after the snapshot has counted the day.
const DefaultRetentionSchedule = "15 1 * * *"

// retention is the policy in force: the configured one, or the defaults
// when none was set.
func (s *Scheduler) retention() training.RetentionPolicy {
	if s.cfg.DataRetention == nil {
		return training.DefaultRetention()
	}
	return *s.cfg.DataRetention
}

func (s *Scheduler) runRetention(ctx context.Context, r *runState) error {
	p := s.retention()
	now := s.clock()
	var n training.AnonymiseCounts
	if cutoff := p.LeaverCutoff(training.DateOf(now)); !cutoff.IsZero() {
		var due []string
		if err := s.rosterForRun().ReadRoster(ctx, func(ds *training.Dataset) error {
			due = training.LeaversDue(ds, cutoff)
			return nil
		}); err != nil {
			return err
		}
		r.count("leavers_due", len(due))
		if !r.dryRun && len(due) > 0 {
			pseudonyms := make(map[string]string, len(due))
			for _, id := range due {
				pseudonyms[id] = training.NewPseudonym()
			}
			// Their requests go first (a reason may say why someone was
			// off sick; a certificate names them): should anonymising
			// fail, the next run finds the same leavers due.
			reqs, err := s.store.DeleteRequestsOf(ctx, due)
			if err != nil {
				return fmt.Errorf("deleting leavers' requests: %w", err)
			}
			r.count("requests_deleted", reqs)
			if n, err = s.store.AnonymiseOfficers(ctx, pseudonyms); err != nil {
				return fmt.Errorf("anonymising leavers: %w", err)
			}
		}
	}
	r.count("officers_anonymised", n.Officers)
	r.count("completions_anonymised", n.Completions)
	r.count("exemptions_anonymised", n.Exemptions)
	pruned := 0
	if before := p.AuditCutoff(now); !before.IsZero() && !r.dryRun {
		var err error
		if pruned, err = s.store.PruneAudit(ctx, before); err != nil {
			return fmt.Errorf("pruning the audit trail: %w", err)
		}
	}
	r.count("audit_events_deleted", pruned)
	reports := 0
	if before := p.ImportReportCutoff(now); !before.IsZero() {
		imps, err := s.store.Imports(ctx, 0)
		if err != nil {
			return err
		}
		for _, imp := range imps {
			if len(imp.Report) == 0 || !imp.At.Before(before) {
				continue
			}
			reports++
			if r.dryRun {
				continue
			}
			imp.Report = nil
			if err := s.store.PutImport(ctx, imp); err != nil {
				return fmt.Errorf("dropping an old import report: %w", err)
			}
		}
	}
	r.count("import_reports_deleted", reports)
	if r.dryRun {
		return nil
	}
	e := training.NewAuditEvent(now, training.ActorSystem, training.AuditRetention, training.TargetJob, JobRetention, training.AuditOK,
		fmt.Sprintf("leavers_months=%d audit_months=%d import_reports_months=%d officers=%d completions=%d exemptions=%d audit_events=%d import_reports=%d",
			p.LeaversMonths, p.AuditMonths, p.ImportReportsMonths, n.Officers, n.Completions, n.Exemptions, pruned, reports))
	return s.store.AppendAudit(context.WithoutCancel(ctx), e)
}

// auditScheduled records a scheduled run in the audit trail (runs by hand
// are recorded by whoever started them). The sender runs every minute, so
// its runs are recorded only when it attempted something.
func (s *Scheduler) auditScheduled(ctx context.Context, run training.JobRun, err error) {
	if run.ID == "" || err == errLocked {
		return
	}
	busy := false
	for _, v := range run.Counts {
		busy = busy || v != 0
	}
	if run.Job == JobSender && !busy && err == nil && run.Error == "" {
		return
	}
	outcome := training.AuditOK
	if err != nil || run.Error != "" {
		outcome = training.AuditFailed
	}
	e := training.NewAuditEvent(s.clock(), training.ActorSystem, training.AuditJobRun, training.TargetJob, run.Job, outcome,
		fmt.Sprintf("scheduled run=%s errors=%d", run.ID, len(run.Errors)))
	if aerr := s.store.AppendAudit(context.WithoutCancel(ctx), e); aerr != nil {
		s.log.Error("jobs: audit event not recorded", "job", run.Job, "err", aerr)
	}
}
