package training

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Course is a mandatory course whose completion Muster tracks.
type Course struct {
	ID      string   `json:"id" yaml:"id"`
	Title   string   `json:"title" yaml:"title"`
	Aliases []string `json:"aliases" yaml:"aliases"`
	// Deadline is the date by which officers already serving must have
	// completed the course; zero when there is none.
	Deadline Date `json:"deadline" yaml:"deadline"`
	// DueWithinDays applies to new joiners: days after start date.
	DueWithinDays int `json:"due_within_days" yaml:"due_within_days"`
	// ValidForMonths is 0 when a completion never expires.
	ValidForMonths int `json:"valid_for_months" yaml:"valid_for_months"`
	// DueSoonDays is the "due soon" window.
	DueSoonDays int `json:"due_soon_days" yaml:"due_soon_days"`
	// URL is where an officer goes to take the course (used in reminders).
	URL string `json:"url,omitempty" yaml:"url,omitempty"`
	// RenewWithinDays, when set, keeps the cycle on early renewal: a
	// completion dated within that many days before the current expiry
	// renews from that expiry (docs/COMPLIANCE.md).
	RenewWithinDays int `json:"renew_within_days,omitempty" yaml:"renew_within_days,omitempty"`
	// Audience says who must do the course; the zero Audience is everyone.
	Audience Audience `json:"audience" yaml:"audience,omitempty"`
	// ActivityIDs are the xAPI activity IRIs that stand for this course:
	// a statement about one of them is about this course (docs/xapi.md).
	ActivityIDs []string `json:"activity_ids,omitempty" yaml:"activity_ids,omitempty"`
	// MaxExtensionDays bounds how far past a person's due date an
	// approved request for more time may move it (0: the default, 60).
	MaxExtensionDays int `json:"max_extension_days,omitempty" yaml:"max_extension_days,omitempty"`
	// Retired courses are kept with their completions but no longer
	// counted, shown or reminded of (Dataset.Courses leaves them out).
	Retired bool `json:"retired,omitempty" yaml:"retired,omitempty"`
	// EscalateAfterDays, when set, escalates people overdue at least that
	// many days to their line manager's manager and the unit above
	// (docs/COMPLIANCE.md, "Escalation"); 0 never escalates.
	EscalateAfterDays int `json:"escalate_after_days,omitempty" yaml:"escalate_after_days,omitempty"`
}

// InUse returns the courses that are not retired, in order.
func InUse(cs []Course) []Course {
	out := make([]Course, 0, len(cs))
	for _, c := range cs {
		if !c.Retired {
			out = append(out, c)
		}
	}
	return out
}

// Defaults used when a course leaves a field unset.
const (
	DefaultDueWithinDays = 90
	DefaultDueSoonDays   = 30
)

var courseIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Normalize fills defaults and tidies text fields.
func (c Course) Normalize() Course {
	c.ID = strings.TrimSpace(c.ID)
	c.Title = CleanText(c.Title)
	if c.DueWithinDays == 0 {
		c.DueWithinDays = DefaultDueWithinDays
	}
	if c.DueSoonDays == 0 {
		c.DueSoonDays = DefaultDueSoonDays
	}
	aliases := make([]string, 0, len(c.Aliases))
	for _, a := range c.Aliases {
		if a = CleanText(a); a != "" {
			aliases = append(aliases, a)
		}
	}
	c.Aliases = aliases
	ids := make([]string, 0, len(c.ActivityIDs))
	for _, a := range c.ActivityIDs {
		if a = strings.TrimSpace(a); a != "" {
			ids = append(ids, a)
		}
	}
	c.ActivityIDs = ids
	c.Audience = c.Audience.Normalize()
	return c
}

