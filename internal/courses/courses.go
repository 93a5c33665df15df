// Package courses is the one home of the "change the courses" use case,
// which the command (muster courses apply), the API (PUT /api/v1/courses)
// and the Courses page all call: check the new definitions, preview what
// each change of rules does to who must do the course (docs/COMPLIANCE.md,
// "Changing who must do a course"), refuse a large change that was not
// confirmed, then write the people's requirement dates and the courses,
// and record the change in the audit trail with its before and after.
package courses

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"time"

	"github.com/muster-police/muster/training"
)

// Plan is what a set of course definitions would change, worked out
// against the store's data as of one date. It writes nothing.
type Plan struct {
	// Changes holds one entry per course that is new or different, in the
	// order given; unchanged courses are left out.
	Changes []Change
	// Unchanged counts the courses given that are exactly as stored.
	Unchanged int
	// baseRevision is the roster revision the previews were computed at.
	baseRevision int64
}

// Change is one course's new definition, the stored one it replaces (nil
// when new) and what it does to the people who must do it.
type Change struct {
	Course  training.Course
	Old     *training.Course
	Preview training.CourseChange
}

// Created and Updated count the new and changed courses.
func (p *Plan) Created() int { return p.count(true) }

// Updated counts the changed courses.
func (p *Plan) Updated() int { return p.count(false) }

func (p *Plan) count(created bool) int {
	n := 0
	for _, c := range p.Changes {
		if (c.Old == nil) == created {
			n++
		}
	}
	return n
}

// NeedsConfirmation reports whether any change alters more than
// training.ConfirmShare percent of its course's required people.
func (p *Plan) NeedsConfirmation() bool {
	for _, c := range p.Changes {
		if c.Preview.NeedsConfirmation() {
			return true
		}
	}
	return false
}

// NewPlan normalises and checks the courses given (IDs, fields, audiences,
// names against each other and the stored courses), and previews each one
// that differs from what is stored, as of today.
func NewPlan(ctx context.Context, st training.Store, in []training.Course, today training.Date) (*Plan, error) {
	if len(in) == 0 {
		return nil, training.Invalidf("give at least one course")
	}
	seen := map[string]bool{}
	for i := range in {
		in[i] = in[i].Normalize()
		if err := in[i].Validate(); err != nil {
			return nil, err
		}
		if seen[in[i].ID] {
			return nil, training.Invalidf("course %q appears twice", in[i].ID)
		}
		seen[in[i].ID] = true
	}
	existing, err := st.Courses(ctx)
	if err != nil {
		return nil, err
	}
	if err := training.CheckCourseNames(existing, in...); err != nil {
		return nil, err
	}
	ds, err := st.Dataset(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]training.Course{}
	for _, c := range existing {
		byID[c.ID] = c.Normalize()
	}
	p := &Plan{baseRevision: ds.Revision}
	for _, c := range in {
		ch := Change{Course: c}
		if old, ok := byID[c.ID]; ok {
			if reflect.DeepEqual(old, c) {
				p.Unchanged++
				continue
			}
			ch.Old = &old
		}
		ch.Preview = training.PreviewCourseChange(ds, ch.Old, c, today)
		p.Changes = append(p.Changes, ch)
	}
	return p, nil
}

// ErrNeedsConfirmation is returned (wrapping training.ErrConflict, so every
// edge answers it as a conflict to resolve) when a plan that needs
// confirmation is applied without it.
type ErrNeedsConfirmation struct{ Plan *Plan }

func (e *ErrNeedsConfirmation) Error() string { return e.domain().Error() }

// domain is the error as the edges read it: a conflict, field "confirm".
func (e *ErrNeedsConfirmation) domain() *training.Error {
	return training.FieldErrorf(training.KindConflict, "confirm", "%s — that is more than 20%% of a course's required people; look at the preview and confirm", e.Plan.Summary())
}

// Is makes errors.Is(err, training.ErrConflict) true.
func (e *ErrNeedsConfirmation) Is(target error) bool { return target == training.ErrConflict }

// As lets errors.As find the *training.Error the edges map.
func (e *ErrNeedsConfirmation) As(target any) bool { return training.SetAs(target, e.domain()) }

