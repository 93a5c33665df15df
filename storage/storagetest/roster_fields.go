package storagetest

import (
	"testing"

	"github.com/muster-police/muster/training"
)

// Who people are (issue 17): role, staff type, in-post date and the
// per-course requirement dates are stored with the officer.

// postOfficer is officer(id, unit) with every field of a person's post set.
func postOfficer(id, unit string) training.Officer {
	o := officer(id, unit)
	o.Role, o.StaffType, o.InPostSince = "Call Handler", training.StaffStaff, date("2025-03-01")
	o.RequiredSince = map[string]training.Date{cse: date("2025-03-01"), tic: date("2026-02-28"), "first-aid": date("2024-12-31")}
	return o
}

func testOfficerPostFields(t *testing.T, s training.Store) {
	a, b := postOfficer("1", "North / CID"), postOfficer("2", "South")
	b.Role, b.StaffType, b.RequiredSince = "Front Counter Officer", training.StaffVolunteer, map[string]training.Date{tic: date("2026-11-24")}
	c := officer("3", "South") // none of the new fields
	check(t, applyOfficers(t, s, a, b, c))
	readBack := func(what string, want ...training.Officer) {
		t.Helper()
		ds, err := s.Dataset(ctx(t))
		check(t, err)
		for _, o := range want {
			equal(t, what+": dataset officer "+o.ID, ds.Officers[o.ID], o)
			rec, err := s.Officer(ctx(t), o.ID)
			check(t, err)
			equal(t, what+": officer "+o.ID, rec.Officer, o)
		}
	}
	readBack("stored", a, b, c)

	// Returned maps are copies.
	ds, err := s.Dataset(ctx(t))
	check(t, err)
	ds.Officers["1"].RequiredSince[cse] = date("1999-01-01")
	rec, err := s.Officer(ctx(t), "1")
	check(t, err)
	rec.Officer.RequiredSince[tic] = date("1999-01-01")
	readBack("after changing what was returned", a)

	// A later write replaces the fields whole: a course dropped from
	// RequiredSince is gone, a cleared field is empty.
	a2 := a
	a2.Role, a2.StaffType, a2.InPostSince = "Detective Constable", training.StaffOfficer, date("2026-06-01")
	a2.RequiredSince = map[string]training.Date{tic: date("2026-06-01")}
	b2 := b
	b2.Role, b2.StaffType, b2.InPostSince, b2.RequiredSince = "", "", training.Date{}, nil
	check(t, applyOfficers(t, s, a2, b2))
	readBack("replaced", a2, b2, c)
}

// Legacy writes records straight into a backend's storage as an earlier
// Muster wrote them, for RunLegacy.
type Legacy struct {
	// PutOfficerV1 stores o in the officer format written before the
	// role, staff type, in-post date and requirement dates (issue 17);
	// those fields of o are not written.
	PutOfficerV1 func(t *testing.T, s training.Store, o training.Officer)
}

// RunLegacy runs the upgrade tests: records in an earlier format, put in
// place by l, read with today's store.
func RunLegacy(t *testing.T, newStore func(t *testing.T) training.Store, l Legacy) {
	t.Run("OfficerBeforePostFields", func(t *testing.T) {
		s := newStore(t)
		old := officer("1", "North / CID")
		l.PutOfficerV1(t, s, old)
		ds, err := s.Dataset(ctx(t))
		check(t, err)
		equal(t, "old officer in the dataset", ds.Officers["1"], old)
		rec, err := s.Officer(ctx(t), "1")
		check(t, err)
		equal(t, "old officer", rec.Officer, old)
		// Written again, it carries the new fields.
		now := postOfficer("1", "North / CID")
		check(t, applyOfficers(t, s, now))
		rec, err = s.Officer(ctx(t), "1")
		check(t, err)
		equal(t, "officer written again", rec.Officer, now)
	})
}
