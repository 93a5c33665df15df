package training

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// AuditAction names what an audit event records: a fixed vocabulary, so
// that a search by action finds every event of that kind.
type AuditAction string

// The audit vocabulary.
const (
	AuditSignIn            AuditAction = "sign_in"
	AuditSignInFailed      AuditAction = "sign_in_failed"
	AuditUpload            AuditAction = "upload"            // a file previewed (dry run) or imported
	AuditImportConfirmed   AuditAction = "import_confirmed"  // a previewed upload applied
	AuditPreviewCanceled   AuditAction = "preview_cancelled" // a previewed upload dropped unapplied
	AuditCourseChanged     AuditAction = "course_changed"
	AuditAccountChanged    AuditAction = "account_changed" // users, roles, tokens, passwords
	AuditCompletions       AuditAction = "completions_posted"
	AuditExport            AuditAction = "export" // a compliance or officers export
	AuditOfficerViewed     AuditAction = "officer_viewed"
	AuditSubjectAccess     AuditAction = "subject_access_export"
	AuditJobRun            AuditAction = "job_run"
	AuditMailRequeued      AuditAction = "mail_requeued"
	AuditRetention         AuditAction = "retention_applied"
	AuditAuditSearched     AuditAction = "audit_exported"
	AuditRegisterSaved     AuditAction = "register_saved"     // a classroom register recorded
	AuditRegisterWithdrawn AuditAction = "register_withdrawn" // a register's completions taken back
	AuditRequest           AuditAction = "request"            // an officer's request: asked, decided, certificate downloaded
)

// AuditActions lists the vocabulary, for validation and for the search form.
var AuditActions = []AuditAction{AuditSignIn, AuditSignInFailed, AuditUpload, AuditImportConfirmed, AuditPreviewCanceled,
	AuditCourseChanged, AuditAccountChanged, AuditCompletions, AuditExport, AuditOfficerViewed,
	AuditSubjectAccess, AuditJobRun, AuditMailRequeued, AuditRetention, AuditAuditSearched,
	AuditRegisterSaved, AuditRegisterWithdrawn,
	AuditRequest}

// Valid reports whether a is in the vocabulary.
func (a AuditAction) Valid() bool {
	for _, v := range AuditActions {
		if a == v {
			return true
		}
	}
	return false
}

// Audit target kinds. An officer is named by ID only, never by name or email.
const (
	TargetOfficer  = "officer"
	TargetUser     = "user"
	TargetCourse   = "course"
	TargetImport   = "import"
	TargetJob      = "job"
	TargetMessage  = "message"
	TargetRegister = "register"
)

// Audit outcomes.
const (
	AuditOK     = "ok"
	AuditFailed = "failed"
	AuditDenied = "denied"
)

// Actors that are not users.
const (
	ActorSystem = "system" // scheduled jobs
	ActorCLI    = "cli"    // the muster command run on the server
)

// AuditEvent is one entry of the audit trail: who did what to what, when.
// It holds no personal data of officers beyond their ID (TargetID), and
// Detail is a short, fixed-shape text (counts, a course ID, a format).
type AuditEvent struct {
	ID         string      `json:"id"`
	At         time.Time   `json:"at"`
	Actor      string      `json:"actor"`
	Action     AuditAction `json:"action"`
	TargetKind string      `json:"target_kind,omitempty"`
	TargetID   string      `json:"target_id,omitempty"`
	Outcome    string      `json:"outcome"`
	Detail     string      `json:"detail,omitempty"`
	RequestID  string      `json:"request_id,omitempty"`
}

// Bounds on the text fields of an event, so that one event stays small
// whatever a caller passes (a failed sign-in's username is typed by anyone).
const (
	maxAuditField  = 128
	maxAuditDetail = 500
)

