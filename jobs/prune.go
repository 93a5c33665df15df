package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Retention says how long the prune job keeps what piles up. Zero
// fields take DefaultRetention's; a negative one keeps for ever.
type Retention struct {
	// MailBodies: the text and HTML of sent messages, and the .eml
	// files of the embedded drop, after sending.
	MailBodies time.Duration `json:"mail_bodies"`
	// Mail: sent and failed messages (who was told what, when).
	Mail time.Duration `json:"mail"`
	// JobRuns: job run records.
	JobRuns time.Duration `json:"job_runs"`
	// LedgerGrace: a ledger key whose reminder stage has been overtaken
	// by a later one is kept this much longer, against a policy change.
	LedgerGrace time.Duration `json:"ledger_grace"`
}

// DefaultRetention: bodies 30 days (long enough to answer "what did the
// email say?" after a query, and most of the bytes), messages 90 days
// (who was told what, when, for a quarter; the compliance record itself
// is the completions, never pruned), runs 90 days, ledger keys 35 days
// after their stage was overtaken (README, "Pruning").
func DefaultRetention() Retention {
	return Retention{MailBodies: 30 * 24 * time.Hour, Mail: 90 * 24 * time.Hour, JobRuns: 90 * 24 * time.Hour,
		LedgerGrace: 35 * 24 * time.Hour}
}

func (r Retention) withDefaults() Retention {
	d := DefaultRetention()
	for _, p := range []struct{ v, d *time.Duration }{{&r.MailBodies, &d.MailBodies}, {&r.Mail, &d.Mail}, {&r.JobRuns, &d.JobRuns}, {&r.LedgerGrace, &d.LedgerGrace}} {
		if *p.v == 0 {
			*p.v = *p.d
		}
	}
	return r
}

// cutoff is now-keep, or zero (keep all) for a negative keep.
func cutoff(now time.Time, keep time.Duration) time.Time {
	if keep < 0 {
		return time.Time{}
	}
	return now.Add(-keep)
}

// pruner is a mailer that keeps copies it can prune (the .eml drop).
type pruner interface {
	Prune(before time.Time) (int, error)
}

// runPrune removes mail bodies, old messages, ledger keys that can no
// longer matter, and old job runs.
func (s *Scheduler) runPrune(ctx context.Context, st *runState) error {
	if st.dryRun {
		return nil
	}
	now := s.clock()
	r := s.cfg.Retention.withDefaults()
	today := training.DateOf(now)
	pruned, err := s.store.PruneMail(ctx, training.MailPrune{
		BodiesBefore:   cutoff(now, r.MailBodies),
		MessagesBefore: cutoff(now, r.Mail),
		LedgerDone:     func(key string) bool { return s.policy.ledgerDone(key, today, r.LedgerGrace) },
	})
	st.count("bodies_pruned", pruned.Bodies)
	st.count("messages_pruned", pruned.Messages)
	st.count("ledger_keys_pruned", pruned.LedgerKeys)
	if err != nil {
		return fmt.Errorf("pruning the outbox: %w", err)
	}
	if p, ok := s.cfg.Mailer.(pruner); ok && r.MailBodies >= 0 {
		n, err := p.Prune(cutoff(now, r.MailBodies))
		st.count("mail_files_pruned", n)
		if err != nil {
			st.fail("pruning mail files: %v", err)
		}
	}
	if r.JobRuns >= 0 {
		n, err := s.store.PruneJobRuns(ctx, cutoff(now, r.JobRuns))
		st.count("job_runs_pruned", n)
		if err != nil {
			return fmt.Errorf("pruning job runs: %w", err)
		}
	}
	return nil
}

// ledgerDone reports whether a ledger key can never be planned again,
// with grace to spare:
//   - a reminder key, once its stage is no longer the latest for its due
//     date (StageAt only moves forward in time, and a run sends only the
//     latest stage) and the stage that overtook it began more than grace ago;
//   - a digest key, once its ISO week ended more than grace ago.
//
// Anything else is kept: a ledger key dropped too early is a second email.
func (p Policy) ledgerDone(key string, today training.Date, grace time.Duration) bool {
	graceDays := int(grace / (24 * time.Hour))
	parts := strings.Split(key, "|")
	switch {
	case len(parts) >= 5 && parts[0] == "remind":
		due, err := training.ParseDate(parts[len(parts)-1])
		if err != nil {
			return false
		}
		stage := parts[len(parts)-2]
		latest, ok := p.StageAt(due, today.AddDays(-graceDays))
		return ok && latest.Name != stage && stageRank(latest.Name) > stageRank(stage)
	case len(parts) >= 4 && parts[0] == "digest":
		week := parts[len(parts)-1]
		return week < ISOWeek(today.AddDays(-graceDays-7))
	}
	return false
}

// stageRank orders stage names in time: before-30 < before-7 < due <
// overdue-1 < overdue-2 ... (0 for a name not understood).
func stageRank(name string) int {
	var n int
	switch {
	case strings.HasPrefix(name, "before-"):
		if _, err := fmt.Sscanf(name, "before-%d", &n); err == nil && n < 100000 {
			return 100000 - n
		}
	case name == "due":
		return 100000
	case strings.HasPrefix(name, "overdue-"):
		if _, err := fmt.Sscanf(name, "overdue-%d", &n); err == nil {
			return 100000 + n
		}
	}
	return 0
}
