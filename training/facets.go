package training

import (
	"cmp"
	"slices"
)

// Facet is one value found on the roster and how many active people have
// it (for a unit: in its whole subtree).
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Facets are the values a course audience can be written in, as the
// roster has them: the pickers of the audience editor.
type Facets struct {
	// Units lists every unit path with the people in its subtree, in
	// tree order (a parent before its children).
	Units      []Facet `json:"units"`
	StaffTypes []Facet `json:"staff_types"`
	Ranks      []Facet `json:"ranks"`
	Roles      []Facet `json:"roles"`
}

// RosterFacets counts the active people of ds by unit (subtree), staff
// type (every type, in display order, even when none has it), rank and
// role (most common first, then by name; blank ones left out).
func RosterFacets(ds *Dataset) Facets {
	units, staff, ranks, roles := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		for _, u := range UnitAncestors(o.Unit) {
			units[u]++
		}
		staff[string(o.StaffType)]++
		if o.Rank != "" {
			ranks[CleanText(o.Rank)]++
		}
		if o.Role != "" {
			roles[CleanText(o.Role)]++
		}
	}
	var f Facets
	for u, n := range units {
		f.Units = append(f.Units, Facet{u, n})
	}
	slices.SortFunc(f.Units, func(a, b Facet) int { return cmp.Compare(a.Value, b.Value) })
	for _, t := range StaffTypes {
		f.StaffTypes = append(f.StaffTypes, Facet{string(t), staff[string(t)]})
	}
	byCount := func(m map[string]int) []Facet {
		out := make([]Facet, 0, len(m))
		for v, n := range m {
			out = append(out, Facet{v, n})
		}
		slices.SortFunc(out, func(a, b Facet) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return cmp.Compare(a.Value, b.Value)
		})
		return out
	}
	f.Ranks, f.Roles = byCount(ranks), byCount(roles)
	return f
}

// Covers counts the active people of ds in audience a.
func (a Audience) Covers(ds *Dataset) int {
	n := 0
	for _, o := range ds.Officers {
		if o.Active() && a.Includes(o) {
			n++
		}
	}
	return n
}
