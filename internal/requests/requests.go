// Package requests is the one home of officers' requests: an officer asks
// for more time or says a course was done elsewhere (from their own page,
// /me, through their signed link); the request is routed to those who may
// decide it; they approve or decline it (the Requests page, the API). It
// applies the rules of training (request.go), writes every step to the
// audit trail, puts the emails in the outbox, and records what an
// approval changes through Store.ApplyChanges, so the figures, the live
// model, snapshots, reminders and the team matrix all follow.
package requests

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/training"
)

// Service carries out requests against Store (the server's live store, so
// an approval refreshes the live model before the next page).
type Service struct {
	Store training.Store
	// Now is the clock.
	Now func() time.Time
	// BaseURL is the public root, for links in emails.
	BaseURL string
	// OfficerLink returns a fresh link to an officer's own page (for the
	// decision email); nil sends no link.
	OfficerLink func(officerID string) string
	// Log receives what could not be recorded (never personal data).
	Log *slog.Logger
	// Dataset reads the roster (the server passes its live model's
	// shared copy); nil reads Store.Dataset.
	Dataset func(ctx context.Context) (*training.Dataset, error)
	// Scope is what a user may see in ds (the server passes its live
	// model's cache); nil works it out with training.ScopeFor.
	Scope func(u training.User, ds *training.Dataset) training.Scope
}

func (s *Service) scope(u training.User, ds *training.Dataset) training.Scope {
	if s.Scope != nil {
		return s.Scope(u, ds)
	}
	return training.ScopeFor(u, ds)
}

func (s *Service) dataset(ctx context.Context) (*training.Dataset, error) {
	if s.Dataset != nil {
		return s.Dataset(ctx)
	}
	return s.Store.Dataset(ctx)
}

// Actor is who acts, as the audit trail names them.
type Actor struct {
	Username  string // the signed-in user, or "officer-link" for an officer
	RequestID string // the HTTP request's ID
}

// Item is a request with what a list shows about it.
type Item struct {
	training.Request
	OfficerName string `json:"officer_name"`
	Unit        string `json:"unit"`
	CourseTitle string `json:"course_title"`
	// StateNow is the state at the time of the list (lapsed included).
	StateNow training.RequestState `json:"state_now"`
	// Words says where the request is, in words.
	Words string `json:"words"`
	// MayDecide says whether the viewer may approve or decline it now.
	MayDecide bool `json:"may_decide"`
}

// actorName is how the audit names an officer acting through their link.
const actorOfficer = "officer-link"

func (s *Service) audit(ctx context.Context, by Actor, officerID, outcome, detail string) {
	actor := by.Username
	if actor == "" {
		actor = actorOfficer
	}
	e := training.NewAuditEvent(s.Now(), actor, training.AuditRequest, training.TargetOfficer, officerID, outcome, detail)
	e.RequestID = by.RequestID
	if err := s.Store.AppendAudit(context.WithoutCancel(ctx), e); err != nil && s.Log != nil {
		s.Log.Error("audit: event not recorded", "action", string(training.AuditRequest), "request_id", by.RequestID, "err", err)
	}
}

// course finds a course in use by ID.
func course(courses []training.Course, id string) (training.Course, error) {
	for _, c := range training.InUse(courses) {
		if c.ID == id {
			return c, nil
		}
	}
	return training.Course{}, training.FieldErrorf(training.KindInvalid, "course", "there is no course %q", id)
}

// AskMoreTime records an officer's request for more time on a course
// and sends it to those who may decide it. officerID comes from a
// verified link of an active officer.
func (s *Service) AskMoreTime(ctx context.Context, officerID string, ask training.ExtensionAsk, by Actor) (training.Request, error) {
	ds, rec, c, err := s.load(ctx, officerID, ask.CourseID)
	if err != nil {
		return training.Request{}, err
	}
	st := training.Evaluate(rec.Officer, c, rec.Completions, rec.Exemptions, training.DateOf(s.Now()))
	r, err := training.NewExtensionRequest(rec.Officer, c, st, ask, s.Now())
	if err != nil {
		return r, err
	}
	return s.create(ctx, ds, rec.Officer, c, r, by)
}

// ClaimDone records an officer's claim that they did a course elsewhere.
// Claims go to HR: only HR (and admins) may approve one.
func (s *Service) ClaimDone(ctx context.Context, officerID string, ask training.ClaimAsk, by Actor) (training.Request, error) {
	ds, rec, c, err := s.load(ctx, officerID, ask.CourseID)
	if err != nil {
		return training.Request{}, err
	}
	r, err := training.NewClaimRequest(rec.Officer, c, ask, s.Now())
	if err != nil {
		return r, err
	}
	return s.create(ctx, ds, rec.Officer, c, r, by)
}

