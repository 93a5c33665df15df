package training

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the one home of the rules of officers' requests
// (docs/COMPLIANCE.md, "Officers' requests"): what a request may ask,
// when it lapses, and what an approved extension does to a due date.

// RequestKind says what an officer asks for.
type RequestKind string

// Request kinds.
const (
	// RequestExtension is "More time": a later due date for one course.
	RequestExtension RequestKind = "extension"
	// RequestClaim is "Done elsewhere": a completion made at another force
	// or provider, with an optional certificate.
	RequestClaim RequestKind = "claim"
)

// RequestState is where a request is. An open request past its lapse
// date is lapsed (RequestState is then computed, see Request.StateAt).
type RequestState string

// Request states.
const (
	RequestOpen     RequestState = "open"
	RequestApproved RequestState = "approved"
	RequestDeclined RequestState = "declined"
	RequestLapsed   RequestState = "lapsed"
)

// Bounds of a request.
const (
	// DefaultMaxExtensionDays is how far past the current due date an
	// extension may reach when the course sets no max_extension_days.
	DefaultMaxExtensionDays = 60
	// MaxRequestReason bounds a reason (More time) and a decline reason, in characters.
	MaxRequestReason = 500
	// MaxRequestWhere bounds where a course was done elsewhere, in characters.
	MaxRequestWhere = 200
	// MaxCertificateBytes bounds a certificate: 5 MB.
	MaxCertificateBytes = 5 << 20
	// RequestLapseDays is how long a request waits for a decision.
	RequestLapseDays = 30
)

// CertificateTypes are the content types a certificate may have, decided
// from its bytes by net/http.DetectContentType (the WHATWG MIME Sniffing
// signatures: "%PDF-", "\x89PNG\r\n\x1a\n", "\xFF\xD8\xFF"; read in Go's
// src/net/http/sniff.go), never from its name.
var CertificateTypes = []string{"application/pdf", "image/png", "image/jpeg"}

// Certificate is a file an officer sends with a Done elsewhere request.
type Certificate struct {
	Name string `json:"name"` // as uploaded, for the download's file name only
	Type string `json:"type"` // sniffed from Data
	Data []byte `json:"-"`
}

// Size is the certificate's length in bytes.
func (c Certificate) Size() int { return len(c.Data) }

// Request is an officer's request about one course.
type Request struct {
	ID        string      `json:"id"`
	Kind      RequestKind `json:"kind"`
	OfficerID string      `json:"officer_id"`
	CourseID  string      `json:"course_id"`
	// Until is the due date asked for (More time).
	Until Date `json:"until,omitzero"`
	// Reason is why (More time), at most MaxRequestReason characters.
	Reason string `json:"reason,omitempty"`
	// Done and Where say when and where the course was done (Done elsewhere).
	Done  Date   `json:"done,omitzero"`
	Where string `json:"where,omitempty"`
	// Certificate is the evidence (Done elsewhere, optional). Lists leave
	// its Data out; Store.Request returns it whole.
	Certificate *Certificate `json:"certificate,omitempty"`
	// Due is the officer's due date when they asked (More time).
	Due Date `json:"due,omitzero"`
	// Deciders are the usernames the request was sent to (besides HR and
	// admins, who may always decide).
	Deciders []string     `json:"deciders"`
	Created  time.Time    `json:"created"`
	State    RequestState `json:"state"`
	// DecidedBy is the username, DecidedByName how the decision is signed.
	DecidedBy     string    `json:"decided_by,omitempty"`
	DecidedByName string    `json:"decided_by_name,omitempty"`
	Decided       time.Time `json:"decided,omitzero"`
	// DeclineReason says why a request was declined.
	DeclineReason string `json:"decline_reason,omitempty"`
}

// Lapses is when an undecided request lapses.
func (r Request) Lapses() time.Time { return r.Created.AddDate(0, 0, RequestLapseDays) }

// StateAt is the request's state at now: an open request lapses at Lapses.
func (r Request) StateAt(now time.Time) RequestState {
	if r.State == RequestOpen && !now.Before(r.Lapses()) {
		return RequestLapsed
	}
	return r.State
}

