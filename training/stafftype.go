package training

import "strings"

// staffTypeWordings are the wordings HR systems use for each staff type
// (docs/ROSTERS.md, "Staff type"), in the order StaffTypeWordings lists
// them. Anything else is not a staff type: nothing is guessed.
var staffTypeWordings = []struct {
	words []string
	t     StaffType
}{
	{[]string{"Police Officer", "Officer", "Regular"}, StaffOfficer},
	{[]string{"Police Staff", "Staff"}, StaffStaff},
	{[]string{"Special Constable", "Special Constabulary", "Specials", "Special"}, StaffSpecial},
	{[]string{"PCSO", "Police Community Support Officer"}, StaffPCSO},
	{[]string{"Volunteer", "Police Support Volunteer", "PSV"}, StaffVolunteer},
}

// ParseStaffType reads a staff type as a roster words it: case-insensitive
// after CleanText ("police  STAFF" is staff). ok is false for a blank or
// unknown wording.
func ParseStaffType(s string) (StaffType, bool) {
	s = CleanText(s)
	for _, w := range staffTypeWordings {
		for _, word := range w.words {
			if strings.EqualFold(s, word) {
				return w.t, true
			}
		}
	}
	return "", false
}

// StaffTypeWordings returns every wording ParseStaffType accepts, for
// messages that say what a cell may hold.
func StaffTypeWordings() []string {
	var out []string
	for _, w := range staffTypeWordings {
		out = append(out, w.words...)
	}
	return out
}
