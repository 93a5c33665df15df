package training

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"time"
)

// ErrChangesGone means the change log no longer holds (or never held) some
// change after the revision asked for: the reader must read the whole
// Dataset again. It is not a failure of the store.
var ErrChangesGone = errors.New("changes no longer in the log")

// ChangeFeed is how a server keeps its in-memory roster current without
// re-reading it: completions posted through the API are logged as small
// deltas, one per revision (storage/redis: a Redis Stream; storage/bolt: a
// bounded bucket). Every other roster write (a file import, a course edit)
// leaves a gap in the log, which tells readers to read the Dataset again.
type ChangeFeed interface {
	// AddCompletions records a batch of API completions in one atomic
	// write, without a revision check: adding completions never clashes
	// with another write (a completion equal to a stored one is not added
	// twice). Each of b.Imports is created, or, when an entry with its ID
	// exists, its summary counts are added to that entry's (its At, By and
	// Kind stay). The batch is logged as a Change. It returns the new revision.
	AddCompletions(ctx context.Context, b CompletionBatch) (int64, error)
	// Changes returns the logged changes after revision since, oldest
	// first, up to the current revision; ErrChangesGone when one of them
	// is not in the log. When wait > 0 and nothing is newer than since, it
	// waits up to wait for a change first (an empty list when none came).
	Changes(ctx context.Context, since int64, wait time.Duration) ([]Change, error)
}

// CompletionBatch is several API posts written in one store transaction
// (group commit).
type CompletionBatch struct {
	Completions []Completion
	// Imports are the history entries the completions belong to (one per
	// client per hour): Summary holds the counts this batch adds.
	Imports []ImportRecord
	// Removed are completions taken back (by voided xAPI statements): a
	// stored completion is removed when it is the same (SameCompletion)
	// and came from the same history entry (Source.ImportID), so one that
	// a file also reported is kept.
	Removed []Completion
	// Statements are xAPI statements stored with the batch (created, or
	// replaced when one with the same ID and Hash is stored); one whose
	// ID is stored with another Hash fails the batch with ErrConflict.
	Statements []Statement
}

// Change is one logged roster change: what revision it made and the
// completions it added.
type Change struct {
	Revision    int64
	Completions []Completion
	// Removed are the completions the change took back (see CompletionBatch).
	Removed []Completion
}

// ChangeLogSize is how many changes a store keeps in its log: a replica
// more than this many revisions behind reads the Dataset again.
const ChangeLogSize = 10000

// ApplyChange adds ch's completions to ds as the stores do (a completion
// equal to a stored one in officer, course, date and date_unknown is not
// added twice, but takes over a register's record, see TakesOver; each
// officer's history stays sorted by CompareCompletions)
// and sets ds.Revision. It never modifies a slice that ds held before: a
// Dataset cloned with CloneDataset beforehand stays as it was. It returns
// the IDs of the officers whose history changed.
func ApplyChange(ds *Dataset, ch Change) []string {
	var touched []string
	if ds.Completions == nil {
		ds.Completions = map[string][]Completion{}
	}
	for _, r := range ch.Removed {
		have := ds.Completions[r.OfficerID]
		next, changed := RemoveCompletions(have, []Completion{r})
		if !changed {
			continue
		}
		ds.Completions[r.OfficerID] = next
		if !slices.Contains(touched, r.OfficerID) {
			touched = append(touched, r.OfficerID)
		}
	}
	for _, c := range ch.Completions {
		have := ds.Completions[c.OfficerID]
		var next []Completion
		if i := slices.IndexFunc(have, func(h Completion) bool { return SameCompletion(h, c) }); i >= 0 {
			if !TakesOver(have[i], c) {
				continue
			}
			next = slices.Clone(have)
			next[i] = c
		} else {
			next = make([]Completion, len(have), len(have)+1)
			copy(next, have)
			next = append(next, c)
			slices.SortStableFunc(next, CompareCompletions)
		}
		ds.Completions[c.OfficerID] = next
		if !slices.Contains(touched, c.OfficerID) {
			touched = append(touched, c.OfficerID)
		}
	}
	ds.Revision = ch.Revision
	return touched
}

// SameCompletion reports whether a and b record the same completion for
// the stores: same course, date and date_unknown (of the same officer).
func SameCompletion(a, b Completion) bool {
	return a.CourseID == b.CourseID && a.Date == b.Date && a.DateUnknown == b.DateUnknown
}

// CompareCompletions is the order of an officer's completions in every
// store: by course, then date, then dated before undated.
func CompareCompletions(a, b Completion) int {
	if c := cmp.Compare(a.CourseID, b.CourseID); c != 0 {
		return c
	}
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	switch {
	case a.DateUnknown == b.DateUnknown:
		return 0
	case !a.DateUnknown:
		return -1
	}
	return 1
}

// CloneDataset returns a copy of ds that ApplyChange can change without
// touching ds: the completions map is copied (its slices are shared, since
// ApplyChange replaces them and never changes them in place); officers and
// exemptions, which ApplyChange never changes, are shared.
func CloneDataset(ds *Dataset) *Dataset {
	return &Dataset{
		Revision:    ds.Revision,
		Courses:     ds.Courses,
		Officers:    ds.Officers,
		Completions: maps.Clone(ds.Completions),
		Exemptions:  ds.Exemptions,
	}
}

// MergeImportCounts returns the history entry old with the counts of add
// added: a group of API posts (one client, one hour) growing by a batch.
// The entry keeps its ID, kind, author and time.
func MergeImportCounts(old, add ImportRecord) ImportRecord {
	s, a := &old.Summary, add.Summary
	s.Added += a.Added
	s.Updated += a.Updated
	s.Unchanged += a.Unchanged
	s.Leavers += a.Leavers
	s.Completions += a.Completions
	s.CompletionsNoDate += a.CompletionsNoDate
	s.Exemptions += a.Exemptions
	s.OrphanCompletions += a.OrphanCompletions
	s.RowsRejected += a.RowsRejected
	s.CellErrors += a.CellErrors
	s.Warnings += a.Warnings
	s.SkippedOtherCourses += a.SkippedOtherCourses
	return old
}