// OpenAt reports whether the request still waits for a decision at now.
func (r Request) OpenAt(now time.Time) bool { return r.StateAt(now) == RequestOpen }

// RequestKey is what "one open request per person and course" is keyed on.
func RequestKey(officerID, courseID string) string { return officerID + "|" + courseID }

// Key is the request's RequestKey.
func (r Request) Key() string { return RequestKey(r.OfficerID, r.CourseID) }

// StateWords says where a request is, for people: "Waiting for a
// decision until 24/12/2026", "Approved by Sam Sergeant on 01/12/2026",
// "Declined by … : reason", "Lapsed on … without a decision".
func (r Request) StateWords(now time.Time) string {
	switch r.StateAt(now) {
	case RequestOpen:
		return "Waiting for a decision (lapses on " + DateOf(r.Lapses()).UK() + ")"
	case RequestApproved:
		return "Approved by " + r.DecidedByName + " on " + DateOf(r.Decided).UK()
	case RequestDeclined:
		return "Declined by " + r.DecidedByName + " on " + DateOf(r.Decided).UK() + ": " + r.DeclineReason
	case RequestLapsed:
		return "Lapsed on " + DateOf(r.Lapses()).UK() + " without a decision; you may ask again"
	}
	return string(r.State)
}

// What says what was asked, in words.
func (r Request) What() string {
	if r.Kind == RequestExtension {
		return "More time: until " + r.Until.UK() + " (due " + r.Due.UK() + ")"
	}
	s := "Done elsewhere: on " + r.Done.UK() + " at " + r.Where
	if r.Certificate != nil {
		s += ", with a certificate"
	}
	return s
}

// MaxExtension is the latest due date an extension of course c may reach
// from base: the officer's current due date, or today when that is past.
func MaxExtension(c Course, due Date) Date { return due.AddDays(c.ExtensionDays()) }

// ExtensionDays is the course's max_extension_days, or the default.
func (c Course) ExtensionDays() int {
	if c.MaxExtensionDays <= 0 {
		return DefaultMaxExtensionDays
	}
	return c.MaxExtensionDays
}

// ExtensionBase is the date the days of an extension count from: the
// officer's due date, or today when that is already past.
func ExtensionBase(due Date, now time.Time) Date {
	if today := DateOf(now); due.Before(today) {
		return today
	}
	return due
}

// ExtensionAsk is what an officer sends for More time.
type ExtensionAsk struct {
	CourseID string
	Until    Date
	Reason   string
}

// ClaimAsk is what an officer sends for Done elsewhere.
type ClaimAsk struct {
	CourseID    string
	Done        Date
	Where       string
	Certificate *Certificate
}

// NewExtensionRequest checks an ask for more time against the officer's
// standing on the course today (st, from Evaluate) and returns the
// request. The course must be one they must do and have not done: a
// compliant, exempt or not-required course has no due date to move.
func NewExtensionRequest(o Officer, c Course, st CourseStatus, ask ExtensionAsk, now time.Time) (Request, error) {
	reason := CleanText(ask.Reason)
	// Someone already overdue counts the days from today: measured from a
	// due date long past, every date allowed would be past too.
	base := ExtensionBase(st.Due, now)
	switch {
	case st.Status != StatusOverdue && st.Status != StatusDueSoon && st.Status != StatusOutstanding:
		return Request{}, FieldErrorf(KindInvalid, "course", "%s is %s for you: there is no due date to move", c.Title, strings.ToLower(StatusLabel(st.Status)))
	case ask.Until.IsZero():
		return Request{}, FieldErrorf(KindInvalid, "until", "give the date you need, as DD/MM/YYYY")
	case !ask.Until.After(base):
		return Request{}, FieldErrorf(KindInvalid, "until", "the new date must be after %s", base.UK())
	case ask.Until.After(MaxExtension(c, base)):
		return Request{}, FieldErrorf(KindInvalid, "until", "the new date may be at most %d days after %s: %s at the latest", c.ExtensionDays(), base.UK(), MaxExtension(c, base).UK())
	case reason == "":
		return Request{}, FieldErrorf(KindInvalid, "reason", "say why you need more time")
	case utf8.RuneCountInString(reason) > MaxRequestReason:
		return Request{}, FieldErrorf(KindInvalid, "reason", "the reason may be at most %d characters (it is %d)", MaxRequestReason, utf8.RuneCountInString(reason))
	case HasFormatChars(reason):
		return Request{}, FieldErrorf(KindInvalid, "reason", "the reason must not hold invisible formatting characters")
	}
	return Request{ID: NewID(), Kind: RequestExtension, OfficerID: o.ID, CourseID: c.ID, Until: ask.Until,
		Reason: reason, Due: st.Due, Created: now.UTC(), State: RequestOpen, Deciders: []string{}}, nil
}

