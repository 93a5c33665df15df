package redis

import (
	"context"
	"slices"

	"github.com/muster-police/muster/training"
)

// WithdrawImport takes back an applied entry's completions (see
// training.WithdrawStore) through addCompletionsScript: the officers'
// records and the entry are compared and set in one script, so a post or
// another withdrawal in between makes this one read again, and the
// change is appended to the stream with the revision it makes.
func (s *Store) WithdrawImport(ctx context.Context, w training.Withdrawal) (int64, error) {
	if err := w.Validate(); err != nil {
		return 0, err
	}
	payload := encodeChange(w.HandedOver, w.Removed)
	ids, _ := groupBy(w.Removed, func(c training.Completion) string { return c.OfficerID })
	for attempt := 0; attempt < batchAttempts; {
		oldImport, err := s.hmget(ctx, s.keys.imports, []string{w.Record.ID})
		if err != nil {
			return 0, err
		}
		if oldImport[0] == "" {
			return 0, training.NotFoundf("import")
		}
		o, err := decode[importV1]("import", oldImport[0])
		if err != nil {
			return 0, err
		}
		if err := training.CheckWithdrawable(o.domain()); err != nil {
			return 0, err
		}
		old, err := s.hmget(ctx, s.keys.completions, ids)
		if err != nil {
			return 0, err
		}
		args := []any{len(ids), 1, payload, training.ChangeLogSize, 0}
		for i, id := range ids {
			var have []training.Completion
			if old[i] != "" {
				if have, err = decodeCompletions(id, old[i], nil); err != nil {
					return 0, err
				}
			}
			left, _ := training.RemoveCompletions(have, w.Removed)
			var back []training.Completion
			for _, c := range w.HandedOver {
				if c.OfficerID == id {
					back = append(back, c)
				}
			}
			left, _ = training.MergeCompletions(slices.Clone(left), back)
			rec := ""
			if len(left) > 0 {
				rec = encodeCompletions(left)
			}
			args = append(args, id, old[i], rec)
		}
		args = append(args, w.Record.ID, oldImport[0], encode(toImportRec(w.Record)), score(w.Record.At))
		rev, done, err := s.runAddScript(ctx, args, &attempt)
		if done || err != nil {
			return rev, err
		}
	}
	return 0, training.Conflictf("the officers' records kept changing while the register was withdrawn; try again")
}