func (s *Service) load(ctx context.Context, officerID, courseID string) (*training.Dataset, training.OfficerRecord, training.Course, error) {
	ds, err := s.dataset(ctx)
	if err != nil {
		return nil, training.OfficerRecord{}, training.Course{}, err
	}
	rec, err := s.Store.Officer(ctx, officerID)
	if err != nil {
		return nil, rec, training.Course{}, err
	}
	c, err := course(ds.Courses, courseID)
	return ds, rec, c, err
}

func (s *Service) create(ctx context.Context, ds *training.Dataset, o training.Officer, c training.Course, r training.Request, by Actor) (training.Request, error) {
	users, err := s.Store.Users(ctx)
	if err != nil {
		return r, err
	}
	deciders := Route(o, r.Kind, users, ds)
	for _, u := range deciders {
		r.Deciders = append(r.Deciders, u.Username)
	}
	if err := s.Store.CreateRequest(ctx, r); err != nil {
		if errors.Is(err, training.ErrConflict) {
			s.audit(ctx, by, o.ID, training.AuditDenied, fmt.Sprintf("request %s %s: another is open", r.Kind, c.ID))
		}
		return r, err
	}
	s.audit(ctx, by, o.ID, training.AuditOK, fmt.Sprintf("request %s asked: %s %s to %s", r.ID, r.Kind, c.ID, strings.Join(r.Deciders, ",")))
	var msgs []training.Message
	for _, u := range deciders {
		if u.Email == "" {
			continue
		}
		m, err := jobs.RequestMessage(jobs.TemplateRequestNew, u.Email, "request|"+o.ID+"|"+r.ID+"|new|"+u.Username, s.BaseURL,
			jobs.RequestMailData{Name: u.Username, Officer: o.Name, OfficerID: o.DisplayID, Unit: o.Unit, Course: c.Title,
				What: r.What(), Reason: r.Reason, Lapses: training.DateOf(r.Lapses()).UK(), URL: s.BaseURL + "/requests"}, s.Now())
		if err != nil {
			return r, err
		}
		msgs = append(msgs, m)
	}
	s.enqueue(ctx, msgs)
	return r, nil
}

// enqueue writes messages to the outbox; the request stands even when
// the outbox cannot be written (the Requests page shows it), which is logged.
func (s *Service) enqueue(ctx context.Context, msgs []training.Message) {
	if len(msgs) == 0 {
		return
	}
	if _, err := s.Store.Enqueue(context.WithoutCancel(ctx), msgs); err != nil && s.Log != nil {
		s.Log.Error("requests: emails not queued", "count", len(msgs), "err", err)
	}
}

// Route decides who may decide a request of officer o: for more time,
// their line manager where one has an (enabled) Muster account, else the
// managers whose units cover the officer, else HR; a claim always goes
// to HR. HR means the HR accounts, or the admins where there is none.
func Route(o training.Officer, kind training.RequestKind, users []training.User, ds *training.Dataset) []training.User {
	var out []training.User
	if kind == training.RequestExtension {
		if lm := strings.ToLower(strings.TrimSpace(o.LineManager)); lm != "" {
			lmID := training.NormalizeID(o.LineManager)
			for _, u := range users {
				if u.Disabled || u.OfficerID == "" {
					continue
				}
				id := training.NormalizeID(u.OfficerID)
				if id == lmID || (ds != nil && ds.Officers[id].Email != "" && strings.EqualFold(ds.Officers[id].Email, lm)) {
					out = append(out, u)
				}
			}
		}
		if len(out) == 0 {
			for _, u := range users {
				if !u.Disabled && u.Role == training.RoleManager && (training.Scope{Units: u.Units}).AllowsUnit(o.Unit) {
					out = append(out, u)
				}
			}
		}
	}
	if len(out) == 0 {
		for _, role := range []training.Role{training.RoleHR, training.RoleAdmin} {
			for _, u := range users {
				if !u.Disabled && u.Role == role {
					out = append(out, u)
				}
			}
			if len(out) > 0 {
				break
			}
		}
	}
	return out
}

// MayDecide reports whether u may decide r about officer o: HR and admins
// always; a claim no one else; a request for more time the managers it
// was sent to, while the officer is still in what they may see (scope,
// training.ScopeFor(u, ds)).
func MayDecide(u training.User, r training.Request, o training.Officer, scope training.Scope) bool {
	if u.Disabled {
		return false
	}
	if u.Role.SeesWholeForce() {
		return true
	}
	if r.Kind != training.RequestExtension || !slices.Contains(r.Deciders, u.Username) {
		return false
	}
	return scope.Allows(o)
}

