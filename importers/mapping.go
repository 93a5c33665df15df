package importers

// Mappings HR chooses: what a column holds, by its header, given on the
// command line (--map "Pers.No.=id"), in the web preview, or saved under a
// name (training.ColumnMapping) and applied to later files with the same
// headers. A choice made by a person always wins over what the importer
// would detect, and the report says whose choice each column follows.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/muster-police/muster/training"
)

// FieldIgnore is the mapping target that leaves a column out.
const FieldIgnore Field = "ignore"

// mappable are the fields a mapping may name, with the words shown for them.
var mappable = []struct {
	field Field
	label string
}{
	{FieldID, "officer ID"}, {FieldName, "full name"}, {FieldSurname, "surname"}, {FieldForename, "forename"},
	{FieldEmail, "email"}, {FieldRank, "rank"}, {FieldUnit, "unit (whole path)"}, {FieldUnit1, "unit level 1 (command)"},
	{FieldUnit2, "unit level 2 (BCU)"}, {FieldUnit3, "unit level 3 (team)"}, {FieldLineManager, "line manager"},
	{FieldStartDate, "start date"}, {FieldStatus, "employment status"}, {FieldRole, "role (job or post title)"},
	{FieldStaffType, "staff type"}, {FieldInPostSince, "in post since"}, {FieldCourse, "course name"},
	{FieldCompletionDate, "completion date"}, {FieldCompletionStatus, "completion status"},
	{FieldIgnore, "ignore this column"},
}

// CourseChoicePrefix starts the pick-list words of a course column:
// "completion date of CSE recognition".
const CourseChoicePrefix = "completion date of "

// cutPrefixFold is strings.CutPrefix ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// FieldChoice is one field a column can be mapped to, for pick lists.
type FieldChoice struct {
	Field Field  `json:"field"`
	Label string `json:"label"`
}

// FieldChoices lists the fields a column can be mapped to (besides
// "course:<id>", a course column of a wide roster).
func FieldChoices() []FieldChoice {
	out := make([]FieldChoice, len(mappable))
	for i, m := range mappable {
		out[i] = FieldChoice{m.field, m.label}
	}
	return out
}

// fieldLabel is the plain name of a field, for reports.
func fieldLabel(f Field) string {
	for _, m := range mappable {
		if m.field == f {
			return m.label
		}
	}
	if f == FieldCourseColumn {
		return "course completion"
	}
	return string(f)
}

// target is what a mapping says a column holds.
type target struct {
	field  Field
	course string // for FieldCourseColumn
}

// parseTarget reads a mapping's field: a field name, "course:<id>" or "ignore".
func parseTarget(s string, courses []training.Course) (target, error) {
	s = strings.TrimSpace(s)
	if id, ok := strings.CutPrefix(s, "course:"); ok {
		id = strings.TrimSpace(id)
		for _, c := range courses {
			if c.ID == id {
				return target{field: FieldCourseColumn, course: id}, nil
			}
		}
		return target{}, training.Invalidf("there is no course %q (see muster courses list)", id)
	}
	for _, m := range mappable {
		if string(m.field) == s {
			return target{field: m.field}, nil
		}
	}
	// The pick list's own words work too ("officer ID", "completion date
	// of CSE recognition"), so the upload form's box and the preview's
	// pick lists speak the same language.
	for _, m := range mappable {
		if strings.EqualFold(m.label, s) {
			return target{field: m.field}, nil
		}
	}
	if title, ok := cutPrefixFold(s, CourseChoicePrefix); ok {
		for _, c := range courses {
			if strings.EqualFold(c.Title, strings.TrimSpace(title)) {
				return target{field: FieldCourseColumn, course: c.ID}, nil
			}
		}
	}
	names := make([]string, 0, len(mappable)+1)
	for _, m := range mappable {
		names = append(names, m.label)
	}
	names = append(names, CourseChoicePrefix+"<course title>")
	return target{}, training.Invalidf("%q is not something a column can hold; use the pick list's words: %s (or the short names such as id, email, course:<course id>)", s, strings.Join(names, ", "))
}

// ParseMappingRule reads "Header=field" as the command line gives it
// (the last "=" separates them, so a header may hold one).
func ParseMappingRule(s string) (training.MappingRule, error) {
	i := strings.LastIndexByte(s, '=')
	if i <= 0 || i == len(s)-1 {
		return training.MappingRule{}, training.Invalidf("%q: a mapping is written HEADER=FIELD, e.g. \"Pers.No.=id\"", s)
	}
	h, f := clean(s[:i]), strings.TrimSpace(s[i+1:])
	if h == "" || len(h) > training.MaxMappingText {
		return training.MappingRule{}, training.Invalidf("%q: the header must be 1 to %d characters", s, training.MaxMappingText)
	}
	return training.MappingRule{Header: h, Field: f}, nil
}

// overrides are mapping rules by headerKey, with where they come from.
type overrides struct {
	rules map[string]target
	why   string // "your mapping", "the saved mapping \"X\""
}

// newOverrides checks rules against the fields and courses.
func newOverrides(rules []training.MappingRule, courses []training.Course, why string) (*overrides, error) {
	if len(rules) == 0 {
		return nil, nil
	}
	o := &overrides{rules: make(map[string]target, len(rules)), why: why}
	for _, r := range rules {
		t, err := parseTarget(r.Field, courses)
		if err != nil {
			return nil, fmt.Errorf("mapping of %q: %w", r.Header, err)
		}
		k := headerKey(r.Header)
		if k == "" {
			return nil, training.Invalidf("mapping of %q: the header has no letters or digits", r.Header)
		}
		o.rules[k] = t
	}
	return o, nil
}

// hasID reports whether the overrides name an officer ID column.
func (o *overrides) hasID() bool {
	for _, t := range o.rules {
		if t.field == FieldID {
			return true
		}
	}
	return false
}

func (o *overrides) lookup(header string) (target, bool) {
	if o == nil {
		return target{}, false
	}
	t, ok := o.rules[headerKey(header)]
	return t, ok
}

// savedMapping is a training.ColumnMapping ready to match header rows.
type savedMapping struct {
	name      string
	signature string
	rules     *overrides
	course    string
}

// headerSignature identifies a header row by its headers (cleaned, case
// and punctuation folded, in column order, blank cells left out).
func headerSignature(headers []string) string {
	keys := make([]string, 0, len(headers))
	for _, h := range headers {
		if k := headerKey(h); k != "" {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, "\x00")
}

// prepareSaved turns saved mappings into matchers; one that no longer
// fits the courses (a course was renamed) is left out with a warning.
func prepareSaved(ms []training.ColumnMapping, courses []training.Course) ([]savedMapping, []string) {
	var out []savedMapping
	var warnings []string
	for _, m := range ms {
		o, err := newOverrides(m.Rules, courses, fmt.Sprintf("the saved mapping %q", m.Name))
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("The saved mapping %q was not used: %v.", m.Name, err))
			continue
		}
		if o == nil {
			o = &overrides{rules: map[string]target{}, why: fmt.Sprintf("the saved mapping %q", m.Name)}
		}
		out = append(out, savedMapping{name: m.Name, signature: headerSignature(m.Headers), rules: o, course: m.Course})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, warnings
}
