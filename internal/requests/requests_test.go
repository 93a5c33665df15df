package requests

import (
	"slices"
	"testing"

	"github.com/muster-police/muster/training"
)

// Route: the line manager's account (by ID or by email), else the
// managers whose units cover the person, else HR, else admins; claims to HR.
func TestRoute(t *testing.T) {
	ds := &training.Dataset{Officers: map[string]training.Officer{
		"L1": {ID: "L1", Email: "lena@police.test"},
		"P1": {ID: "P1", Unit: "Alpha / Team 1", LineManager: " l1 "},
		"P2": {ID: "P2", Unit: "Alpha / Team 1", LineManager: "lena@police.test"},
		"P3": {ID: "P3", Unit: "Alpha / Team 1", LineManager: "Z9"},
		"P4": {ID: "P4", Unit: "Bravo", LineManager: "Z9"},
	}}
	users := []training.User{
		{Username: "lena", Role: training.RoleManager, OfficerID: "L1"},
		{Username: "old-lena", Role: training.RoleManager, OfficerID: "L1", Disabled: true},
		{Username: "alpha", Role: training.RoleManager, Units: []string{"Alpha"}},
		{Username: "team2", Role: training.RoleManager, Units: []string{"Alpha / Team 2"}},
		{Username: "hr", Role: training.RoleHR},
		{Username: "admin", Role: training.RoleAdmin},
	}
	names := func(us []training.User) []string {
		out := []string{}
		for _, u := range us {
			out = append(out, u.Username)
		}
		return out
	}
	tests := []struct {
		officer string
		kind    training.RequestKind
		users   []training.User
		want    []string
	}{
		{"P1", training.RequestExtension, users, []string{"lena"}},
		{"P2", training.RequestExtension, users, []string{"lena"}}, // the line manager given by email
		{"P3", training.RequestExtension, users, []string{"alpha"}},
		{"P4", training.RequestExtension, users, []string{"hr"}},
		{"P1", training.RequestClaim, users, []string{"hr"}},
		{"P4", training.RequestExtension, users[5:], []string{"admin"}}, // no HR account
	}
	for _, tt := range tests {
		if got := names(Route(ds.Officers[tt.officer], tt.kind, tt.users, ds)); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: routed to %v, want %v", tt.officer, tt.kind, got, tt.want)
		}
	}
}

// MayDecide: HR and admins always; managers only what was sent to them
// about someone they can see; claims never.
func TestMayDecide(t *testing.T) {
	ds := &training.Dataset{Officers: map[string]training.Officer{
		"L1": {ID: "L1"},
		"P1": {ID: "P1", Unit: "Alpha / Team 1", LineManager: "L1"},
	}}
	ext := training.Request{Kind: training.RequestExtension, OfficerID: "P1", Deciders: []string{"lena"}}
	claim := training.Request{Kind: training.RequestClaim, OfficerID: "P1", Deciders: []string{"lena"}}
	p1 := ds.Officers["P1"]
	tests := []struct {
		u    training.User
		r    training.Request
		want bool
	}{
		{training.User{Username: "lena", Role: training.RoleManager, OfficerID: "L1"}, ext, true},
		{training.User{Username: "lena", Role: training.RoleManager, OfficerID: "L1"}, claim, false},
		{training.User{Username: "lena", Role: training.RoleManager}, ext, false}, // no longer sees P1
		{training.User{Username: "alpha", Role: training.RoleManager, Units: []string{"Alpha"}}, ext, false},
		{training.User{Username: "hr", Role: training.RoleHR}, claim, true},
		{training.User{Username: "hr", Role: training.RoleHR, Disabled: true}, claim, false},
	}
	for _, tt := range tests {
		if got := MayDecide(tt.u, tt.r, p1, training.ScopeFor(tt.u, ds)); got != tt.want {
			t.Errorf("%s (%s) on a %s: %v, want %v", tt.u.Username, tt.u.Role, tt.r.Kind, got, tt.want)
		}
	}
}