// List returns the requests u may see (those they may decide, and for HR
// and admins all of them), newest first; open limits it to requests open now.
func (s *Service) List(ctx context.Context, u training.User, open bool) ([]Item, error) {
	now := s.Now()
	rs, err := s.Store.Requests(ctx, training.RequestQuery{Open: open, Now: now})
	if err != nil {
		return nil, err
	}
	return s.items(ctx, u, rs, now)
}

// items are the requests of rs that u may see, with what a list shows.
func (s *Service) items(ctx context.Context, u training.User, rs []training.Request, now time.Time) ([]Item, error) {
	ds, err := s.dataset(ctx)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	for _, c := range ds.Courses {
		titles[c.ID] = c.Title
	}
	out := []Item{}
	scope := s.scope(u, ds) // once: a reporting line is a walk of the roster
	for _, r := range rs {
		o := ds.Officers[r.OfficerID]
		if !u.Role.SeesWholeForce() && !MayDecide(u, r, o, scope) {
			continue
		}
		it := Item{Request: r, OfficerName: o.Name, Unit: o.Unit, CourseTitle: titles[r.CourseID], StateNow: r.StateAt(now),
			Words: r.StateWords(now)}
		it.MayDecide = it.StateNow == training.RequestOpen && MayDecide(u, r, o, scope)
		if it.CourseTitle == "" {
			it.CourseTitle = r.CourseID
		}
		out = append(out, it)
	}
	return out, nil
}

// OpenCount is how many open requests u may decide (the count in the navigation).
func (s *Service) OpenCount(ctx context.Context, u training.User) (int, error) {
	now := s.Now()
	open, err := s.Store.Requests(ctx, training.RequestQuery{Open: true, Now: now})
	if err != nil || len(open) == 0 {
		return 0, err
	}
	items, err := s.items(ctx, u, open, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if it.MayDecide {
			n++
		}
	}
	return n, nil
}

// Mine lists an officer's own requests, newest first.
func (s *Service) Mine(ctx context.Context, officerID string) ([]training.Request, error) {
	return s.Store.Requests(ctx, training.RequestQuery{OfficerID: officerID})
}

// Decision is a decider's answer.
type Decision struct {
	Approve bool
	Reason  string // why declined
}

// errNoRequest is what anyone who may not see a request is told: the same
// as for a request that does not exist.
var errNoRequest = training.NotFoundf("there is no such request")

// Decide approves or declines request id as u. Only those who may decide
// it can; approving more time moves the officer's due date (an Extension
// on the officer), approving a claim records the completion with the
// certificate as its evidence, both through ApplyChanges.
func (s *Service) Decide(ctx context.Context, u training.User, id string, d Decision, by Actor) (training.Request, error) {
	ds, err := s.dataset(ctx)
	if err != nil {
		return training.Request{}, err
	}
	r, err := s.Store.Request(ctx, id)
	if errors.Is(err, training.ErrNotFound) {
		return r, errNoRequest
	}
	if err != nil {
		return r, err
	}
	o := ds.Officers[r.OfficerID]
	scope := s.scope(u, ds)
	if !MayDecide(u, r, o, scope) {
		s.audit(ctx, by, r.OfficerID, training.AuditDenied, "request "+r.ID+" decision refused")
		if u.Role == training.RoleManager && !scope.Allows(o) {
			return r, errNoRequest
		}
		return r, training.Forbiddenf("you may not decide this request")
	}
	name := u.Username
	if u.OfficerID != "" {
		if me, ok := ds.Officers[training.NormalizeID(u.OfficerID)]; ok && me.Name != "" {
			name = me.Name
		}
	}
	now := s.Now()
	var decided training.Request
	err = s.Store.UpdateRequest(ctx, id, func(q *training.Request) error {
		if err := q.Decide(d.Approve, d.Reason, u.Username, name, now); err != nil {
			return err
		}
		decided = *q
		return nil
	})
	if err != nil {
		return r, err
	}
	decided.Certificate = r.Certificate
	if d.Approve {
		if err := s.apply(ctx, decided, u.Username, now); err != nil {
			// Undo the decision so that it can be made again.
			if uerr := s.Store.UpdateRequest(context.WithoutCancel(ctx), id, func(q *training.Request) error {
				q.State, q.DecidedBy, q.DecidedByName, q.Decided = training.RequestOpen, "", "", time.Time{}
				return nil
			}); uerr != nil && s.Log != nil {
				s.Log.Error("requests: an approval that could not be applied stays recorded", "request", id, "err", uerr)
			}
			return r, err
		}
	}
	s.audit(ctx, by, r.OfficerID, training.AuditOK, fmt.Sprintf("request %s %s: %s %s", r.ID, decided.State, r.Kind, r.CourseID))
	s.tellOfficer(ctx, decided)
	return decided, nil
}

