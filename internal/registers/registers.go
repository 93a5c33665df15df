// Package registers is the one home of the "record a classroom register"
// use case, which the Registers pages, the API (/api/v1/registers) and
// the sign-in sheet call: preview a register (each ID's name and unit,
// unknown IDs, people outside the course's audience, people already
// compliant) without saving anything, save it once confirmed (one
// completion per attendee, the register as their source, through the
// store's ApplyChanges so the live figures follow), list registers,
// withdraw one within training.RegisterWithdrawDays (exactly the
// completions it added), and the people a trainer may tick or print.
// Saving and withdrawing write their audit events here, so no edge can
// forget one. The rules live in training/register.go.
package registers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/muster-police/muster/training"
)

// Service carries out the register use cases against Store.
type Service struct {
	Store training.Store
	// Data returns the roster to preview against (the live model's
	// cached Dataset); nil reads Store.Dataset. Saving always reads the
	// store, so that the change set is planned at the store's revision.
	Data func(ctx context.Context) (*training.Dataset, error)
	Now  func() time.Time
	// Log receives audit events that could not be recorded (never their content).
	Log *slog.Logger
}

// Actor is who asks, and the request for the audit trail.
type Actor struct {
	User      training.User
	RequestID string
}

// Preview is a register as it would be saved: nothing is written.
type Preview struct {
	Register training.Register // without ID, By and At
	Course   training.Course
	Lines    []training.RegisterLine
	// Counts of the flags, for the summary.
	Recorded, Unknown, NotRequired, Compliant int
}

// Entry is a register as the list shows it.
type Entry struct {
	training.Register
	Course string // the course's title
	// CanWithdraw is set while the viewer may still withdraw it.
	CanWithdraw bool
}

// Person is someone a trainer may tick or sign in: the name and unit
// recording needs, nothing else.
type Person struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Unit string `json:"unit"`
}

func (s *Service) data(ctx context.Context) (*training.Dataset, error) {
	if s.Data != nil {
		return s.Data(ctx)
	}
	return s.Store.Dataset(ctx)
}

func allowed(by Actor) error {
	if !by.User.Role.RecordsRegisters() {
		return training.Forbiddenf("your role (%s) may not record registers", by.User.Role)
	}
	return nil
}

// Preview checks a register and says what saving it would record.
func (s *Service) Preview(ctx context.Context, by Actor, in training.RegisterInput) (*Preview, error) {
	if err := allowed(by); err != nil {
		return nil, err
	}
	ds, err := s.data(ctx)
	if err != nil {
		return nil, err
	}
	return preview(ds, in, training.DateOf(s.Now()))
}

func preview(ds *training.Dataset, in training.RegisterInput, today training.Date) (*Preview, error) {
	r, lines, err := training.CheckRegister(ds, in, today)
	if err != nil {
		return nil, err
	}
	c, _ := training.FindCourse(ds.Courses, r.CourseID)
	p := &Preview{Register: r, Course: c, Lines: lines}
	for _, l := range lines {
		switch {
		case l.Unknown:
			p.Unknown++
			continue
		case l.NotRequired:
			p.NotRequired++
		case l.Compliant:
			p.Compliant++
		}
		p.Recorded++
	}
	return p, nil
}

// ErrNotConfirmed answers a save that was not confirmed: a conflict on the
// field "confirm", the name every confirmation of the API and the pages uses.
var ErrNotConfirmed = training.FieldErrorf(training.KindConflict, "confirm",
	"look at the preview (POST /api/v1/registers/preview) and confirm to save the register")

