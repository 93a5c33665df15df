package training

import (
	"cmp"
	"slices"
)

// The merge rules of an officer's history, one home for every backend
// (each keeps its own wire format; only the rule lives here). The order
// and the identity of a completion are CompareCompletions and
// SameCompletion (change.go), which ApplyChange uses too.

// MergeCompletions adds to one officer's history have the completions of
// add it does not hold yet (SameCompletion): the
// first record of each is kept, so a re-import changes nothing, except
// that a register's record is taken over by another source's (TakesOver).
// It returns the history in CompareCompletions order and whether anything
// was added or taken over; have's backing array may be reused.
func MergeCompletions(have, add []Completion) ([]Completion, bool) {
	n, took := len(have), false
	for _, c := range add {
		// An officer's history is a handful of records, so a scan beats a map.
		i := slices.IndexFunc(have, func(h Completion) bool { return SameCompletion(h, c) })
		switch {
		case i < 0:
			have = append(have, c)
		case TakesOver(have[i], c):
			have[i], took = c, true
		}
	}
	if len(have) == n {
		return have, took
	}
	slices.SortStableFunc(have, CompareCompletions)
	return have, true
}

// RemoveCompletions returns one officer's completions have without those
// of rm (same completion from the same history entry, see
// CompletionBatch.Removed), in a new slice when any went, and whether any did.
func RemoveCompletions(have, rm []Completion) ([]Completion, bool) {
	gone := func(h Completion) bool {
		return slices.ContainsFunc(rm, func(r Completion) bool {
			return r.OfficerID == h.OfficerID && SameCompletion(h, r) && r.Source.ImportID == h.Source.ImportID
		})
	}
	if !slices.ContainsFunc(have, gone) {
		return have, false
	}
	return slices.DeleteFunc(slices.Clone(have), gone), true
}

// MergeExemptions puts the exemptions of add into one officer's
// exemptions have: one per course, a later one replacing an earlier one
// (within add too). The result is sorted by course; have's backing array
// may be reused.
func MergeExemptions(have, add []Exemption) []Exemption {
	for _, x := range add {
		if i := slices.IndexFunc(have, func(h Exemption) bool { return h.CourseID == x.CourseID }); i >= 0 {
			have[i] = x
		} else {
			have = append(have, x)
		}
	}
	slices.SortStableFunc(have, func(a, b Exemption) int { return cmp.Compare(a.CourseID, b.CourseID) })
	return have
}