// NewClaimRequest checks a Done elsewhere ask: a date not in the future
// (and not before the officer could have done it: 1990), a place, and a
// certificate that is a PDF, PNG or JPEG of at most MaxCertificateBytes by
// its content.
func NewClaimRequest(o Officer, c Course, ask ClaimAsk, now time.Time) (Request, error) {
	where := CleanText(ask.Where)
	today := DateOf(now)
	switch {
	case ask.Done.IsZero():
		return Request{}, FieldErrorf(KindInvalid, "done", "give the date you did the course, as DD/MM/YYYY")
	case ask.Done.After(today):
		return Request{}, FieldErrorf(KindInvalid, "done", "the date you did the course cannot be in the future")
	case ask.Done.Before(NewDate(1990, 1, 1)):
		return Request{}, FieldErrorf(KindInvalid, "done", "the date %s is too long ago", ask.Done.UK())
	case where == "":
		return Request{}, FieldErrorf(KindInvalid, "where", "say where you did the course")
	case utf8.RuneCountInString(where) > MaxRequestWhere:
		return Request{}, FieldErrorf(KindInvalid, "where", "where may be at most %d characters", MaxRequestWhere)
	case HasFormatChars(where):
		return Request{}, FieldErrorf(KindInvalid, "where", "where must not hold invisible formatting characters")
	}
	var cert *Certificate
	if ask.Certificate != nil && len(ask.Certificate.Data) > 0 {
		t, err := CheckCertificate(ask.Certificate.Data)
		if err != nil {
			return Request{}, err
		}
		cert = &Certificate{Name: certificateName(ask.Certificate.Name, t), Type: t, Data: ask.Certificate.Data}
	}
	return Request{ID: NewID(), Kind: RequestClaim, OfficerID: o.ID, CourseID: c.ID, Done: ask.Done, Where: where,
		Certificate: cert, Created: now.UTC(), State: RequestOpen, Deciders: []string{}}, nil
}

// CheckCertificate returns the content type of a certificate's bytes, or
// an invalid-field error when they are too large or not a PDF, PNG or JPEG.
func CheckCertificate(b []byte) (string, error) {
	if len(b) > MaxCertificateBytes {
		return "", FieldErrorf(KindInvalid, "certificate", "the certificate may be at most %d MB", MaxCertificateBytes>>20)
	}
	t, _, _ := strings.Cut(http.DetectContentType(b), ";")
	for _, ok := range CertificateTypes {
		if t == ok {
			return t, nil
		}
	}
	return "", FieldErrorf(KindInvalid, "certificate", "the certificate must be a PDF, PNG or JPEG file (this one is not, whatever its name says)")
}

// certificateName keeps a safe file name whose extension matches the
// sniffed type.
func certificateName(name, typ string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, CleanText(name))
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		name = "certificate"
	}
	switch typ {
	case "application/pdf":
		return name + ".pdf"
	case "image/png":
		return name + ".png"
	}
	return name + ".jpg"
}