// Save records the register: one completion per known attendee, under an
// import log entry of kind register, in one ApplyChanges. It saves
// nothing unless confirmed, nor a register whose IDs are all unknown.
func (s *Service) Save(ctx context.Context, by Actor, in training.RegisterInput, confirmed bool) (training.Register, error) {
	if err := allowed(by); err != nil {
		return training.Register{}, err
	}
	now := s.Now()
	if !confirmed {
		// Nothing is written: checked against the cached roster, as the
		// preview is, so that a save never confirmed costs no read of the
		// whole roster from the store.
		if _, err := s.Preview(ctx, by, in); err != nil {
			return training.Register{}, err
		}
		return training.Register{}, ErrNotConfirmed
	}
	ds, err := s.Store.Dataset(ctx)
	if err != nil {
		return training.Register{}, err
	}
	p, err := preview(ds, in, training.DateOf(now))
	if err != nil {
		return training.Register{}, err
	}
	if p.Recorded == 0 {
		return training.Register{}, training.FieldErrorf(training.KindInvalid, "ids", "none of the IDs given is a serving person on the roster: nothing to save")
	}
	r := p.Register
	r.ID, r.By, r.At = newID(now), by.User.Username, now
	comps := r.Completions()
	for _, c := range comps {
		if !slices.ContainsFunc(ds.Completions[c.OfficerID], func(h training.Completion) bool { return training.SameCompletion(h, c) }) {
			r.Added++
		}
	}
	cs := training.ChangeSet{BaseRevision: ds.Revision, Import: r.ImportRecord(), Completions: comps}
	if _, err := s.Store.ApplyChanges(ctx, cs); err != nil {
		return training.Register{}, err
	}
	s.audit(ctx, by, training.AuditRegisterSaved, r.ID,
		fmt.Sprintf("course %s, session %s, %d attendees, %d completions added", r.CourseID, r.Date, len(r.Attendees), r.Added))
	return r, nil
}

