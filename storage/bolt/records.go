package bolt

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/muster-police/muster/training"
)

// Wire records for everything but the roster: JSON with a "v" field.
// They mirror the domain types on purpose, field by field, so that the
// file format changes only when this file does.
const recordV1 = 1

type versioned interface{ version() int }

func encodeJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every record is plain data; failing here is a programming error.
		panic(fmt.Sprintf("bolt: encode record: %v", err))
	}
	return b
}

// decodeJSON decodes a record and checks its version.
func decodeJSON(b []byte, v versioned, what string) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	if got := v.version(); got != recordV1 {
		return fmt.Errorf("decode %s: record version %d not understood", what, got)
	}
	return nil
}

// dateRec is a training.Date on the wire: three numbers, so that no
// parsing rule can reject what was stored.
type dateRec struct {
	Y int `json:"y"`
	M int `json:"m"`
	D int `json:"d"`
}

func toDateRec(d training.Date) *dateRec {
	if d.IsZero() {
		return nil
	}
	return &dateRec{d.Year(), int(d.Month()), d.Day()}
}

func (r *dateRec) domain() training.Date {
	if r == nil {
		return training.Date{}
	}
	return training.DateFrom(r.Y, time.Month(r.M), r.D)
}

// utc drops the monotonic reading and location, so that what comes back
// from the store compares equal to what any backend returns.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

type courseRec struct {
	V              int      `json:"v"`
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Aliases        []string `json:"aliases"`
	Deadline       *dateRec `json:"deadline,omitempty"`
	DueWithinDays  int      `json:"due_within_days"`
	ValidForMonths int      `json:"valid_for_months"`
	DueSoonDays    int      `json:"due_soon_days"`
	URL            string   `json:"url,omitempty"`
	Retired        bool     `json:"retired,omitempty"`
	// Added later; older records read them as zero (everyone, no renewal window).
	RenewWithinDays int          `json:"renew_within_days,omitempty"`
	Audience        *audienceRec `json:"audience,omitempty"`
	ActivityIDs     []string     `json:"activity_ids,omitempty"`
	// EscalateAfterDays: 0 (never) in records written before it existed.
	EscalateAfterDays int `json:"escalate_after_days,omitempty"`
	// MaxExtensionDays bounds officers' requests for more time (0: the default).
	MaxExtensionDays int `json:"max_extension_days,omitempty"`
}

// audienceRec and audienceRuleRec are a course's audience on disk.
type audienceRec struct {
	Include []audienceRuleRec `json:"include,omitempty"`
	Exclude []audienceRuleRec `json:"exclude,omitempty"`
}

type audienceRuleRec struct {
	Unit      []string `json:"unit,omitempty"`
	StaffType []string `json:"staff_type,omitempty"`
	Rank      []string `json:"rank,omitempty"`
	Role      []string `json:"role,omitempty"`
}

func toAudienceRec(a training.Audience) *audienceRec {
	if a.IsZero() {
		return nil
	}
	rules := func(rs []training.AudienceRule) []audienceRuleRec {
		out := make([]audienceRuleRec, len(rs))
		for i, r := range rs {
			out[i] = audienceRuleRec{Unit: r.Unit, StaffType: r.StaffType, Rank: r.Rank, Role: r.Role}
		}
		return out
	}
	return &audienceRec{Include: rules(a.Include), Exclude: rules(a.Exclude)}
}

func (r *audienceRec) domain() training.Audience {
	if r == nil {
		return training.Audience{}
	}
	rules := func(rs []audienceRuleRec) []training.AudienceRule {
		if len(rs) == 0 {
			return nil
		}
		out := make([]training.AudienceRule, len(rs))
		for i, x := range rs {
			out[i] = training.AudienceRule{Unit: x.Unit, StaffType: x.StaffType, Rank: x.Rank, Role: x.Role}
		}
		return out
	}
	return training.Audience{Include: rules(r.Include), Exclude: rules(r.Exclude)}
}

func (r *courseRec) version() int { return r.V }

func toCourseRec(c training.Course) *courseRec {
	return &courseRec{V: recordV1, ID: c.ID, Title: c.Title, Aliases: c.Aliases,
		Deadline: toDateRec(c.Deadline), DueWithinDays: c.DueWithinDays,
		ValidForMonths: c.ValidForMonths, DueSoonDays: c.DueSoonDays, URL: c.URL, Retired: c.Retired,
		RenewWithinDays: c.RenewWithinDays, Audience: toAudienceRec(c.Audience), ActivityIDs: c.ActivityIDs,
		EscalateAfterDays: c.EscalateAfterDays,
		MaxExtensionDays:  c.MaxExtensionDays}
}

