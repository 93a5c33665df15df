package redis

import (
	"fmt"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/muster-police/muster/training"
)

// The wire format: every value except the roster records and outbox
// messages (codec.go) is a JSON record with "v":1. The structs
// below are Redis's own, separate from the domain types, so that a
// change in training/ cannot silently change what is stored. A reader
// that meets an unknown version fails loudly instead of guessing.

const recordVersion = 1

type courseV1 struct {
	V              int           `json:"v"`
	ID             string        `json:"id"`
	Title          string        `json:"title"`
	Aliases        []string      `json:"aliases"`
	Deadline       training.Date `json:"deadline"`
	DueWithinDays  int           `json:"due_within_days"`
	ValidForMonths int           `json:"valid_for_months"`
	DueSoonDays    int           `json:"due_soon_days"`
	URL            string        `json:"url,omitempty"`
	Retired        bool          `json:"retired,omitempty"`
}

func courseRec(c training.Course) courseV1 {
	return courseV1{recordVersion, c.ID, c.Title, c.Aliases, c.Deadline, c.DueWithinDays, c.ValidForMonths, c.DueSoonDays, c.URL, c.Retired}
}

func (r courseV1) domain() training.Course {
	return training.Course{ID: r.ID, Title: r.Title, Aliases: r.Aliases, Deadline: r.Deadline,
		DueWithinDays: r.DueWithinDays, ValidForMonths: r.ValidForMonths, DueSoonDays: r.DueSoonDays, URL: r.URL, Retired: r.Retired}
}

type importV1 struct {
	V        int                    `json:"v"`
	ID       string                 `json:"id"`
	Kind     training.ImportKind    `json:"kind"`
	FileName string                 `json:"file_name,omitempty"`
	FileHash string                 `json:"file_hash,omitempty"`
	By       string                 `json:"by"`
	At       time.Time              `json:"at"`
	Outcome  training.ImportOutcome `json:"outcome"`
	Summary  training.ImportSummary `json:"summary"`
	Report   []byte                 `json:"report,omitempty"`
}

func importRec(r training.ImportRecord) importV1 {
	return importV1{recordVersion, r.ID, r.Kind, r.FileName, r.FileHash, r.By, r.At.UTC(), r.Outcome, r.Summary, r.Report}
}

func (r importV1) domain() training.ImportRecord {
	return training.ImportRecord{ID: r.ID, Kind: r.Kind, FileName: r.FileName, FileHash: r.FileHash, By: r.By,
		At: r.At, Outcome: r.Outcome, Summary: r.Summary, Report: r.Report}
}

type snapshotV1 struct {
	V     int                                   `json:"v"`
	Date  training.Date                         `json:"date"`
	Units map[string]map[string]training.Counts `json:"units"`
}

type userV1 struct {
	V                  int           `json:"v"`
	Username           string        `json:"username"`
	PasswordHash       string        `json:"password_hash"`
	Role               training.Role `json:"role"`
	Email              string        `json:"email,omitempty"`
	Units              []string      `json:"units,omitempty"`
	OfficerID          string        `json:"officer_id,omitempty"`
	Disabled           bool          `json:"disabled,omitempty"`
	Created            time.Time     `json:"created"`
	MustChangePassword bool          `json:"must_change_password,omitempty"`
	PasswordChanged    time.Time     `json:"password_changed"`
	// Added with single sign-on; records written before it decode with
	// them empty (a password-only user).
	OIDCIssuer  string `json:"oidc_issuer,omitempty"`
	OIDCSubject string `json:"oidc_subject,omitempty"`
}

func userRec(u training.User) userV1 {
	return userV1{recordVersion, u.Username, u.PasswordHash, u.Role, u.Email, u.Units, u.OfficerID, u.Disabled, u.Created.UTC(), u.MustChangePassword, u.PasswordChanged.UTC(), u.OIDC.Issuer, u.OIDC.Subject}
}

func (r userV1) domain() training.User {
	return training.User{Username: r.Username, PasswordHash: r.PasswordHash, Role: r.Role, Email: r.Email, Units: r.Units,
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
	V           int                   `json:"v"`
	ID          string                `json:"id"`
	MessageID   string                `json:"message_id"`
	LedgerKeys  []string              `json:"ledger_keys"`
	Kind        string                `json:"kind"`
	To          string                `json:"to"`
	Subject     string                `json:"subject"`
	Text        string                `json:"text"`
	HTML        string                `json:"html"`
	State       training.MessageState `json:"state"`
	Attempts    int                   `json:"attempts"`
	LastError   string                `json:"last_error,omitempty"`
	Created     time.Time             `json:"created"`
	NextAttempt time.Time             `json:"next_attempt"`
	Sent        time.Time             `json:"sent"`
	RunID       string                `json:"run_id,omitempty"`
}

func messageRec(m training.Message) messageV1 {
	return messageV1{recordVersion, m.ID, m.MessageID, m.LedgerKeys, m.Kind, m.To, m.Subject, m.Text, m.HTML,
		m.State, m.Attempts, m.LastError, m.Created.UTC(), m.NextAttempt.UTC(), m.Sent.UTC(), m.RunID}
}

func (r messageV1) domain() training.Message {
	return training.Message{ID: r.ID, MessageID: r.MessageID, LedgerKeys: r.LedgerKeys, Kind: r.Kind, To: r.To,
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, State: r.State, Attempts: r.Attempts, LastError: r.LastError,
		Created: r.Created, NextAttempt: r.NextAttempt, Sent: r.Sent, RunID: r.RunID}
}

type jobRunV1 struct {
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

func jobRunRec(r training.JobRun) jobRunV1 {
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
func encode(r any) string {
	b, err := json.Marshal(r, json.FormatNilSliceAsNull(true), json.FormatNilMapAsNull(true))
	if err != nil {
		panic("redis store: encoding a record: " + err.Error())
	}
	return string(b)
}
