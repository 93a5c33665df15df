package redis

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/muster-police/muster/training"
)

// ApplyChanges writes a change set atomically (see DESIGN.md):
//
//  1. validate, and check the revision and file hash (early, cheap refusal);
//  2. take the apply lock (SET NX PX, the heartbeat of this import) and
//     register a staging token;
//  3. for officers, completions and exemptions at once: build the new
//     records (completions and exemptions merged with the stored ones of
//     the officers concerned) and write them into a staging hash under
//     the roster's hash tag, pipelined in chunks, each with an expiry so
//     abandoned staging vanishes by itself;
//  4. one Lua script re-checks lock, revision and hash and moves staging
//     into the live hashes, records the import and bumps the revision.
//
// Readers never see staging, so until step 4 nothing is visible, and
// step 4 is atomic. A process killed before step 4 leaves only staging
// keys, removed by their expiry, by the next Open or the next import.
func (s *Store) ApplyChanges(ctx context.Context, cs training.ChangeSet) (int64, error) {
	if err := validateChanges(cs); err != nil {
		return 0, err
	}
	checkHash := ""
	if (cs.Import.Kind == training.ImportFull || cs.Import.Kind == training.ImportPartial) && cs.Import.FileHash != "" {
		checkHash = cs.Import.FileHash
	}
	if err := s.checkApply(ctx, cs.BaseRevision, checkHash); err != nil {
		return 0, err
	}

	token, err := newToken()
	if err != nil {
		return 0, err
	}
	ok, err := s.bulk.SetNX(ctx, s.keys.applyLock, token, s.applyTTL).Result()
	if err != nil {
		return 0, s.wrap(err)
	}
	if !ok {
		return 0, training.Conflictf("another import is being applied right now; plan again and retry")
	}
	applied := false
	defer func() {
		if !applied {
			s.dropStaging(token)
		}
	}()
	// Holding the lock, any other registered staging is a dead import's.
	if err := s.cleanStaging(ctx); err != nil {
		return 0, err
	}
	if err := s.bulk.SAdd(ctx, s.keys.stages, token).Err(); err != nil {
		return 0, s.wrap(err)
	}
	s.step("locked")

	stOff, stComp, stEx := s.keys.stage(token)
	parts := []*stagePart{
		{live: s.keys.officers, stage: stOff, build: func(context.Context) ([]string, error) { return officerFields(cs.Officers), nil }},
		{live: s.keys.completions, stage: stComp, build: func(ctx context.Context) ([]string, error) { return s.completionFields(ctx, cs.Completions) }},
		{live: s.keys.exemptions, stage: stEx, build: func(ctx context.Context) ([]string, error) { return s.exemptionFields(ctx, cs.Exemptions) }},
	}
	// The three hashes are built and staged concurrently: encoding on
	// this side overlaps with Redis storing the other parts.
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() { errs[i] = s.stagePart(ctx, token, p) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, firstDomainError(errs)
	}
	s.step("staged")

	rec := toImportRec(cs.Import)
	keys := []string{s.keys.rev, s.keys.officers, s.keys.completions, s.keys.exemptions,
		s.keys.imports, s.keys.importsByTime, s.keys.importByHash, s.keys.stages, s.keys.applyLock,
		stOff, stComp, stEx, s.keys.changes}
	res, err := applyScript.Run(ctx, s.bulk, keys,
		cs.BaseRevision, checkHash, cs.Import.ID, encode(rec), score(cs.Import.At), token,
		parts[0].count, parts[1].count, parts[2].count, cs.Import.FileHash,
		parts[0].mode, parts[1].mode, parts[2].mode).Int64Slice()
	if err != nil {
		return 0, s.wrap(err)
	}
	applied = true
	switch res[0] {
	case 1:
		return res[1], nil
	case -1:
		return 0, training.Conflictf("the roster changed since this import was planned (revision %d, planned against %d)", res[1], cs.BaseRevision)
	case -2:
		return 0, training.Conflictf("this file was already applied")
	case -3:
		return 0, training.Conflictf("the import took too long and lost its lock; nothing was changed, try again")
	default:
		return 0, training.Conflictf("the staged import was incomplete (removed while writing); nothing was changed, try again")
	}
}