func (r *courseRec) domain() training.Course {
	return training.Course{ID: r.ID, Title: r.Title, Aliases: r.Aliases,
		Deadline: r.Deadline.domain(), DueWithinDays: r.DueWithinDays,
		ValidForMonths: r.ValidForMonths, DueSoonDays: r.DueSoonDays, URL: r.URL, Retired: r.Retired,
		RenewWithinDays: r.RenewWithinDays, Audience: r.Audience.domain(), ActivityIDs: r.ActivityIDs,
		EscalateAfterDays: r.EscalateAfterDays,
		MaxExtensionDays:  r.MaxExtensionDays}
}

type summaryRec struct {
	Added               int `json:"added"`
	Updated             int `json:"updated"`
	Unchanged           int `json:"unchanged"`
	Leavers             int `json:"leavers"`
	Completions         int `json:"completions"`
	CompletionsNoDate   int `json:"completions_no_date"`
	Exemptions          int `json:"exemptions"`
	OrphanCompletions   int `json:"orphan_completions"`
	RowsRejected        int `json:"rows_rejected"`
	CellErrors          int `json:"cell_errors"`
	Warnings            int `json:"warnings"`
	SkippedOtherCourses int `json:"skipped_other_courses"`
}

type importRec struct {
	V        int        `json:"v"`
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	FileName string     `json:"file_name,omitempty"`
	FileHash string     `json:"file_hash,omitempty"`
	By       string     `json:"by"`
	At       time.Time  `json:"at"`
	Outcome  string     `json:"outcome"`
	Summary  summaryRec `json:"summary"`
	Report   []byte     `json:"report,omitempty"`
}

func (r *importRec) version() int { return r.V }

func toImportRec(i training.ImportRecord) *importRec {
	return &importRec{V: recordV1, ID: i.ID, Kind: string(i.Kind), FileName: i.FileName,
		FileHash: i.FileHash, By: i.By, At: utc(i.At), Outcome: string(i.Outcome),
		Summary: summaryRec(i.Summary), Report: i.Report}
}

func (r *importRec) domain() training.ImportRecord {
	return training.ImportRecord{ID: r.ID, Kind: training.ImportKind(r.Kind),
		FileName: r.FileName, FileHash: r.FileHash, By: r.By, At: utc(r.At),
		Outcome: training.ImportOutcome(r.Outcome), Summary: training.ImportSummary(r.Summary),
		Report: r.Report}
}

type countsRec struct {
	Required    int `json:"required"`
	Compliant   int `json:"compliant"`
	Overdue     int `json:"overdue"`
	DueSoon     int `json:"due_soon"`
	Outstanding int `json:"outstanding"`
	Exempt      int `json:"exempt"`
}

type snapshotRec struct {
	V     int                             `json:"v"`
	Date  dateRec                         `json:"date"`
	Units map[string]map[string]countsRec `json:"units"`
}

func toSnapshotRec(s training.DailySnapshot) *snapshotRec {
	r := &snapshotRec{V: recordV1, Date: dateRec{s.Date.Year(), int(s.Date.Month()), s.Date.Day()},
		Units: make(map[string]map[string]countsRec, len(s.Units))}
	for u, byCourse := range s.Units {
		m := make(map[string]countsRec, len(byCourse))
		for c, n := range byCourse {
			m[c] = countsRec(n)
		}
		r.Units[u] = m
	}
	return r
}

func (r *snapshotRec) domain() training.DailySnapshot {
	s := training.DailySnapshot{Date: r.Date.domain(), Units: make(map[string]map[string]training.Counts, len(r.Units))}
	for u, byCourse := range r.Units {
		m := make(map[string]training.Counts, len(byCourse))
		for c, n := range byCourse {
			m[c] = training.Counts(n)
		}
		s.Units[u] = m
	}
	return s
}

func (r *snapshotRec) version() int { return r.V }

type userRec struct {
	V                  int       `json:"v"`
	Username           string    `json:"username"`
	PasswordHash       string    `json:"password_hash"`
	Role               string    `json:"role"`
	Email              string    `json:"email,omitempty"`
	Units              []string  `json:"units,omitempty"`
	OfficerID          string    `json:"officer_id,omitempty"`
	Disabled           bool      `json:"disabled,omitempty"`
	Created            time.Time `json:"created"`
	MustChangePassword bool      `json:"must_change_password,omitempty"`
	PasswordChanged    time.Time `json:"password_changed"`
	// Added with single sign-on; records written before it decode with
	// them empty (a password-only user).
	OIDCIssuer  string `json:"oidc_issuer,omitempty"`
	OIDCSubject string `json:"oidc_subject,omitempty"`
}

func (r *userRec) version() int { return r.V }

func toUserRec(u training.User) *userRec {
	return &userRec{V: recordV1, Username: u.Username, PasswordHash: u.PasswordHash,
		Role: string(u.Role), Email: u.Email, Units: u.Units, OfficerID: u.OfficerID,
		Disabled: u.Disabled, Created: utc(u.Created), MustChangePassword: u.MustChangePassword,
		PasswordChanged: utc(u.PasswordChanged), OIDCIssuer: u.OIDC.Issuer, OIDCSubject: u.OIDC.Subject}
}

