package registers_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/registers"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, training.London)

func setup(t *testing.T) (*registers.Service, training.Store, *time.Time) {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := func(id, unit string) training.Officer {
		return training.Officer{ID: id, DisplayID: id, Name: "Name " + id, Unit: unit, StartDate: training.NewDate(2020, 1, 6)}
	}
	_, err = st.ApplyChanges(context.Background(), training.ChangeSet{
		Import:   training.ImportRecord{ID: "seed", Kind: training.ImportPartial, By: "hr", At: now, Outcome: training.OutcomeApplied},
		Officers: []training.Officer{o("A1", "Alpha"), o("A2", "Alpha"), o("B1", "Bravo")},
		Completions: []training.Completion{{OfficerID: "A2", CourseID: "cse-recognition", Date: training.NewDate(2026, 11, 20),
			Source: training.Source{ImportID: "seed", At: now}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	clock := now
	return &registers.Service{Store: st, Now: func() time.Time { return clock }}, st, &clock
}

var tina = registers.Actor{User: training.User{Username: "tina", Role: training.RoleTrainer}}

// TestSaveAndWithdraw: nothing is saved until confirmed; saving records
// one completion per known attendee with the register as its source;
// withdrawing takes back exactly those (A2's same completion from the
// roster stays) and leaves the completions as they were; both are audited.
func TestSaveAndWithdraw(t *testing.T) {
	svc, st, clock := setup(t)
	ctx := context.Background()
	before, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: "Room 4", IDs: "A1\nA2, Z9"}
	p, err := svc.Preview(ctx, tina, in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Recorded != 2 || p.Unknown != 1 || p.Compliant != 1 {
		t.Errorf("preview counts %+v", p)
	}
	if _, err := svc.Save(ctx, tina, in, false); !errors.Is(err, training.ErrConflict) || training.FieldOf(err) != "confirm" {
		t.Fatalf("unconfirmed save: %v", err)
	}
	if rev, _ := st.Revision(ctx); rev != before.Revision {
		t.Fatalf("an unconfirmed save wrote: revision %d → %d", before.Revision, rev)
	}
	r, err := svc.Save(ctx, tina, in, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Added != 1 || !reflect.DeepEqual(r.Attendees, []string{"A1", "A2"}) {
		t.Errorf("saved %+v", r)
	}
	a1, err := st.Officer(ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if len(a1.Completions) != 1 || a1.Completions[0].Source.ImportID != r.ID || a1.Completions[0].Source.By != "tina" {
		t.Fatalf("A1's completions %+v", a1.Completions)
	}

	list, err := svc.List(ctx, tina)
	if err != nil || len(list) != 1 || !list[0].CanWithdraw {
		t.Fatalf("list %+v, %v", list, err)
	}
	other := registers.Actor{User: training.User{Username: "tom", Role: training.RoleTrainer}}
	if list, _ := svc.List(ctx, other); len(list) != 0 {
		t.Errorf("another trainer sees %d registers", len(list))
	}
	if _, err := svc.Withdraw(ctx, other, r.ID); !errors.Is(err, training.ErrNotFound) {
		t.Errorf("another trainer's withdrawal: %v", err)
	}
	*clock = now.Add(15 * 24 * time.Hour)
	if _, err := svc.Withdraw(ctx, tina, r.ID); !errors.Is(err, training.ErrConflict) {
		t.Errorf("withdrawal after 15 days: %v", err)
	}
	*clock = now.Add(time.Hour)
	if _, err := svc.Withdraw(ctx, tina, r.ID); err != nil {
		t.Fatal(err)
	}
	after, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.Completions, before.Completions) {
		t.Errorf("completions after the withdrawal\n got %+v\nwant %+v", after.Completions, before.Completions)
	}
	events, err := st.Audit(ctx, training.AuditQuery{TargetID: r.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []training.AuditAction
	for _, e := range events.Events {
		actions = append(actions, e.Action)
	}
	if len(actions) != 2 {
		t.Errorf("audit actions %v, want saved and withdrawn", actions)
	}
}

// TestOnlyRecordersAndNames: a manager may not record; the people a
// trainer may tick and the sign-in sheet hold names and units only.
func TestOnlyRecordersAndNames(t *testing.T) {
	svc, _, _ := setup(t)
	ctx := context.Background()
	mgr := registers.Actor{User: training.User{Username: "m", Role: training.RoleManager, Units: []string{"Alpha"}}}
	if _, err := svc.Preview(ctx, mgr, training.RegisterInput{}); !errors.Is(err, training.ErrForbidden) {
		t.Errorf("manager preview: %v", err)
	}
	people, err := svc.People(ctx, tina, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(people, []registers.Person{{"A1", "Name A1", "Alpha"}, {"A2", "Name A2", "Alpha"}}) {
		t.Errorf("people %+v", people)
	}
	sheet, err := svc.SignInSheet(ctx, tina, "CSE", "Alpha", "")
	if err != nil {
		t.Fatal(err)
	}
	// A2 did CSE on 2026-11-20: not expected.
	if !reflect.DeepEqual(sheet.People, []registers.Person{{"A1", "Name A1", "Alpha"}}) {
		t.Errorf("sheet %+v", sheet.People)
	}
	if _, err := svc.People(ctx, tina, "Charlie"); !errors.Is(err, training.ErrInvalid) {
		t.Errorf("unknown unit: %v", err)
	}
}

// TestALaterSourceTakesOverARegistersCompletion: a file imported after a
// register, or a completion posted, that reports the same completion takes
// it over, so withdrawing the register keeps it; one only the register
// recorded goes.
func TestALaterSourceTakesOverARegistersCompletion(t *testing.T) {
	svc, st, _ := setup(t)
	ctx := context.Background()
	in := training.RegisterInput{Course: "CSE", Date: "2026-11-20", Place: "Room 4", IDs: "A1 B1"}
	r, err := svc.Save(ctx, tina, in, true)
	if err != nil {
		t.Fatal(err)
	}
	csv := "Officer ID,Name,Unit,CSE recognition\nA1,Name A1,Alpha,20/11/2026\n"
	rep, err := importers.Run(ctx, st, importers.Source{Name: "lms.csv", R: strings.NewReader(csv), Size: int64(len(csv))},
		importers.Options{By: "hr", Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Completions != 1 {
		t.Fatalf("the file's completion held by the register: %d recorded, want 1 (taken over)", rep.Summary.Completions)
	}
	a1, err := st.Officer(ctx, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if len(a1.Completions) != 1 || a1.Completions[0].Source.ImportID != rep.ImportID {
		t.Fatalf("A1's completions after the file %+v", a1.Completions)
	}
	// Re-importing the same completion changes nothing.
	again, err := importers.Run(ctx, st, importers.Source{Name: "lms2.csv", R: strings.NewReader(csv + "A2,Name A2,Alpha,\n"), Size: int64(len(csv) + 20)},
		importers.Options{By: "hr", Now: now.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if again.Summary.Completions != 0 {
		t.Fatalf("a second file with the same completion recorded %d", again.Summary.Completions)
	}
	if _, err := svc.Withdraw(ctx, tina, r.ID); err != nil {
		t.Fatal(err)
	}
	a1, _ = st.Officer(ctx, "A1")
	b1, _ := st.Officer(ctx, "B1")
	if len(a1.Completions) != 1 || len(b1.Completions) != 0 {
		t.Fatalf("after withdrawing: A1 %+v (the file's stays), B1 %+v (the register's only goes)", a1.Completions, b1.Completions)
	}
}