// NewAuditEvent returns an event at now with a fresh ID, its text fields
// cleaned and cut to their bounds.
func NewAuditEvent(now time.Time, actor string, action AuditAction, targetKind, targetID, outcome, detail string) AuditEvent {
	if outcome == "" {
		outcome = AuditOK
	}
	return AuditEvent{
		ID: NewID(), At: now.UTC(), Actor: cut(CleanText(actor), maxAuditField), Action: action,
		TargetKind: targetKind, TargetID: cut(CleanText(targetID), maxAuditField),
		Outcome: outcome, Detail: cut(CleanText(detail), maxAuditDetail),
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// NewID returns a random 16-hex-digit ID.
func NewID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("training: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// Validate checks an event before it is stored.
func (e AuditEvent) Validate() error {
	switch {
	case e.ID == "" || strings.ContainsAny(e.ID, ":|\x00"):
		return Invalidf("an audit event needs an ID without ':', '|'")
	case e.At.IsZero() || e.At.Before(time.Unix(0, 0)):
		return Invalidf("an audit event needs a time after 1970")
	case e.Actor == "":
		return Invalidf("an audit event needs an actor")
	case !e.Action.Valid():
		return Invalidf("audit action %q is not one of the vocabulary", e.Action)
	}
	return nil
}

// AuditKey is the sort key of an event: its time (nanoseconds since 1970,
// 16 hex digits) and ID, so that byte order is time order and two events
// of the same instant still have distinct, stable places. Backends index
// by it and use it as the paging cursor.
func AuditKey(at time.Time, id string) string {
	return fmt.Sprintf("%016x|%s", uint64(at.UnixNano()), id)
}

// AuditQuery filters the audit trail. Empty fields match everything; From
// is inclusive and To exclusive.
type AuditQuery struct {
	Actor      string
	Action     AuditAction
	TargetKind string
	TargetID   string
	From, To   time.Time
	// Limit is the page size (<= 0 or above MaxAuditPage: MaxAuditPage).
	Limit int
	// Cursor is AuditPage.Next of the previous page: events strictly older
	// than it.
	Cursor string
}

// MaxAuditPage is the largest page of events one query returns.
const MaxAuditPage = 1000

// Match reports whether e passes the query's filters (not its paging).
func (q AuditQuery) Match(e AuditEvent) bool {
	return (q.Actor == "" || strings.EqualFold(e.Actor, q.Actor)) &&
		(q.Action == "" || e.Action == q.Action) &&
		(q.TargetKind == "" || e.TargetKind == q.TargetKind) &&
		(q.TargetID == "" || e.TargetID == q.TargetID) &&
		(q.From.IsZero() || !e.At.Before(q.From)) &&
		(q.To.IsZero() || e.At.Before(q.To))
}

// PageSize is the query's limit within its bounds.
func (q AuditQuery) PageSize() int {
	if q.Limit <= 0 || q.Limit > MaxAuditPage {
		return MaxAuditPage
	}
	return q.Limit
}

// AuditPage is one page of a query, newest first. Next is the cursor of
// the following page ("" when there is none).
type AuditPage struct {
	Events []AuditEvent `json:"events"`
	Next   string       `json:"next,omitempty"`
}

// AuditStore keeps the audit trail. It is append-only: besides Append the
// only way an event leaves is PruneAudit, which the retention job runs.
type AuditStore interface {
	// AppendAudit stores an event (e.Validate must pass); ErrConflict if
	// its ID was already stored at the same time.
	AppendAudit(ctx context.Context, e AuditEvent) error
	// Audit returns the events matching q, newest first (by At, then ID
	// descending), one page at a time.
	Audit(ctx context.Context, q AuditQuery) (AuditPage, error)
	// PruneAudit deletes every event with At before before and returns how
	// many it deleted.
	PruneAudit(ctx context.Context, before time.Time) (int, error)
}

// AuditFilter is a search as people type it (web form, API query, CLI
// flags): dates as YYYY-MM-DD (London days, To inclusive) or RFC 3339
// instants, an officer ID as written in a roster.
type AuditFilter struct {
	Actor, Action, Officer, From, To string
}

// Query checks the filter and turns it into an AuditQuery.
func (f AuditFilter) Query() (AuditQuery, error) {
	q := AuditQuery{Actor: CleanText(f.Actor), Action: AuditAction(strings.TrimSpace(f.Action))}
	if q.Action != "" && !q.Action.Valid() {
		names := make([]string, len(AuditActions))
		for i, a := range AuditActions {
			names[i] = string(a)
		}
		return q, Invalidf("action %q is not one of %s", q.Action, strings.Join(names, ", "))
	}
	if id := NormalizeID(f.Officer); id != "" {
		q.TargetKind, q.TargetID = TargetOfficer, id
	}
	var err error
	if q.From, err = auditBound("from", f.From, false); err != nil {
		return q, err
	}
	if q.To, err = auditBound("to", f.To, true); err != nil {
		return q, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return q, Invalidf("the from date must be before the to date")
	}
	return q, nil
}

// auditBound reads a date (start of that London day; for an inclusive
// "to", the start of the next) or an RFC 3339 instant.
func auditBound(name, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return time.Time{}, Invalidf("%s %q must be a date (YYYY-MM-DD) or a time (RFC 3339)", name, s)
	}
	if end {
		d = d.AddDays(1)
	}
	return d.Time().UTC(), nil
}

// MaxAuditExport bounds how many events one export holds; a larger
// search is refused with advice to narrow it, never cut silently.
const MaxAuditExport = 100_000

// AuditAll returns every event matching q (its Limit and Cursor are
// ignored), newest first; ErrInvalid when more than MaxAuditExport match.
func AuditAll(ctx context.Context, st AuditStore, q AuditQuery) ([]AuditEvent, error) {
	q.Limit, q.Cursor = MaxAuditPage, ""
	out := []AuditEvent{}
	for {
		page, err := st.Audit(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Events...)
		if len(out) > MaxAuditExport {
			return nil, Invalidf("more than %d audit events match; narrow the search (dates, actor, action)", MaxAuditExport)
		}
		if page.Next == "" {
			return out, nil
		}
		q.Cursor = page.Next
	}
}
