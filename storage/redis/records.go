package redis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/muster-police/muster/training"
)

// The wire format: every value except the roster records and outbox
// messages (codec.go) is a JSON record with "v":1. The structs
// below are Redis's own, field by field, and hold no domain types, so
// that a change in training/ cannot silently change what is stored. A
// reader that meets an unknown version fails loudly instead of guessing.
//
// These records were first written with go-json-experiment (JSON v2) and
// are now written with encoding/json to the same bytes (testdata/golden,
// TestGoldenRecords): no HTML escaping, false booleans written out (v2's
// omitempty kept them; so the booleans here have no omitempty), nil
// lists as null. Two differences remain, both read either way:
// encoding/json sorts map keys (v2 wrote them in any order) and escapes
// U+2028 and U+2029 as \u2028 and \u2029 (v2 wrote them as they are).

const recordVersion = 1

// dateV1 is a civil date on the wire: "YYYY-MM-DD", "" when unset.
// It has its own text form rather than training.Date's, so that a change
// there cannot change stored records.
type dateV1 struct {
	Year, Month, Day int
}

func toDateV1(d training.Date) dateV1 { return dateV1{d.Year(), int(d.Month()), d.Day()} }

func (d dateV1) date() training.Date {
	return training.DateFrom(d.Year, time.Month(d.Month), d.Day)
}

// MarshalText writes YYYY-MM-DD, or nothing for the zero date.
func (d dateV1) MarshalText() ([]byte, error) {
	if d == (dateV1{}) {
		return []byte{}, nil
	}
	return fmt.Appendf(nil, "%04d-%02d-%02d", d.Year, d.Month, d.Day), nil
}

// UnmarshalText reads what MarshalText wrote.
func (d *dateV1) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = dateV1{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("%q is not a date in the form YYYY-MM-DD", b)
	}
	*d = dateV1{t.Year(), int(t.Month()), t.Day()}
	return nil
}

type courseV1 struct {
	V              int      `json:"v"`
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Aliases        []string `json:"aliases"`
	Deadline       dateV1   `json:"deadline"`
	DueWithinDays  int      `json:"due_within_days"`
	ValidForMonths int      `json:"valid_for_months"`
	DueSoonDays    int      `json:"due_soon_days"`
	URL            string   `json:"url,omitempty"`
	Retired        bool     `json:"retired"`
	// Added later; older records read them as zero (everyone, no renewal window).
	RenewWithinDays int         `json:"renew_within_days,omitempty"`
	Audience        *audienceV1 `json:"audience,omitempty"`
	ActivityIDs     []string    `json:"activity_ids,omitempty"`
	// EscalateAfterDays: 0 (never) in records written before it existed.
	EscalateAfterDays int `json:"escalate_after_days,omitempty"`
	// MaxExtensionDays bounds officers' requests for more time (0: the default).
	MaxExtensionDays int `json:"max_extension_days,omitempty"`
}

// audienceV1 and audienceRuleV1 are a course's audience on the wire.
type audienceV1 struct {
	Include []audienceRuleV1 `json:"include,omitempty"`
	Exclude []audienceRuleV1 `json:"exclude,omitempty"`
}

type audienceRuleV1 struct {
	Unit      []string `json:"unit,omitempty"`
	StaffType []string `json:"staff_type,omitempty"`
	Rank      []string `json:"rank,omitempty"`
	Role      []string `json:"role,omitempty"`
}

func toAudienceV1(a training.Audience) *audienceV1 {
	if a.IsZero() {
		return nil
	}
	rules := func(rs []training.AudienceRule) []audienceRuleV1 {
		out := make([]audienceRuleV1, len(rs))
		for i, r := range rs {
			out[i] = audienceRuleV1{Unit: r.Unit, StaffType: r.StaffType, Rank: r.Rank, Role: r.Role}
		}
		return out
	}
	return &audienceV1{Include: rules(a.Include), Exclude: rules(a.Exclude)}
}

