package reports

import (
	"testing"

	"github.com/muster-police/muster/training"
)

func TestFor(t *testing.T) {
	ds := &training.Dataset{Courses: training.DefaultCourses(), Officers: map[string]training.Officer{
		"A1": {ID: "A1", Unit: "Alpha / Team 1"},
		"B1": {ID: "B1", Unit: "Bravo / Team 9", Leaver: true, LeftOn: training.DateFrom(2025, 1, 1)},
	}}
	today := training.DateFrom(2026, 11, 24)
	all := Viewer{User: training.User{Role: training.RoleHR}, Scope: training.Scope{All: true}}
	mgr := Viewer{User: training.User{Role: training.RoleManager, Units: []string{"Alpha"}}, Scope: training.Scope{Units: []string{"Alpha"}}}
	tests := []struct {
		name  string
		v     Viewer
		req   Request
		kind  training.Kind
		field string
		whole bool
	}{
		{"whole force", all, Request{}, "", "", true},
		{"a unit typed loosely", all, Request{Unit: "Alpha/Team 1"}, "", "", true},
		{"a unit whose officers all left", all, Request{Unit: "Bravo"}, "", "", true},
		{"an unknown unit", all, Request{Unit: "NoSuchUnit"}, training.KindNotFound, "unit", false},
		{"a bad date", all, Request{AsOf: "24/11/2026"}, training.KindInvalid, "as_of", false},
		{"an unknown course", all, Request{Courses: []string{"basket-weaving"}}, training.KindInvalid, "course", false},
		{"a manager in their unit", mgr, Request{Unit: "Alpha / Team 1"}, "", "", true},
		{"a manager outside it", mgr, Request{Unit: "Bravo"}, training.KindForbidden, "unit", false},
		{"a manager asking about a unit that does not exist", mgr, Request{Unit: "NoSuchUnit"}, training.KindForbidden, "unit", false},
		{"a manager's own root", mgr, Request{}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := For(ds, UnitsOf(ds), tt.v, tt.req, today)
			if training.KindOf(err) != tt.kind || training.FieldOf(err) != tt.field {
				t.Fatalf("For: %v (kind %q, field %q), want kind %q field %q", err, training.KindOf(err), training.FieldOf(err), tt.kind, tt.field)
			}
			if err == nil && q.Whole != tt.whole {
				t.Errorf("Whole = %v, want %v", q.Whole, tt.whole)
			}
		})
	}
	if q, err := For(ds, UnitsOf(ds), all, Request{Unit: "Alpha / Team 1", AsOf: "2026-01-31"}, today); err != nil || q.Unit != "Alpha / Team 1" || q.AsOf != (training.DateFrom(2026, 1, 31)) {
		t.Errorf("For = %+v, %v", q, err)
	}
}