func (r *userRec) domain() training.User {
	return training.User{Username: r.Username, PasswordHash: r.PasswordHash,
		Role: training.Role(r.Role), Email: r.Email, Units: r.Units, OfficerID: r.OfficerID,
		Disabled: r.Disabled, Created: utc(r.Created), MustChangePassword: r.MustChangePassword,
		PasswordChanged: utc(r.PasswordChanged),
		OIDC:            training.OIDCLink{Issuer: r.OIDCIssuer, Subject: r.OIDCSubject}}
}

type sessionRec struct {
	V         int       `json:"v"`
	IDHash    string    `json:"id_hash"`
	Username  string    `json:"username"`
	CSRFToken string    `json:"csrf_token"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

func (r *sessionRec) version() int { return r.V }

func toSessionRec(s training.Session) *sessionRec {
	return &sessionRec{V: recordV1, IDHash: s.IDHash, Username: s.Username,
		CSRFToken: s.CSRFToken, Created: utc(s.Created), Expires: utc(s.Expires)}
}

func (r *sessionRec) domain() training.Session {
	return training.Session{IDHash: r.IDHash, Username: r.Username, CSRFToken: r.CSRFToken,
		Created: utc(r.Created), Expires: utc(r.Expires)}
}

type tokenRec struct {
	V        int       `json:"v"`
	ID       string    `json:"id"`
	Hash     string    `json:"hash"`
	Name     string    `json:"name"`
	Username string    `json:"username"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
}

func (r *tokenRec) version() int { return r.V }

func toTokenRec(t training.Token) *tokenRec {
	return &tokenRec{V: recordV1, ID: t.ID, Hash: t.Hash, Name: t.Name, Username: t.Username,
		Created: utc(t.Created), Expires: utc(t.Expires)}
}

func (r *tokenRec) domain() training.Token {
	return training.Token{ID: r.ID, Hash: r.Hash, Name: r.Name, Username: r.Username,
		Created: utc(r.Created), Expires: utc(r.Expires)}
}

type messageRec struct {
	V           int       `json:"v"`
	ID          string    `json:"id"`
	MessageID   string    `json:"message_id"`
	LedgerKeys  []string  `json:"ledger_keys"`
	Kind        string    `json:"kind"`
	To          string    `json:"to"`
	Subject     string    `json:"subject"`
	Text        string    `json:"text"`
	HTML        string    `json:"html"`
	State       string    `json:"state"`
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error,omitempty"`
	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"`
	Sent        time.Time `json:"sent"`
	RunID       string    `json:"run_id,omitempty"`
}

func (r *messageRec) version() int { return r.V }

func toMessageRec(m training.Message) *messageRec {
	return &messageRec{V: recordV1, ID: m.ID, MessageID: m.MessageID, LedgerKeys: m.LedgerKeys,
		Kind: m.Kind, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		State: string(m.State), Attempts: m.Attempts, LastError: m.LastError,
		Created: utc(m.Created), NextAttempt: utc(m.NextAttempt), Sent: utc(m.Sent), RunID: m.RunID}
}

func (r *messageRec) domain() training.Message {
	return training.Message{ID: r.ID, MessageID: r.MessageID, LedgerKeys: r.LedgerKeys,
		Kind: r.Kind, To: r.To, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		State: training.MessageState(r.State), Attempts: r.Attempts, LastError: r.LastError,
		Created: utc(r.Created), NextAttempt: utc(r.NextAttempt), Sent: utc(r.Sent), RunID: r.RunID}
}

type lockRec struct {
	V     int       `json:"v"`
	Owner string    `json:"owner"`
	Until time.Time `json:"until"`
}

func (r *lockRec) version() int { return r.V }

type jobRunRec struct {
	V        int            `json:"v"`
	ID       string         `json:"id"`
	Job      string         `json:"job"`
	DryRun   bool           `json:"dry_run,omitempty"`
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Counts   map[string]int `json:"counts,omitempty"`
	Errors   []string       `json:"errors,omitempty"`
	Error    string         `json:"error,omitempty"`
}

func (r *jobRunRec) version() int { return r.V }

func toJobRunRec(j training.JobRun) *jobRunRec {
	return &jobRunRec{V: recordV1, ID: j.ID, Job: j.Job, DryRun: j.DryRun, Started: utc(j.Started),
		Finished: utc(j.Finished), Counts: j.Counts, Errors: j.Errors, Error: j.Error}
}

func (r *jobRunRec) domain() training.JobRun {
	return training.JobRun{ID: r.ID, Job: r.Job, DryRun: r.DryRun, Started: utc(r.Started),
		Finished: utc(r.Finished), Counts: r.Counts, Errors: r.Errors, Error: r.Error}
}