func (r *audienceV1) domain() training.Audience {
	if r == nil {
		return training.Audience{}
	}
	rules := func(rs []audienceRuleV1) []training.AudienceRule {
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

func toCourseRec(c training.Course) courseV1 {
	return courseV1{recordVersion, c.ID, c.Title, c.Aliases, toDateV1(c.Deadline), c.DueWithinDays, c.ValidForMonths, c.DueSoonDays, c.URL, c.Retired,
		c.RenewWithinDays, toAudienceV1(c.Audience), c.ActivityIDs, c.EscalateAfterDays, c.MaxExtensionDays}
}

func (r courseV1) domain() training.Course {
	return training.Course{ID: r.ID, Title: r.Title, Aliases: r.Aliases, Deadline: r.Deadline.date(),
		DueWithinDays: r.DueWithinDays, ValidForMonths: r.ValidForMonths, DueSoonDays: r.DueSoonDays, URL: r.URL, Retired: r.Retired,
		RenewWithinDays: r.RenewWithinDays, Audience: r.Audience.domain(), ActivityIDs: r.ActivityIDs,
		EscalateAfterDays: r.EscalateAfterDays,
		MaxExtensionDays:  r.MaxExtensionDays}
}

type summaryV1 struct {
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

type importV1 struct {
	V        int       `json:"v"`
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	FileName string    `json:"file_name,omitempty"`
	FileHash string    `json:"file_hash,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	Outcome  string    `json:"outcome"`
	Summary  summaryV1 `json:"summary"`
	Report   []byte    `json:"report,omitempty"`
}

func toImportRec(r training.ImportRecord) importV1 {
	return importV1{recordVersion, r.ID, string(r.Kind), r.FileName, r.FileHash, r.By, r.At.UTC(), string(r.Outcome),
		summaryV1(r.Summary), r.Report}
}

func (r importV1) domain() training.ImportRecord {
	return training.ImportRecord{ID: r.ID, Kind: training.ImportKind(r.Kind), FileName: r.FileName, FileHash: r.FileHash,
		By: r.By, At: r.At, Outcome: training.ImportOutcome(r.Outcome), Summary: training.ImportSummary(r.Summary), Report: r.Report}
}

type countsV1 struct {
	Required    int `json:"required"`
	Compliant   int `json:"compliant"`
	Overdue     int `json:"overdue"`
	DueSoon     int `json:"due_soon"`
	Outstanding int `json:"outstanding"`
	Exempt      int `json:"exempt"`
}

type snapshotV1 struct {
	V     int                            `json:"v"`
	Date  dateV1                         `json:"date"`
	Units map[string]map[string]countsV1 `json:"units"`
}

func toSnapshotRec(d training.DailySnapshot) snapshotV1 {
	r := snapshotV1{V: recordVersion, Date: toDateV1(d.Date)}
	if d.Units != nil {
		r.Units = make(map[string]map[string]countsV1, len(d.Units))
	}
	for unit, byCourse := range d.Units {
		var m map[string]countsV1
		if byCourse != nil {
			m = make(map[string]countsV1, len(byCourse))
		}
		for c, n := range byCourse {
			m[c] = countsV1(n)
		}
		r.Units[unit] = m
	}
	return r
}

func (r snapshotV1) domain() training.DailySnapshot {
	d := training.DailySnapshot{Date: r.Date.date()}
	if r.Units != nil {
		d.Units = make(map[string]map[string]training.Counts, len(r.Units))
	}
	for unit, byCourse := range r.Units {
		var m map[string]training.Counts
		if byCourse != nil {
			m = make(map[string]training.Counts, len(byCourse))
		}
		for c, n := range byCourse {
			m[c] = training.Counts(n)
		}
		d.Units[unit] = m
	}
	return d
}

type userV1 struct {
	V                  int       `json:"v"`
	Username           string    `json:"username"`
	PasswordHash       string    `json:"password_hash"`
	Role               string    `json:"role"`
	Email              string    `json:"email,omitempty"`
	Units              []string  `json:"units,omitempty"`
	OfficerID          string    `json:"officer_id,omitempty"`
	Disabled           bool      `json:"disabled"`
	Created            time.Time `json:"created"`
	MustChangePassword bool      `json:"must_change_password"`
	PasswordChanged    time.Time `json:"password_changed"`
	// Added with single sign-on; records written before it decode with
	// them empty (a password-only user).
	OIDCIssuer  string `json:"oidc_issuer,omitempty"`
	OIDCSubject string `json:"oidc_subject,omitempty"`
}

func toUserRec(u training.User) userV1 {
	return userV1{recordVersion, u.Username, u.PasswordHash, string(u.Role), u.Email, u.Units, u.OfficerID, u.Disabled, u.Created.UTC(), u.MustChangePassword, u.PasswordChanged.UTC(), u.OIDC.Issuer, u.OIDC.Subject}
}

func (r userV1) domain() training.User {
	return training.User{Username: r.Username, PasswordHash: r.PasswordHash, Role: training.Role(r.Role), Email: r.Email, Units: r.Units,
		OfficerID: r.OfficerID, Disabled: r.Disabled, Created: r.Created, MustChangePassword: r.MustChangePassword,
		PasswordChanged: r.PasswordChanged, OIDC: training.OIDCLink{Issuer: r.OIDCIssuer, Subject: r.OIDCSubject}}
}

type sessionV1 struct {
	V         int       `json:"v"`
	IDHash    string    `json:"id_hash"`
	Username  string    `json:"username"`
	CSRFToken string    `json:"csrf_token"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

type tokenV1 struct {
	V        int       `json:"v"`
	ID       string    `json:"id"`
	Hash     string    `json:"hash"`
	Name     string    `json:"name"`
	Username string    `json:"username"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
}

// messageV1 is an outbox message as stored before the binary format
// (codec.go's fmtMessageV1); it is only read now, so that a queued or
// sent message from an older Muster still shows and sends.
type messageV1 struct {
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

func toMessageRec(m training.Message) messageV1 {
	return messageV1{recordVersion, m.ID, m.MessageID, m.LedgerKeys, m.Kind, m.To, m.Subject, m.Text, m.HTML,
		string(m.State), m.Attempts, m.LastError, m.Created.UTC(), m.NextAttempt.UTC(), m.Sent.UTC(), m.RunID}
}

func (r messageV1) domain() training.Message {
	return training.Message{ID: r.ID, MessageID: r.MessageID, LedgerKeys: r.LedgerKeys, Kind: r.Kind, To: r.To,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, State: training.MessageState(r.State), Attempts: r.Attempts, LastError: r.LastError,
		Created: r.Created, NextAttempt: r.NextAttempt, Sent: r.Sent, RunID: r.RunID}
}

type jobRunV1 struct {
	V        int            `json:"v"`
	ID       string         `json:"id"`
	Job      string         `json:"job"`
	DryRun   bool           `json:"dry_run"`
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Counts   map[string]int `json:"counts,omitempty"`
	Errors   []string       `json:"errors,omitempty"`
	Error    string         `json:"error,omitempty"`
}

func toJobRunRec(r training.JobRun) jobRunV1 {
	return jobRunV1{recordVersion, r.ID, r.Job, r.DryRun, r.Started.UTC(), r.Finished.UTC(), r.Counts, r.Errors, r.Error}
}

func (r jobRunV1) domain() training.JobRun {
	return training.JobRun{ID: r.ID, Job: r.Job, DryRun: r.DryRun, Started: r.Started, Finished: r.Finished,
		Counts: r.Counts, Errors: r.Errors, Error: r.Error}
}

// versioned is any record with a version field.
type versioned interface{ version() int }

func (r courseV1) version() int   { return r.V }
func (r importV1) version() int   { return r.V }
func (r snapshotV1) version() int { return r.V }
func (r userV1) version() int     { return r.V }
func (r sessionV1) version() int  { return r.V }
func (r tokenV1) version() int    { return r.V }
func (r messageV1) version() int  { return r.V }
func (r jobRunV1) version() int   { return r.V }

// decode reads one stored record and checks its version.
func decode[T versioned](what, s string) (T, error) {
	var r T
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		return r, fmt.Errorf("redis store: a stored %s record is damaged: %w", what, err)
	}
	if r.version() != recordVersion {
		return r, fmt.Errorf("redis store: a stored %s record has format version %d; this Muster reads version %d", what, r.version(), recordVersion)
	}
	return r, nil
}

// encode writes a record; the record structs cannot fail to encode.
// HTML characters are written as they are, as go-json-experiment did.
func encode(r any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		panic("redis store: encoding a record: " + err.Error())
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
