package training

// Who must do a course (docs/COMPLIANCE.md, "Who must do a course"): a
// course's audience, and the date R each person's requirement began.
// Modelled on Totara's program and certification assignments, where a
// group (an audience, a position, an organisation) is assigned a program and
// each member's due date is relative to an event such as their job
// assignment's start date or the day they were assigned
// (https://totara.help/19/docs/program-and-certification-due-dates).

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Audience says who must do a course. A person is in it when they match at
// least one Include rule (no Include rules: everyone) and no Exclude rule.
// The zero Audience is everyone.
type Audience struct {
	Include []AudienceRule `json:"include,omitempty" yaml:"include,omitempty"`
	Exclude []AudienceRule `json:"exclude,omitempty" yaml:"exclude,omitempty"`
}

// AudienceRule is one entry of an audience: every condition it sets must
// hold; a condition left empty holds for everyone.
type AudienceRule struct {
	// Unit lists unit paths; the person's unit is one of them or under it.
	Unit Words `json:"unit,omitempty" yaml:"unit,omitempty"`
	// StaffType lists staff types (officer, staff, special, pcso, volunteer).
	StaffType Words `json:"staff_type,omitempty" yaml:"staff_type,omitempty"`
	// Rank and Role list wordings compared case-insensitively after
	// CleanText; "*" matches any run of characters ("Call Handler*").
	Rank Words `json:"rank,omitempty" yaml:"rank,omitempty"`
	Role Words `json:"role,omitempty" yaml:"role,omitempty"`
}

// Words is a list of strings that YAML and JSON may also write as one
// string (`unit: Frontline Policing`).
type Words []string

// UnmarshalJSON takes a string or a list of strings.
func (w *Words) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*w = Words{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return Invalidf("expected a word or a list of words")
	}
	*w = many
	return nil
}

// UnmarshalYAML takes a string or a list of strings (the yaml package's
// unmarshaler interface that needs no import of it).
func (w *Words) UnmarshalYAML(unmarshal func(any) error) error {
	var one string
	if err := unmarshal(&one); err == nil {
		*w = Words{one}
		return nil
	}
	var many []string
	if err := unmarshal(&many); err != nil {
		return Invalidf("expected a word or a list of words")
	}
	*w = many
	return nil
}

// IsZero reports whether the audience is everyone (no rules at all).
func (a Audience) IsZero() bool { return len(a.Include) == 0 && len(a.Exclude) == 0 }

// Includes reports whether officer o is in the audience. Leavers are
// judged on their last post like anyone else; Evaluate never counts them.
func (a Audience) Includes(o Officer) bool {
	if a.IsZero() {
		return true
	}
	in := len(a.Include) == 0
	for i := range a.Include {
		if a.Include[i].Matches(o) {
			in = true
			break
		}
	}
	if !in {
		return false
	}
	for i := range a.Exclude {
		if a.Exclude[i].Matches(o) {
			return false
		}
	}
	return true
}

// Matches reports whether every condition the rule sets holds for o.
func (r AudienceRule) Matches(o Officer) bool {
	if len(r.Unit) > 0 && !slices.ContainsFunc(r.Unit, func(u string) bool { return InUnit(o.Unit, u) }) {
		return false
	}
	if len(r.StaffType) > 0 && !slices.Contains(r.StaffType, string(o.StaffType)) {
		return false
	}
	if len(r.Rank) > 0 && !matchAnyWording(r.Rank, o.Rank) {
		return false
	}
	if len(r.Role) > 0 && !matchAnyWording(r.Role, o.Role) {
		return false
	}
	return true
}

func matchAnyWording(patterns []string, s string) bool {
	s = CleanText(s)
	if s == "" {
		return false
	}
	for _, p := range patterns {
		if matchWording(p, s) {
			return true
		}
	}
	return false
}