// Validate returns an ErrInvalid *Error whose Field is the first bad field
// (named as the API names it).
func (c Course) Validate() error {
	switch {
	case !courseIDPattern.MatchString(c.ID):
		return FieldErrorf(KindInvalid, "id", "course id %q must be lower-case letters, digits and single hyphens, e.g. cse-recognition", c.ID)
	case c.Title == "":
		return FieldErrorf(KindInvalid, "title", "course %q has no title", c.ID)
	case HasFormatChars(c.Title):
		return FieldErrorf(KindInvalid, "title", "course %q: the title must not hold invisible formatting characters (such as a right-to-left override or a zero-width space)", c.ID)
	case c.DueWithinDays < 0:
		return FieldErrorf(KindInvalid, "due_within_days", "course %q: due_within_days must not be negative", c.ID)
	case c.ValidForMonths < 0:
		return FieldErrorf(KindInvalid, "valid_for_months", "course %q: valid_for_months must not be negative", c.ID)
	case c.DueSoonDays < 0:
		return FieldErrorf(KindInvalid, "due_soon_days", "course %q: due_soon_days must not be negative", c.ID)
	case c.MaxExtensionDays < 0 || c.MaxExtensionDays > 366:
		return FieldErrorf(KindInvalid, "max_extension_days", "course %q: max_extension_days must be between 0 (the default, %d) and 366", c.ID, DefaultMaxExtensionDays)
	case c.RenewWithinDays < 0:
		return FieldErrorf(KindInvalid, "renew_within_days", "course %q: renew_within_days must not be negative", c.ID)
	case c.EscalateAfterDays < 0 || c.EscalateAfterDays > MaxEscalateAfterDays:
		return FieldErrorf(KindInvalid, "escalate_after_days", "course %q: escalate_after_days must be a whole number of days from 0 (never) to %d", c.ID, MaxEscalateAfterDays)
	case slices.ContainsFunc(c.Aliases, HasFormatChars):
		return FieldErrorf(KindInvalid, "aliases", "course %q: an alias must not hold invisible formatting characters (such as a right-to-left override or a zero-width space)", c.ID)
	case !validCourseURL(c.URL):
		return FieldErrorf(KindInvalid, "url", "course %q: url must be an http or https address such as https://learning.force.police.uk/cse", c.ID)
	}
	return c.Audience.validate(c.ID)
}

// validCourseURL accepts "" or an absolute http(s) URL with a host. The
// URL becomes a link in pages and emails, so "javascript:" and
// "data:" (which run or show content in the reader's context) must never
// get in, whichever way a course is edited (CLI, API, pages).
func validCourseURL(s string) bool {
	if s == "" {
		return true
	}
	if s != strings.TrimSpace(s) || strings.ContainsAny(s, "\t\r\n\\") {
		return false // what browsers strip or rewrite before reading the scheme
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// DefaultCourses returns the two courses a fresh install ships with.
func DefaultCourses() []Course {
	return []Course{
		{
			ID:             "cse-recognition",
			Title:          "CSE recognition",
			Aliases:        []string{"CSE awareness", "Child sexual exploitation – recognising the signs", "CSE"},
			Deadline:       DateFrom(2026, 3, 31),
			DueWithinDays:  90,
			ValidForMonths: 36,
			DueSoonDays:    30,
		},
		{
			ID:             "trauma-informed-communication",
			Title:          "Trauma-informed communication",
			Aliases:        []string{"Trauma informed comms", "TIC", "Trauma-informed practice"},
			Deadline:       DateFrom(2026, 6, 30),
			DueWithinDays:  90,
			ValidForMonths: 24,
			DueSoonDays:    30,
		},
	}
}

// Completion records that an officer completed a course on a date.
// Completions are never deleted: the history is kept and the latest one
// dated on or before the evaluation date decides compliance.
type Completion struct {
	OfficerID string `json:"officer_id"`
	CourseID  string `json:"course_id"`
	Date      Date   `json:"date"`
	// DateUnknown marks a completion reported without a date ("Yes", "✓"):
	// Date is then the day of the import that first reported it.
	DateUnknown bool   `json:"date_unknown,omitempty"`
	Source      Source `json:"source"`
}

// Exemption excuses an officer from a course between From and Until
// (either may be zero: open-ended).
type Exemption struct {
	OfficerID string `json:"officer_id"`
	CourseID  string `json:"course_id"`
	From      Date   `json:"from"`
	Until     Date   `json:"until"`
	Reason    string `json:"reason,omitempty"`
	Source    Source `json:"source"`
}

// Covers reports whether the exemption applies on d.
func (e Exemption) Covers(d Date) bool {
	return (e.From.IsZero() || !d.Before(e.From)) && (e.Until.IsZero() || !d.After(e.Until))
}