// Decide records a decision on an open request at now; ErrConflict when
// it is no longer open (decided, or lapsed).
func (r *Request) Decide(approve bool, reason, by, byName string, now time.Time) error {
	switch st := r.StateAt(now); st {
	case RequestOpen:
	case RequestLapsed:
		return Conflictf("this request lapsed on %s without a decision; the officer may ask again", DateOf(r.Lapses()).UK())
	default:
		return Conflictf("this request was already %s by %s", st, r.DecidedByName)
	}
	reason = CleanText(reason)
	if !approve {
		switch {
		case reason == "":
			return FieldErrorf(KindInvalid, "reason", "say why the request is declined")
		case utf8.RuneCountInString(reason) > MaxRequestReason:
			return FieldErrorf(KindInvalid, "reason", "the reason may be at most %d characters", MaxRequestReason)
		}
		r.State, r.DeclineReason = RequestDeclined, reason
	} else {
		r.State = RequestApproved
	}
	r.DecidedBy, r.DecidedByName, r.Decided = by, byName, now.UTC()
	return nil
}

// Extension is an approved request for more time on one course: the
// person's due date for it is Until while Until is later than the due
// date Evaluate would otherwise give (Officer.Extensions).
type Extension struct {
	Until Date `json:"until"`
	// By is the name of who approved it, as every page shows it.
	By        string    `json:"by"`
	RequestID string    `json:"request_id"`
	At        time.Time `json:"at"`
}

// ExtensionWords is the one wording of an extension: "extended to
// 24/12/2026 by Sam Sergeant".
func ExtensionWords(e Extension) string {
	return "extended to " + e.Until.UK() + " by " + e.By
}

// WithExtension returns a copy of m (an Officer.Extensions) with course's
// extension set; m itself is never changed (it may be shared with a stored record).
func WithExtension(m map[string]Extension, course string, e Extension) map[string]Extension {
	out := make(map[string]Extension, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[course] = e
	return out
}

// RequestQuery filters a list of requests.
type RequestQuery struct {
	// OfficerID, when set, lists that officer's requests only.
	OfficerID string
	// Open lists requests still open at Now only.
	Open bool
	Now  time.Time
}

// Match reports whether r passes the query.
func (q RequestQuery) Match(r Request) bool {
	return (q.OfficerID == "" || r.OfficerID == q.OfficerID) && (!q.Open || r.OpenAt(q.Now))
}

// SortRequests orders requests as Store.Requests returns them: newest
// first (by Created, then ID descending).
func SortRequests(rs []Request) {
	sort.Slice(rs, func(i, j int) bool {
		if !rs[i].Created.Equal(rs[j].Created) {
			return rs[i].Created.After(rs[j].Created)
		}
		return rs[i].ID > rs[j].ID
	})
}

// RequestStore keeps officers' requests with their certificates.
type RequestStore interface {
	// CreateRequest stores a new request, with its certificate. It fails
	// with ErrConflict when the officer already has a request for the
	// course that is open at r.Created, and with ErrInvalid when the
	// certificate is over MaxCertificateBytes. The check and the write are
	// atomic across replicas.
	CreateRequest(ctx context.Context, r Request) error
	// Request returns one request with its certificate's bytes.
	Request(ctx context.Context, id string) (Request, error)
	// Requests lists the requests q matches, newest first, without
	// certificates' bytes (their name and type are kept).
	Requests(ctx context.Context, q RequestQuery) ([]Request, error)
	// UpdateRequest reads a request, lets fn change it and writes it back
	// atomically; an error from fn aborts. ID, officer, course, kind and
	// certificate cannot change.
	UpdateRequest(ctx context.Context, id string, fn func(*Request) error) error
	// DeleteRequestsOf deletes every request of these officers, open or
	// decided, with its certificate (the retention job, before a leaver
	// is anonymised: a reason may say why someone was off sick), and
	// returns how many went. The deletion is atomic across replicas.
	DeleteRequestsOf(ctx context.Context, officerIDs []string) (int, error)
}

// CheckRequestBounds is the bound both backends check before a write.
func CheckRequestBounds(r Request) error {
	if r.ID == "" || r.OfficerID == "" || r.CourseID == "" {
		return Invalidf("a request needs an ID, an officer and a course")
	}
	if r.Certificate != nil && len(r.Certificate.Data) > MaxCertificateBytes {
		return FieldErrorf(KindInvalid, "certificate", "the certificate may be at most %d MB", MaxCertificateBytes>>20)
	}
	return nil
}