// matchWording matches s against pattern case-insensitively, where "*"
// matches any run of characters (none included) and every other character
// stands for itself. path.Match and the glob libraries give "/", "?", "[",
// "{" and "\" meanings too, which HR's job titles ("Officer [Band C]",
// "Analyst / Researcher") must not have; this is the whole of the rule.
func matchWording(pattern, s string) bool {
	star := strings.IndexByte(pattern, '*')
	if star < 0 {
		return strings.EqualFold(pattern, s)
	}
	// The part before the first star must start s; each part after a star
	// is found leftmost, and the last part must end s.
	if !hasPrefixFold(s, pattern[:star]) {
		return false
	}
	s = s[len(pattern[:star]):]
	rest := pattern[star+1:]
	for {
		part, more, found := strings.Cut(rest, "*")
		if !found {
			return hasSuffixFold(s, part)
		}
		j := indexFold(s, part)
		if j < 0 {
			return false
		}
		s, rest = s[j+len(part):], more
	}
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// indexFold is strings.Index ignoring case (on rune boundaries).
func indexFold(s, sub string) int {
	if sub == "" {
		return 0
	}
	for i := 0; i+len(sub) <= len(s); {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return -1
}

// Normalize cleans every wording: unit paths as ParseUnit reads them,
// staff types lower-cased, ranks and roles through CleanText; blank
// entries are dropped.
func (a Audience) Normalize() Audience {
	norm := func(rs []AudienceRule) []AudienceRule {
		if len(rs) == 0 {
			return nil
		}
		out := make([]AudienceRule, 0, len(rs))
		for _, r := range rs {
			out = append(out, AudienceRule{
				Unit:      cleanWords(r.Unit, ParseUnit),
				StaffType: cleanWords(r.StaffType, func(s string) string { return strings.ToLower(CleanText(s)) }),
				Rank:      cleanWords(r.Rank, CleanText),
				Role:      cleanWords(r.Role, CleanText),
			})
		}
		return out
	}
	return Audience{Include: norm(a.Include), Exclude: norm(a.Exclude)}
}

func cleanWords(ws Words, clean func(string) string) Words {
	var out Words
	for _, w := range ws {
		if w = clean(w); w != "" && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Validate returns an ErrInvalid error naming the first bad entry: an
// unknown staff type, or an entry that sets no condition (which would
// match everyone, almost never what was meant in an exclude).
func (a Audience) Validate() error { return a.validate("") }

func (a Audience) validate(courseID string) error {
	where := "audience"
	if courseID != "" {
		where = fmt.Sprintf("course %q: audience", courseID)
	}
	check := func(kind string, rs []AudienceRule) error {
		for i, r := range rs {
			if len(r.Unit)+len(r.StaffType)+len(r.Rank)+len(r.Role) == 0 {
				return Invalidf("%s %s entry %d sets no condition: give at least one of unit, staff_type, rank or role", where, kind, i+1)
			}
			for _, st := range r.StaffType {
				if !slices.Contains(StaffTypes, StaffType(st)) {
					return Invalidf("%s %s entry %d: %q is not a staff type; use %s", where, kind, i+1, st, staffTypeList())
				}
			}
			for _, w := range slices.Concat(r.Rank, r.Role, r.Unit) {
				if len(w) > 200 {
					return Invalidf("%s %s entry %d: %q is longer than 200 characters", where, kind, i+1, w[:40]+"…")
				}
			}
		}
		return nil
	}
	if len(a.Include)+len(a.Exclude) > 200 {
		return Invalidf("%s may have at most 200 entries", where)
	}
	if err := check("include", a.Include); err != nil {
		return err
	}
	return check("exclude", a.Exclude)
}

func staffTypeList() string {
	s := make([]string, len(StaffTypes))
	for i, t := range StaffTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// RequirementStart is R, the date officer o's requirement for course c
// began: the date recorded when an import or an audience change moved them
// into the course's audience, else their start date, else the date Muster
// first saw them.
func RequirementStart(o Officer, c Course) Date {
	if r, ok := o.RequiredSince[c.ID]; ok && !r.IsZero() {
		return r
	}
	if !o.StartDate.IsZero() {
		return o.StartDate
	}
	return o.FirstSeen
}

// Required reports whether officer o must do course c on date d: they are
// active, in the course's audience, and their requirement began on or
// before d.
func Required(o Officer, c Course, d Date) bool {
	return o.Active() && c.Audience.Includes(o) && !RequirementStart(o, c).After(d)
}

// Describe says who the audience is in words, e.g. "unit Frontline
// Policing and staff type officer or special; or unit Specialist Crime /
// Public Protection; except role Front Counter Officer" ("everyone" for
// the zero Audience).
func (a Audience) Describe() string {
	rule := func(r AudienceRule) string {
		var parts []string
		for _, c := range []struct {
			name string
			ws   Words
		}{{"unit", r.Unit}, {"staff type", r.StaffType}, {"rank", r.Rank}, {"role", r.Role}} {
			if len(c.ws) > 0 {
				parts = append(parts, c.name+" "+strings.Join(c.ws, " or "))
			}
		}
		return strings.Join(parts, " and ")
	}
	var inc, exc []string
	for _, r := range a.Include {
		inc = append(inc, rule(r))
	}
	for _, r := range a.Exclude {
		exc = append(exc, rule(r))
	}
	s := "everyone"
	if len(inc) > 0 {
		s = strings.Join(inc, "; or ")
	}
	if len(exc) > 0 {
		s += "; except " + strings.Join(exc, "; or ")
	}
	return s
}