// firstDomainError returns the first error, preferring one that is
// already in the domain's vocabulary.
func firstDomainError(errs []error) error {
	var first error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if first == nil {
			first = err
		}
		for _, e := range []error{training.ErrUnavailable, training.ErrConflict, training.ErrInvalid} {
			if errors.Is(err, e) {
				return err
			}
		}
	}
	return first
}

// stagePart is one roster hash of an import being staged.
type stagePart struct {
	live, stage string
	build       func(ctx context.Context) ([]string, error) // id, record, id, record, ...
	mode        string                                      // "-" nothing, "m" merge, "r" replace
	count       int64                                       // fields the staging hash must hold
}

// stagePart builds one hash's fields and writes them to staging. Small
// changes are staged alone and merged by the Lua step (about 2 ms of
// Redis time per thousand fields). Large ones are staged as a full new hash:
// the changes plus every other field of the live hash, read here with
// HSCAN, so the Lua step only renames it over the live one. (A server-side
// COPY would be simpler but holds Redis for half a second at 150,000
// officers; HSCAN never holds it long. The copy is exact: the Lua step
// refuses it if the revision moved meanwhile.)
func (s *Store) stagePart(ctx context.Context, token string, p *stagePart) error {
	fields, err := p.build(ctx)
	if err != nil {
		return err
	}
	n := len(fields) / 2
	switch {
	case n == 0:
		p.mode = "-"
		return nil
	case n <= s.mergeLimit:
		p.mode = "m"
	default:
		p.mode = "r"
		have := make(map[string]struct{}, n)
		for i := 0; i < len(fields); i += 2 {
			have[fields[i]] = struct{}{}
		}
		err := s.scanHash(ctx, p.live, func(k, v string) error {
			if _, ok := have[k]; !ok {
				have[k] = struct{}{}
				fields = append(fields, k, v)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	p.count = int64(len(fields) / 2)
	return s.stageHash(ctx, token, p.stage, fields)
}

// onlyPostsSince reports whether the roster moved from revision base to
// rev by logged completion posts only (or not at all): a change planned
// against base can then still be applied, since adding completions never
// disagrees with it.
func (s *Store) onlyPostsSince(ctx context.Context, base, rev int64) (bool, error) {
	if base > rev || base < 0 {
		return false, nil
	}
	if base == rev {
		return true, nil
	}
	n, err := s.bulk.XRange(ctx, s.keys.changes, strconv.FormatInt(base+1, 10)+"-0", strconv.FormatInt(rev, 10)+"-0").Result()
	if err != nil {
		return false, s.wrap(err)
	}
	return int64(len(n)) == rev-base, nil
}

// validateChanges refuses a change set with records that have no key.
func validateChanges(cs training.ChangeSet) error {
	if cs.Import.ID == "" {
		return training.Invalidf("a change set needs an import ID")
	}
	for _, o := range cs.Officers {
		if o.ID == "" {
			return training.Invalidf("an officer without an ID")
		}
	}
	for _, c := range cs.Completions {
		if c.OfficerID == "" || c.CourseID == "" {
			return training.Invalidf("a completion without an officer ID or a course")
		}
	}
	for _, e := range cs.Exemptions {
		if e.OfficerID == "" || e.CourseID == "" {
			return training.Invalidf("an exemption without an officer ID or a course")
		}
	}
	return nil
}

func (s *Store) checkApply(ctx context.Context, base int64, hash string) error {
	rev, err := s.Revision(ctx)
	if err != nil {
		return err
	}
	posts, err := s.onlyPostsSince(ctx, base, rev)
	if err != nil {
		return err
	}
	if !posts {
		return training.Conflictf("the roster changed since this import was planned (revision %d, planned against %d)", rev, base)
	}
	if hash == "" {
		return nil
	}
	done, err := s.bulk.HExists(ctx, s.keys.importByHash, hash).Result()
	if err != nil {
		return s.wrap(err)
	}
	if done {
		return training.Conflictf("this file was already applied")
	}
	return nil
}
