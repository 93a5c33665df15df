package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// The audience editor on the Courses page: who must do a course, written
// with pickers filled from the roster (units with the people under them,
// staff types, ranks and roles with counts) and typed patterns, one row
// per include or exclude entry (docs/COMPLIANCE.md, "Who must do a course").

// pickerUnitDepth is how deep the unit picker lists units: commands and
// their BCUs. Deeper paths are typed, one per line, beside it, so that a
// force of 2,000 teams does not send 2,000 options per row.
const pickerUnitDepth = 2

// maxAudienceRows bounds the rows a form may send (the domain allows 200
// entries; a page never needs more than a handful).
const maxAudienceRows = 50

// pickOption is one choice of a picker.
type pickOption struct {
	Value, Label string
	Selected     bool
}

// audienceRow is one include or exclude entry as the form shows it.
type audienceRow struct {
	Kind  string // "inc" or "exc"
	Index int
	// ID is the prefix of the row's field ids, unique on the page.
	ID         string
	Units      []pickOption
	MoreUnits  string
	StaffTypes []pickOption
	Ranks      []pickOption
	Roles      []pickOption
	MoreRoles  string
}

// Name is the form name of the row's field f.
func (r audienceRow) Name(f string) string { return r.Kind + "-" + strconv.Itoa(r.Index) + "-" + f }

// audienceEditor is the "audience" template's argument for one course form.
type audienceEditor struct {
	// Suffix makes ids unique per course form ("-ID", or "-new").
	Suffix   string
	Describe string
	Covers   int
	Include  []audienceRow
	Exclude  []audienceRow
}

// newAudienceEditor lays out the rows of audience a (plus one empty row of
// each kind to add to) with the roster's values as choices.
func newAudienceEditor(a training.Audience, f training.Facets, ds *training.Dataset, suffix string) audienceEditor {
	ed := audienceEditor{Suffix: suffix, Describe: a.Describe(), Covers: a.Covers(ds)}
	rows := func(kind string, rules []training.AudienceRule) []audienceRow {
		out := make([]audienceRow, 0, len(rules)+1)
		for i, r := range append(slices.Clone(rules), training.AudienceRule{}) {
			out = append(out, audienceRowOf(kind, i, suffix, r, f))
		}
		return out
	}
	ed.Include, ed.Exclude = rows("inc", a.Include), rows("exc", a.Exclude)
	return ed
}

func audienceRowOf(kind string, i int, suffix string, r training.AudienceRule, f training.Facets) audienceRow {
	row := audienceRow{Kind: kind, Index: i, ID: fmt.Sprintf("%s-%d%s", kind, i, suffix)}
	people := peopleCount
	var more []string
	listed := map[string]bool{}
	for _, u := range f.Units {
		if len(training.SplitUnit(u.Value)) > pickerUnitDepth {
			continue
		}
		listed[u.Value] = true
		label := u.Value + " (" + people(u.Count) + ")"
		row.Units = append(row.Units, pickOption{Value: u.Value, Label: label, Selected: slices.Contains(r.Unit, u.Value)})
	}
	for _, u := range r.Unit {
		if !listed[u] {
			more = append(more, u)
		}
	}
	row.MoreUnits = strings.Join(more, "\n")
	for _, s := range f.StaffTypes {
		row.StaffTypes = append(row.StaffTypes, pickOption{Value: s.Value, Label: staffTypeWords(s.Value) + " (" + people(s.Count) + ")", Selected: slices.Contains(r.StaffType, s.Value)})
	}
	row.Ranks = facetOptions(f.Ranks, r.Rank, people)
	var patterns []string
	known := map[string]bool{}
	for _, x := range f.Roles {
		known[strings.ToLower(x.Value)] = true
	}
	var picked []string
	for _, x := range r.Role {
		if strings.Contains(x, "*") || !known[strings.ToLower(x)] {
			patterns = append(patterns, x)
		} else {
			picked = append(picked, x)
		}
	}
	row.Roles = facetOptions(f.Roles, picked, people)
	row.MoreRoles = strings.Join(patterns, "\n")
	return row
}

// facetOptions lists the roster's values with counts, selected where the
// rule names them (case-insensitively); a value the rule names that the
// roster lacks is added, selected, so that saving keeps it.
func facetOptions(fs []training.Facet, chosen []string, people func(int) string) []pickOption {
	out := make([]pickOption, 0, len(fs))
	found := map[string]bool{}
	for _, x := range fs {
		sel := slices.ContainsFunc(chosen, func(c string) bool { return strings.EqualFold(c, x.Value) })
		if sel {
			found[strings.ToLower(x.Value)] = true
		}
		out = append(out, pickOption{Value: x.Value, Label: x.Value + " (" + people(x.Count) + ")", Selected: sel})
	}
	for _, c := range chosen {
		if !found[strings.ToLower(c)] {
			out = append(out, pickOption{Value: c, Label: c + " (nobody now)", Selected: true})
		}
	}
	return out
}

// staffTypeWords names a staff type as people say it.
func staffTypeWords(s string) string {
	switch training.StaffType(s) {
	case training.StaffOfficer:
		return "Police officers"
	case training.StaffStaff:
		return "Police staff"
	case training.StaffSpecial:
		return "Special constables"
	case training.StaffPCSO:
		return "PCSOs"
	case training.StaffVolunteer:
		return "Volunteers"
	}
	return s
}

// audienceFromForm reads the editor's rows back into an audience: a row
// whose pickers and boxes are all empty is left out.
func audienceFromForm(form url.Values) (training.Audience, error) {
	lines := func(s string) []string {
		var out []string
		for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	rows := func(kind string) ([]training.AudienceRule, error) {
		var out []training.AudienceRule
		for i := 0; ; i++ {
			name := func(f string) string { return kind + "-" + strconv.Itoa(i) + "-" + f }
			if _, ok := form[name("row")]; !ok {
				return out, nil
			}
			if i >= maxAudienceRows {
				return nil, training.Invalidf("an audience form may have at most %d rows", maxAudienceRows)
			}
			r := training.AudienceRule{
				Unit:      append(slices.Clone(form[name("unit")]), lines(form.Get(name("unit_more")))...),
				StaffType: form[name("staff_type")],
				Rank:      form[name("rank")],
				Role:      append(slices.Clone(form[name("role")]), lines(form.Get(name("role_more")))...),
			}
			if len(r.Unit)+len(r.StaffType)+len(r.Rank)+len(r.Role) > 0 {
				out = append(out, r)
			}
		}
	}
	inc, err := rows("inc")
	if err != nil {
		return training.Audience{}, err
	}
	exc, err := rows("exc")
	if err != nil {
		return training.Audience{}, err
	}
	return training.Audience{Include: inc, Exclude: exc}.Normalize(), nil
}

// AudienceCount answers the editor's live count: how many people the
// audience in the posted form covers now, and the audience in words.
func (p *Pages) AudienceCount(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return training.Invalidf("the form could not be read")
	}
	a, err := audienceFromForm(form)
	if err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	ds, err := p.Live.Dataset(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"covers": a.Covers(ds), "describe": a.Describe()})
}