// List returns the registers the viewer may see, newest first: a
// trainer's own, every register for HR and admins.
func (s *Service) List(ctx context.Context, by Actor) ([]Entry, error) {
	if err := allowed(by); err != nil {
		return nil, err
	}
	recs, err := s.Store.Imports(ctx, 0)
	if err != nil {
		return nil, err
	}
	courses, err := s.Store.Courses(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := []Entry{}
	for _, rec := range recs {
		if rec.Kind != training.ImportRegister || (!by.User.Role.SeesWholeForce() && rec.By != by.User.Username) {
			continue
		}
		r, err := training.RegisterOf(rec)
		if training.KindOf(err) == training.KindNotFound {
			continue // its details were dropped by retention
		}
		if err != nil {
			return nil, err
		}
		e := Entry{Register: r, Course: r.CourseID, CanWithdraw: r.CanWithdraw(by.User, now) == nil}
		if c, ok := training.FindCourse(courses, r.CourseID); ok {
			e.Course = c.Title
		}
		out = append(out, e)
	}
	return out, nil
}

// Get returns one register the viewer may see; a trainer asking for
// another user's register gets ErrNotFound, as for one that does not exist.
func (s *Service) Get(ctx context.Context, by Actor, id string) (training.Register, error) {
	if err := allowed(by); err != nil {
		return training.Register{}, err
	}
	rec, err := s.Store.Import(ctx, id)
	if training.KindOf(err) == training.KindNotFound {
		return training.Register{}, training.NotFoundf("there is no register %q", id)
	}
	if err != nil {
		return training.Register{}, err
	}
	r, err := training.RegisterOf(rec)
	if err != nil {
		return training.Register{}, err
	}
	if !by.User.Role.SeesWholeForce() && r.By != by.User.Username {
		return training.Register{}, training.NotFoundf("there is no register %q", id)
	}
	return r, nil
}

// Withdraw takes back the completions register id added (not the same
// completion another source recorded), while the rule allows it.
func (s *Service) Withdraw(ctx context.Context, by Actor, id string) (training.Register, error) {
	r, err := s.Get(ctx, by, id)
	if err != nil {
		return training.Register{}, err
	}
	now := s.Now()
	if err := r.CanWithdraw(by.User, now); err != nil {
		return training.Register{}, err
	}
	removed := r.Completions()
	others, err := s.standing(ctx, r)
	if err != nil {
		return training.Register{}, err
	}
	r.WithdrawnBy, r.WithdrawnAt = by.User.Username, now
	if _, err := s.Store.WithdrawImport(ctx, training.Withdrawal{Record: r.ImportRecord(), Removed: removed,
		HandedOver: training.HandOver(removed, others)}); err != nil {
		return training.Register{}, err
	}
	s.audit(ctx, by, training.AuditRegisterWithdrawn, r.ID,
		fmt.Sprintf("course %s, session %s, %d attendees' completions taken back", r.CourseID, r.Date, len(r.Attendees)))
	return r, nil
}

// standing lists the other registers of r's course and session date that
// are not withdrawn: withdrawing r hands them the completions they also
// record (training.HandOver).
func (s *Service) standing(ctx context.Context, r training.Register) ([]training.Register, error) {
	recs, err := s.Store.Imports(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []training.Register
	for _, rec := range recs {
		if rec.Kind != training.ImportRegister || rec.ID == r.ID || rec.Outcome != training.OutcomeApplied {
			continue
		}
		o, err := training.RegisterOf(rec)
		if err != nil || o.CourseID != r.CourseID || o.Date != r.Date {
			continue // a register whose details retention removed says nothing
		}
		out = append(out, o)
	}
	return out, nil
}

// Units lists the roster's units, for the pickers.
func (s *Service) Units(ctx context.Context, by Actor) ([]string, error) {
	if err := allowed(by); err != nil {
		return nil, err
	}
	ds, err := s.data(ctx)
	if err != nil {
		return nil, err
	}
	return training.RosterUnits(ds), nil
}

// People lists a unit's serving people (names and units only), for ticking.
func (s *Service) People(ctx context.Context, by Actor, unit string) ([]Person, error) {
	ds, unit, err := s.unit(ctx, by, unit)
	if err != nil {
		return nil, err
	}
	return persons(training.UnitPeople(ds, unit)), nil
}

// Sheet is a printable sign-in sheet: the unit's people who must do the
// course and are not compliant on the day.
type Sheet struct {
	Course training.Course
	Unit   string
	Date   training.Date
	People []Person
}

// SignInSheet lists who is expected at a session of course in unit on date.
func (s *Service) SignInSheet(ctx context.Context, by Actor, course, unit, date string) (Sheet, error) {
	ds, unit, err := s.unit(ctx, by, unit)
	if err != nil {
		return Sheet{}, err
	}
	c, ok := training.FindCourse(ds.Courses, course)
	if !ok {
		return Sheet{}, training.FieldErrorf(training.KindInvalid, "course", "there is no course %q", course)
	}
	d := training.DateOf(s.Now())
	if date != "" {
		if d, err = training.ParseDate(date); err != nil {
			return Sheet{}, training.FieldErrorf(training.KindInvalid, "date", "enter the session's date as YYYY-MM-DD")
		}
	}
	return Sheet{Course: c, Unit: unit, Date: d, People: persons(training.Expected(ds, c, unit, d))}, nil
}

func (s *Service) unit(ctx context.Context, by Actor, unit string) (*training.Dataset, string, error) {
	if err := allowed(by); err != nil {
		return nil, "", err
	}
	ds, err := s.data(ctx)
	if err != nil {
		return nil, "", err
	}
	if training.ParseUnit(unit) == "" {
		return nil, "", training.FieldErrorf(training.KindInvalid, "unit", "choose a unit")
	}
	units, err := training.CheckUnits(ds, []string{unit})
	if err != nil {
		return nil, "", training.FieldErrorf(training.KindInvalid, "unit", "%s", training.MessageOf(err))
	}
	return ds, units[0], nil
}

func persons(os []training.Officer) []Person {
	out := make([]Person, len(os))
	for i, o := range os {
		id := o.DisplayID
		if id == "" {
			id = o.ID
		}
		out[i] = Person{ID: id, Name: o.Name, Unit: o.Unit}
	}
	return out
}

// audit records a register event. A failure to record is logged and does
// not fail the change, which has already happened.
func (s *Service) audit(ctx context.Context, by Actor, action training.AuditAction, id, detail string) {
	e := training.NewAuditEvent(s.Now(), by.User.Username, action, training.TargetRegister, id, training.AuditOK, detail)
	e.RequestID = by.RequestID
	if err := s.Store.AppendAudit(context.WithoutCancel(ctx), e); err != nil && s.Log != nil {
		s.Log.Error("audit event not recorded", "action", action, "register", id, "err", err)
	}
}

// newID names a register: when it was saved, and 4 random bytes so that
// two saved in the same instant never share one.
func newID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return training.RegisterIDPrefix + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}
