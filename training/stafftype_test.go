package training

import (
	"slices"
	"testing"
)

func TestParseStaffType(t *testing.T) {
	tests := []struct {
		in   string
		want StaffType
	}{
		{"Police Officer", StaffOfficer}, {"officer", StaffOfficer}, {"REGULAR", StaffOfficer},
		{"  police\u00a0 officer ", StaffOfficer},
		{"Police Staff", StaffStaff}, {"staff", StaffStaff},
		{"Special Constable", StaffSpecial}, {"special constabulary", StaffSpecial}, {"Specials", StaffSpecial}, {"Special", StaffSpecial},
		{"PCSO", StaffPCSO}, {"pcso", StaffPCSO}, {"Police Community Support Officer", StaffPCSO},
		{"Volunteer", StaffVolunteer}, {"Police Support Volunteer", StaffVolunteer}, {"psv", StaffVolunteer},
	}
	for _, tc := range tests {
		if got, ok := ParseStaffType(tc.in); !ok || got != tc.want {
			t.Errorf("ParseStaffType(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, s := range []string{"", "  ", "Contractor", "Police", "Officers", "Special Inspector", "PCSOs", "staff member"} {
		if got, ok := ParseStaffType(s); ok {
			t.Errorf("ParseStaffType(%q) = %q, want not a staff type", s, got)
		}
	}
	// Every staff type has a wording, and every wording reads back.
	for _, st := range StaffTypes {
		if got, ok := ParseStaffType(string(st)); !ok || got != st {
			t.Errorf("the staff type %q does not read as itself: %q", st, got)
		}
	}
	for _, w := range StaffTypeWordings() {
		if got, ok := ParseStaffType(w); !ok || !slices.Contains(StaffTypes, got) {
			t.Errorf("listed wording %q reads as %q, %v", w, got, ok)
		}
	}
}
