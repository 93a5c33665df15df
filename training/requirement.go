package training

import (
	"maps"
	"sort"
)

// MoveRequirements records, on next, the date R for each course whose
// audience the person enters between prev (their stored record; nil for a
// person Muster has not seen) and next (the record an import is about to
// write): R is inPost (the file's in-post-since date for them) or, where
// the file gives none, on (the day of the import). Leaving an audience
// forgets R, so that re-entering sets it again. A person seen for the first
// time keeps the default R (start date, else first seen). Retired courses
// are left alone. next.RequiredSince is never shared with prev's map.
func MoveRequirements(prev *Officer, next *Officer, courses []Course, on, inPost Date) {
	if prev == nil {
		return
	}
	r := inPost
	if r.IsZero() {
		r = on
	}
	for _, c := range courses {
		if c.Retired || c.Audience.IsZero() {
			// Everyone is in an audience of everyone: nobody moves in or out.
			continue
		}
		wasIn := prev.Active() && c.Audience.Includes(*prev)
		nowIn := next.Active() && c.Audience.Includes(*next)
		switch {
		case !wasIn && nowIn:
			next.RequiredSince = WithRequiredSince(next.RequiredSince, c.ID, r)
		case wasIn && !nowIn:
			next.RequiredSince = WithRequiredSince(next.RequiredSince, c.ID, Date{})
		}
	}
}

// WithRequiredSince returns a copy of m (an Officer.RequiredSince) with
// course's date set to r, or removed when r is zero; nil when nothing is
// left. m itself is never changed: it may be shared with a stored record.
func WithRequiredSince(m map[string]Date, course string, r Date) map[string]Date {
	if _, ok := m[course]; !ok && r.IsZero() {
		return m
	}
	out := maps.Clone(m)
	if out == nil {
		out = map[string]Date{}
	}
	if r.IsZero() {
		delete(out, course)
	} else {
		out[course] = r
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// CourseChange is what a change of a course's rules (its audience,
// deadline, validity…) would do, as of one date: the preview shown before
// it is made (docs/COMPLIANCE.md, "Changing who must do a course").
type CourseChange struct {
	Course string `json:"course"`
	AsOf   Date   `json:"as_of"`
	// New is true when the course does not exist yet.
	New bool `json:"new"`
	// RequiredBefore and RequiredAfter count the people required on AsOf
	// (active, in the audience, not exempt).
	RequiredBefore int `json:"required_before"`
	RequiredAfter  int `json:"required_after"`
	// Joining and Leaving count the people the change makes required and
	// no longer required.
	Joining int `json:"joining"`
	Leaving int `json:"leaving"`
	// OverdueAtOnce counts the people overdue on AsOf under the new rules
	// who were not overdue under the old ones.
	OverdueAtOnce int `json:"overdue_at_once"`
	// Units breaks Joining, Leaving and OverdueAtOnce down by the people's
	// own units, sorted by path.
	Units []UnitChange `json:"units"`
	// Officers are the records the change rewrites: people the new
	// audience brings in get R = AsOf (or their start date, if later);
	// people it leaves out lose theirs.
	Officers []Officer `json:"-"`
}

// UnitChange is one unit's share of a CourseChange.
type UnitChange struct {
	Unit          string `json:"unit"`
	Joining       int    `json:"joining"`
	Leaving       int    `json:"leaving"`
	OverdueAtOnce int    `json:"overdue_at_once"`
}

// ConfirmShare is the share of a course's required people (in percent)
// that a change may alter without asking for confirmation, as the
// import guards do.
const ConfirmShare = 20

// NeedsConfirmation reports whether the change alters more than
// ConfirmShare percent of the course's required people (any change at all
// when nobody was required before). A new course never asks.
func (ch CourseChange) NeedsConfirmation() bool {
	if ch.New {
		return false
	}
	altered := ch.Joining + ch.Leaving
	if ch.RequiredBefore == 0 {
		return altered > 0
	}
	return 100*altered > ConfirmShare*ch.RequiredBefore
}

// PreviewCourseChange works out what replacing course old (nil: a new
// course) with next would change on date on, over every active person in
// ds, and the officer records to write with it. It writes nothing.
func PreviewCourseChange(ds *Dataset, old *Course, next Course, on Date) CourseChange {
	ch := CourseChange{Course: next.ID, AsOf: on, New: old == nil}
	units := map[string]*UnitChange{}
	unit := func(u string) *UnitChange {
		x := units[u]
		if x == nil {
			x = &UnitChange{Unit: u}
			units[u] = x
		}
		return x
	}
	for id, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		comps, exs := ds.Completions[id], ds.Exemptions[id]
		before := StatusNotRequired
		if old != nil && !old.Retired {
			before = Evaluate(o, *old, comps, exs, on).Status
		}
		moved := o
		if old != nil {
			wasIn := old.Audience.Includes(o)
			nowIn := next.Audience.Includes(o)
			switch {
			case !wasIn && nowIn:
				r := on
				if o.StartDate.After(r) {
					r = o.StartDate
				}
				moved.RequiredSince = WithRequiredSince(o.RequiredSince, next.ID, r)
				ch.Officers = append(ch.Officers, moved)
			case wasIn && !nowIn:
				if _, ok := o.RequiredSince[next.ID]; ok {
					moved.RequiredSince = WithRequiredSince(o.RequiredSince, next.ID, Date{})
					ch.Officers = append(ch.Officers, moved)
				}
			}
		}
		after := StatusNotRequired
		if !next.Retired {
			after = Evaluate(moved, next, comps, exs, on).Status
		}
		wasReq, isReq := counted(before), counted(after)
		if wasReq {
			ch.RequiredBefore++
		}
		if isReq {
			ch.RequiredAfter++
		}
		switch {
		case !wasReq && isReq:
			ch.Joining++
			unit(o.Unit).Joining++
		case wasReq && !isReq:
			ch.Leaving++
			unit(o.Unit).Leaving++
		}
		if after == StatusOverdue && before != StatusOverdue {
			ch.OverdueAtOnce++
			unit(o.Unit).OverdueAtOnce++
		}
	}
	ch.Units = make([]UnitChange, 0, len(units))
	for _, u := range units {
		ch.Units = append(ch.Units, *u)
	}
	sort.Slice(ch.Units, func(i, j int) bool { return ch.Units[i].Unit < ch.Units[j].Unit })
	sort.Slice(ch.Officers, func(i, j int) bool { return ch.Officers[i].ID < ch.Officers[j].ID })
	return ch
}

// counted reports whether a status counts in `required`.
func counted(s Status) bool { return s != StatusNotRequired && s != StatusExempt }
