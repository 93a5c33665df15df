package bolt

import (
	"context"

	"github.com/muster-police/muster/training"
	bbolt "go.etcd.io/bbolt"
)

// WithdrawImport takes back an applied entry's completions, replaces the
// entry and logs the change, in one transaction (see training.WithdrawStore).
func (s *Store) WithdrawImport(ctx context.Context, w training.Withdrawal) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := w.Validate(); err != nil {
		return 0, err
	}
	var rev int64
	err := s.update(func(tx *bbolt.Tx) error {
		old, err := getImport(tx, w.Record.ID)
		if err != nil {
			return err
		}
		if err := training.CheckWithdrawable(old); err != nil {
			return err
		}
		if err := removeCompletions(tx, w.Removed); err != nil {
			return err
		}
		if err := addCompletions(tx, w.HandedOver); err != nil {
			return err
		}
		if err := putImport(tx, w.Record); err != nil {
			return err
		}
		rev, err = s.logChange(tx, w.HandedOver, w.Removed)
		return err
	})
	return rev, err
}