// apply records what an approval changes, again on a conflict (someone
// changed the roster in between).
func (s *Service) apply(ctx context.Context, r training.Request, by string, now time.Time) error {
	for attempt := 0; ; attempt++ {
		rev, err := s.Store.Revision(ctx)
		if err != nil {
			return err
		}
		rec, err := s.Store.Officer(ctx, r.OfficerID)
		if err != nil {
			return err
		}
		imp := training.ImportRecord{ID: "request-" + r.ID, Kind: training.ImportRequest, By: by, At: now, Outcome: training.OutcomeApplied}
		cs := training.ChangeSet{BaseRevision: rev, Import: imp}
		switch r.Kind {
		case training.RequestExtension:
			o := rec.Officer
			o.Extensions = training.WithExtension(o.Extensions, r.CourseID, training.Extension{Until: r.Until, By: r.DecidedByName, RequestID: r.ID, At: now.UTC()})
			cs.Officers = []training.Officer{o}
			cs.Import.Summary.Updated = 1
		case training.RequestClaim:
			file := "request " + r.ID + " (done at " + r.Where + ")"
			if r.Certificate != nil {
				file = "certificate " + r.Certificate.Name + ", request " + r.ID + " (done at " + r.Where + ")"
			}
			cs.Completions = []training.Completion{{OfficerID: r.OfficerID, CourseID: r.CourseID, Date: r.Done,
				Source: training.Source{ImportID: imp.ID, File: file, By: by, At: now.UTC()}}}
			cs.Import.Summary.Completions = 1
		}
		_, err = s.Store.ApplyChanges(ctx, cs)
		if errors.Is(err, training.ErrConflict) && attempt < 5 {
			continue
		}
		return err
	}
}

// tellOfficer queues the decision email to the officer (when they have a
// usable email).
func (s *Service) tellOfficer(ctx context.Context, r training.Request) {
	ds, err := s.dataset(ctx)
	if err != nil {
		return
	}
	o := ds.Officers[r.OfficerID]
	if o.Email == "" || o.EmailInvalid {
		return
	}
	var words, title string
	for _, c := range ds.Courses {
		if c.ID == r.CourseID {
			title = c.Title
			rec, err := s.Store.Officer(ctx, r.OfficerID)
			if err == nil {
				words = training.Describe(training.Evaluate(rec.Officer, c, rec.Completions, rec.Exemptions, training.DateOf(s.Now()))).Words
			}
		}
	}
	link := ""
	if s.OfficerLink != nil {
		link = s.OfficerLink(o.ID)
	}
	m, err := jobs.RequestMessage(jobs.TemplateRequestDecided, o.Email, "request|"+o.ID+"|"+r.ID+"|decided", s.BaseURL,
		jobs.RequestMailData{Name: o.Name, Officer: o.Name, OfficerID: o.DisplayID, Unit: o.Unit, Course: title, What: r.What(),
			Outcome: string(r.State), DecidedBy: r.DecidedByName, DeclineReason: r.DeclineReason, Words: words, URL: link}, s.Now())
	if err != nil {
		if s.Log != nil {
			s.Log.Error("requests: decision email not rendered", "err", err)
		}
		return
	}
	s.enqueue(ctx, []training.Message{m})
}

// Certificate returns a request's certificate for u, who must be one who
// may decide it (HR, admins, or its deciders); the download is audited.
func (s *Service) Certificate(ctx context.Context, u training.User, id string, by Actor) (training.Certificate, error) {
	ds, err := s.dataset(ctx)
	if err != nil {
		return training.Certificate{}, err
	}
	r, err := s.Store.Request(ctx, id)
	if errors.Is(err, training.ErrNotFound) {
		return training.Certificate{}, errNoRequest
	}
	if err != nil {
		return training.Certificate{}, err
	}
	o := ds.Officers[r.OfficerID]
	if !u.Role.SeesWholeForce() && !(slices.Contains(r.Deciders, u.Username) && s.scope(u, ds).Allows(o)) {
		s.audit(ctx, by, r.OfficerID, training.AuditDenied, "request "+r.ID+" certificate refused")
		return training.Certificate{}, errNoRequest
	}
	if r.Certificate == nil {
		return training.Certificate{}, training.NotFoundf("this request has no certificate")
	}
	s.audit(ctx, by, r.OfficerID, training.AuditOK, "request "+r.ID+" certificate downloaded")
	return *r.Certificate, nil
}