// Summary says in one sentence what the plan changes, course by course.
func (p *Plan) Summary() string {
	if len(p.Changes) == 0 {
		return fmt.Sprintf("nothing to change: all %d courses are as stored", p.Unchanged)
	}
	s := ""
	for i, c := range p.Changes {
		if i > 0 {
			s += "; "
		}
		s += c.Sentence()
	}
	return s
}

// Sentence says what one change does, e.g. "cse-recognition: 1,204
// people become required, 310 stop being required, 0 overdue at once
// (required 8,112 → 9,006)".
func (c Change) Sentence() string {
	pv := c.Preview
	if c.Old == nil {
		return fmt.Sprintf("%s (new): required of %d people, %d overdue at once", c.Course.ID, pv.RequiredAfter, pv.OverdueAtOnce)
	}
	return fmt.Sprintf("%s: %d become required, %d stop being required, %d overdue at once (required %d → %d)",
		c.Course.ID, pv.Joining, pv.Leaving, pv.OverdueAtOnce, pv.RequiredBefore, pv.RequiredAfter)
}

// Actor is who makes the change, for the audit trail.
type Actor struct {
	Name      string
	RequestID string
}

// Apply writes the plan: first the requirement dates of the people the new
// audiences move (one atomic change set, checked against the revision the
// plan was previewed at), then the courses (one atomic write). Written in
// that order, a failure between the two leaves the old audiences with R
// dates recorded for people they do not cover, which no figure reads,
// rather than new audiences without the dates that keep newcomers from
// being overdue at once. A plan that needs confirmation is refused unless
// confirmed. Each changed course gets an audit event with its audience
// before and after.
func Apply(ctx context.Context, st training.Store, p *Plan, confirmed bool, by Actor, now time.Time) error {
	if len(p.Changes) == 0 {
		return nil
	}
	if p.NeedsConfirmation() && !confirmed {
		return &ErrNeedsConfirmation{Plan: p}
	}
	if officers := p.officers(); len(officers) > 0 {
		id := "course-" + now.UTC().Format("20060102T150405.000000000")
		cs := training.ChangeSet{BaseRevision: p.baseRevision, Officers: officers,
			Import: training.ImportRecord{ID: id, Kind: training.ImportCourse, At: now, By: by.Name, Outcome: training.OutcomeApplied,
				Summary: training.ImportSummary{Updated: len(officers)}}}
		if _, err := st.ApplyChanges(ctx, cs); err != nil {
			return err
		}
	}
	courses := make([]training.Course, len(p.Changes))
	for i, c := range p.Changes {
		courses[i] = c.Course
	}
	if err := st.PutCourses(ctx, courses); err != nil {
		return err
	}
	for _, c := range p.Changes {
		e := training.NewAuditEvent(now, by.Name, training.AuditCourseChanged, training.TargetCourse, c.Course.ID, training.AuditOK, auditDetail(c))
		e.RequestID = by.RequestID
		if err := st.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
			return fmt.Errorf("course %s saved, but its audit event was not recorded: %w", c.Course.ID, err)
		}
	}
	return nil
}

// officers folds the changes' officer records into one record per person:
// each preview started from the same stored record and changed only its
// own course's date, so each course's entry is taken from its own preview.
func (p *Plan) officers() []training.Officer {
	byID := map[string]training.Officer{}
	for _, c := range p.Changes {
		for _, o := range c.Preview.Officers {
			cur, ok := byID[o.ID]
			if !ok {
				byID[o.ID] = o
				continue
			}
			cur.RequiredSince = training.WithRequiredSince(cur.RequiredSince, c.Course.ID, o.RequiredSince[c.Course.ID])
			byID[o.ID] = cur
		}
	}
	out := make([]training.Officer, 0, len(byID))
	for _, o := range byID {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// auditDetail is the change's counts and the audience before and after
// (rules, never people).
func auditDetail(c Change) string {
	aud := func(a *training.Course) string {
		if a == nil || a.Audience.IsZero() {
			return "everyone"
		}
		b, _ := json.Marshal(a.Audience)
		return string(b)
	}
	return fmt.Sprintf("%s; audience before: %s; after: %s", c.Sentence(), aud(c.Old), aud(&c.Course))
}
