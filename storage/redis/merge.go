package redis

import (
	"context"

	"github.com/muster-police/muster/training"
)

// Building the records an import stages: officers as given, and each
// concerned officer's completions and exemptions merged with the stored ones.

// officerFields encodes officers as hash fields; of an ID given twice
// the last wins.
func officerFields(officers []training.Officer) []string {
	idx := make(map[string]int, len(officers))
	fields := make([]string, 0, 2*len(officers))
	for _, o := range officers {
		if i, ok := idx[o.ID]; ok {
			fields[i+1] = encodeOfficer(o)
			continue
		}
		idx[o.ID] = len(fields)
		fields = append(fields, o.ID, encodeOfficer(o))
	}
	return fields
}

// completionFields returns, for each officer concerned, the whole new
// list of completions: the stored one with the new completions added.
// The stored lists are read after the revision check; the Lua step checks
// the revision again, so a merge against data that changed meanwhile is
// refused rather than written.
func (s *Store) completionFields(ctx context.Context, comps []training.Completion) ([]string, error) {
	ids, by := groupBy(comps, func(c training.Completion) string { return c.OfficerID })
	old, err := s.hmget(ctx, s.keys.completions, ids)
	if err != nil {
		return nil, err
	}
	var fields []string
	for i, id := range ids {
		var have []training.Completion
		if old[i] != "" {
			if have, err = decodeCompletions(id, old[i], nil); err != nil {
				return nil, err
			}
		}
		if merged, changed := training.MergeCompletions(have, by[id]); changed {
			fields = append(fields, id, encodeCompletions(merged))
		}
	}
	return fields, nil
}

// exemptionFields is completionFields for exemptions.
func (s *Store) exemptionFields(ctx context.Context, exs []training.Exemption) ([]string, error) {
	ids, by := groupBy(exs, func(e training.Exemption) string { return e.OfficerID })
	old, err := s.hmget(ctx, s.keys.exemptions, ids)
	if err != nil {
		return nil, err
	}
	var fields []string
	for i, id := range ids {
		var have []training.Exemption
		if old[i] != "" {
			if have, err = decodeExemptions(id, old[i], nil); err != nil {
				return nil, err
			}
		}
		fields = append(fields, id, encodeExemptions(training.MergeExemptions(have, by[id])))
	}
	return fields, nil
}

// groupBy groups items by key, keeping first-seen key order.
func groupBy[T any](items []T, key func(T) string) ([]string, map[string][]T) {
	var order []string
	by := map[string][]T{}
	for _, it := range items {
		k := key(it)
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], it)
	}
	return order, by
}
