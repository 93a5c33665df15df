package redis

import (
	"context"

	"github.com/muster-police/muster/training"
)

// ApplyChangeParts collects the parts into one change set and applies it
// as ApplyChanges does (training.RosterStore): the Redis store builds its
// staging hashes from the whole change set (merging with the stored
// records and, for a large change, copying the live hash), so it takes
// the parts whole. Nothing is written before every part has come: a part
// that fails leaves Redis untouched.
func (s *Store) ApplyChangeParts(ctx context.Context, head training.ChangeSet, parts training.ChangeParts) (int64, error) {
	if err := validateChanges(head); err != nil {
		return 0, err
	}
	cs, err := training.CollectParts(head, parts)
	if err != nil {
		return 0, err
	}
	return s.ApplyChanges(ctx, cs)
}
