package training

import (
	"context"
	"sort"
	"strings"
	"time"
)

// Retention of personal data (UK GDPR Art. 5(1)(e), storage limitation):
// what Muster keeps, for how long. The defaults are the README's; each
// force's data protection officer sets its own.

// RetentionPolicy says how long personal data is kept.
type RetentionPolicy struct {
	// LeaversMonths: a leaver's name, email, rank, line manager and
	// exemption reasons are removed this many months after LeftOn, and
	// their ID is replaced by a pseudonym (0: never).
	LeaversMonths int
	// AuditMonths: audit events older than this are deleted (0: never).
	AuditMonths int
	// ImportReportsMonths: the row-by-row report kept with each import
	// (names, IDs, units of the rows) is dropped this many months after
	// the import; the log entry and its counts stay (0: never).
	ImportReportsMonths int
}

// Default retention periods (README, "Retention").
const (
	DefaultRetainLeaversMonths       = 24
	DefaultRetainAuditMonths         = 24
	DefaultRetainImportReportsMonths = 24
)

// DefaultRetention is the policy when nothing is configured.
func DefaultRetention() RetentionPolicy {
	return RetentionPolicy{LeaversMonths: DefaultRetainLeaversMonths, AuditMonths: DefaultRetainAuditMonths,
		ImportReportsMonths: DefaultRetainImportReportsMonths}
}

// Validate checks the policy's periods.
func (p RetentionPolicy) Validate() error {
	switch {
	case p.LeaversMonths < 0 || p.LeaversMonths > 1200:
		return Invalidf("leavers' retention must be 0 (keep) to 1200 months, not %d", p.LeaversMonths)
	case p.AuditMonths < 0 || p.AuditMonths > 1200:
		return Invalidf("the audit trail's retention must be 0 (keep) to 1200 months, not %d", p.AuditMonths)
	case p.ImportReportsMonths < 0 || p.ImportReportsMonths > 1200:
		return Invalidf("import reports' retention must be 0 (keep) to 1200 months, not %d", p.ImportReportsMonths)
	}
	return nil
}

// LeaverCutoff is the LeftOn date before which leavers are anonymised on
// day today (zero when leavers are kept).
func (p RetentionPolicy) LeaverCutoff(today Date) Date {
	if p.LeaversMonths <= 0 {
		return Date{}
	}
	return today.AddMonths(-p.LeaversMonths)
}

// AuditCutoff is the instant before which audit events are deleted at now
// (zero when they are kept).
func (p RetentionPolicy) AuditCutoff(now time.Time) time.Time {
	if p.AuditMonths <= 0 {
		return time.Time{}
	}
	return now.AddDate(0, -p.AuditMonths, 0)
}

// ImportReportCutoff is the instant before which imports lose their
// row-by-row report at now (zero when reports are kept).
func (p RetentionPolicy) ImportReportCutoff(now time.Time) time.Time {
	if p.ImportReportsMonths <= 0 {
		return time.Time{}
	}
	return now.AddDate(0, -p.ImportReportsMonths, 0)
}

// PseudonymPrefix starts the ID of an anonymised officer.
const PseudonymPrefix = "ANON-"

// IsPseudonym reports whether id is an anonymised officer's.
func IsPseudonym(id string) bool { return strings.HasPrefix(id, PseudonymPrefix) }

// NewPseudonym returns a fresh random pseudonym. It is random rather than
// a hash of the ID, because officer IDs are few enough to hash them all
// and so reverse any unkeyed hash.
func NewPseudonym() string { return PseudonymPrefix + strings.ToUpper(NewID()) }

// LeaversDue returns the IDs of leavers who left before cutoff and are not
// yet anonymised, sorted.
func LeaversDue(ds *Dataset, cutoff Date) []string {
	if cutoff.IsZero() {
		return nil
	}
	var ids []string
	for id, o := range ds.Officers {
		if o.Leaver && !o.LeftOn.IsZero() && o.LeftOn.Before(cutoff) && !IsPseudonym(id) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// Anonymise returns rec with its personal data removed and its ID
// replaced by pseudonym everywhere. What figures for past dates need is
// kept: unit, start date, first seen, leaver and left-on dates, every
// completion's course and date, every exemption's course and period, and
// where each came from (import and row; the name of the Muster user who
// made an API change is not the officer's data).
func Anonymise(rec OfficerRecord, pseudonym string) OfficerRecord {
	o := rec.Officer
	o.ID, o.DisplayID = pseudonym, pseudonym
	o.Name, o.Email, o.EmailInvalid, o.Rank, o.LineManager = "", "", false, "", ""
	out := OfficerRecord{Officer: o,
		Completions: make([]Completion, len(rec.Completions)),
		Exemptions:  make([]Exemption, len(rec.Exemptions))}
	for i, c := range rec.Completions {
		c.OfficerID = pseudonym
		out.Completions[i] = c
	}
	for i, e := range rec.Exemptions {
		e.OfficerID = pseudonym
		e.Reason = "" // may be medical or otherwise sensitive
		out.Exemptions[i] = e
	}
	return out
}

// AnonymiseCounts says how many records an anonymisation changed (counts
// only: what goes into the audit trail).
type AnonymiseCounts struct {
	Officers    int `json:"officers"`
	Completions int `json:"completions"`
	Exemptions  int `json:"exemptions"`
}

// RetentionStore applies the retention policy to roster data.
type RetentionStore interface {
	// AnonymiseOfficers replaces each officer named by a key of
	// pseudonyms with Anonymise(record, pseudonym) in one atomic write
	// (the old ID's officer, completions and exemptions are gone, the
	// pseudonym's hold the anonymised records) and bumps the revision.
	// Officers that do not exist are skipped; a pseudonym already in use,
	// or one not starting with PseudonymPrefix, is ErrInvalid/ErrConflict
	// and nothing is written.
	AnonymiseOfficers(ctx context.Context, pseudonyms map[string]string) (AnonymiseCounts, error)
}
