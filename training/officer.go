package training

import (
	"strings"
	"time"
	"unicode"
)

// Officer is one person on the roster: police officer or staff member who
// must complete the mandatory courses.
type Officer struct {
	// ID is the normalised officer ID (see NormalizeID): the key.
	ID string `json:"id"`
	// DisplayID is the ID as first written in a roster (e.g. "0012345").
	DisplayID string `json:"display_id"`
	Name      string `json:"name"`
	// Email is trimmed and lower-cased; EmailInvalid marks one that failed
	// validation, so the officer is tracked but cannot be reminded.
	Email        string `json:"email,omitempty"`
	EmailInvalid bool   `json:"email_invalid,omitempty"`
	// Leaver is true once a roster says Leaver/Left or a full upload omits
	// them. (It sits beside EmailInvalid so that the two share one word
	// instead of padding to 8 bytes each: a Dataset holds 150,000
	// Officers.)
	Leaver bool   `json:"leaver,omitempty"`
	Rank   string `json:"rank,omitempty"`
	// Unit is the full unit path, parts joined by " / " (see JoinUnit).
	Unit string `json:"unit"`
	// LineManager is the manager's ID (normalised) or email, as the roster gave it.
	LineManager string `json:"line_manager,omitempty"`
	StartDate   Date   `json:"start_date"`
	// Role is the job or post title as HR names it ("Call Handler",
	// "Detective Constable"), cleaned; course audiences match on it.
	Role string `json:"role,omitempty"`
	// StaffType is one of the StaffTypes ("" when no roster said).
	StaffType StaffType `json:"staff_type,omitempty"`
	// InPostSince is the date the person's current post began, as the
	// roster gave it (zero when none did).
	InPostSince Date `json:"in_post_since"`
	// RequiredSince holds, per course ID, the date R the person's
	// requirement for that course began when it is not the default (their
	// start date, else first seen): set when an import or an audience
	// change moves them into a course's audience (docs/COMPLIANCE.md,
	// "Who must do a course"). See RequirementStart.
	RequiredSince map[string]Date `json:"required_since,omitempty"`
	// Extensions holds, per course ID, an approved request for more time
	// (docs/COMPLIANCE.md, "Officers' requests"): Evaluate takes its
	// Until as the due date while it is later than the one it would give.
	Extensions map[string]Extension `json:"extensions,omitempty"`
	// FirstSeen is the date of the import that first listed the officer:
	// the base of the due date when neither deadline nor start date exist.
	FirstSeen Date `json:"first_seen"`
	// LeftOn is the date the officer became a leaver in Muster.
	LeftOn Date `json:"left_on"`
	// Source is the import (and row) that last changed this record.
	Source Source `json:"source"`
}

// StaffType is the kind of post a person holds (docs/ROSTERS.md).
type StaffType string

// The staff types a roster's wordings are normalised to.
const (
	StaffOfficer   StaffType = "officer"
	StaffStaff     StaffType = "staff"
	StaffSpecial   StaffType = "special"
	StaffPCSO      StaffType = "pcso"
	StaffVolunteer StaffType = "volunteer"
)

// StaffTypes lists every staff type in display order.
var StaffTypes = []StaffType{StaffOfficer, StaffStaff, StaffSpecial, StaffPCSO, StaffVolunteer}

// Active reports whether the officer counts in figures.
func (o Officer) Active() bool { return !o.Leaver }

// Source says where a record came from: an import's file and row, or an
// API call.
type Source struct {
	ImportID string    `json:"import_id,omitempty"`
	File     string    `json:"file,omitempty"`
	Sheet    string    `json:"sheet,omitempty"`
	Row      int       `json:"row,omitempty"`
	By       string    `json:"by,omitempty"` // user or token name for API records
	At       time.Time `json:"at"`
}

// NormalizeID returns the key for an officer ID: trimmed, upper-cased, and
// for all-digit IDs without leading zeros (Excel turns 0012345 into 12345).
// It returns "" for an ID that is blank.
func NormalizeID(s string) string {
	s = strings.ToUpper(CleanText(s))
	if s == "" {
		return ""
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return s
		}
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return "0"
	}
	return t
}

// CleanText trims s and collapses inner runs of white space (any Unicode
// space: non-breaking, thin, ideographic…) to one space, and drops
// zero-width characters. Apostrophes and accents are kept. Text that is
// already clean is returned without allocating.
func CleanText(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u200b' || r == '\ufeff':
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isClean reports whether CleanText would return s unchanged: plain ASCII
// with single inner spaces and none at either end.
func isClean(s string) bool {
	prevSpace := true // a leading space is not clean
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 || c < ' ':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			prevSpace = false
		}
	}
	return s == "" || s[len(s)-1] != ' '
}

// UnitSep joins the parts of a unit path.
const UnitSep = " / "

// JoinUnit builds a unit path from its parts, dropping blank parts.
func JoinUnit(parts ...string) string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = CleanText(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, UnitSep)
}

// SplitUnit returns the parts of a unit path ("" has none).
func SplitUnit(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, UnitSep)
}

// ParseUnit reads a unit path as people type it: parts separated by "/",
// ">" or " / ", with any spacing.
func ParseUnit(s string) string {
	s = strings.ReplaceAll(s, ">", "/")
	return JoinUnit(strings.Split(s, "/")...)
}

// InUnit reports whether unit path u lies in the subtree rooted at root
// ("" is the whole force).
func InUnit(u, root string) bool {
	return root == "" || u == root || strings.HasPrefix(u, root+UnitSep)
}

// UnitAncestors returns u and every ancestor of u, nearest last, without
// the root: "A / B" gives ["A", "A / B"].
func UnitAncestors(u string) []string {
	parts := SplitUnit(u)
	out := make([]string, len(parts))
	for i := range parts {
		out[i] = strings.Join(parts[:i+1], UnitSep)
	}
	return out
}
