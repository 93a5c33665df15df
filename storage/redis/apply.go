package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

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
	ok, err := s.rdb.SetNX(ctx, s.keys.applyLock, token, s.applyTTL).Result()
	if err != nil {
		return 0, s.wrap(err)
	}
	if !ok {
		return 0, fmt.Errorf("%w: another import is being applied right now; plan again and retry", training.ErrConflict)
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
	if err := s.rdb.SAdd(ctx, s.keys.stages, token).Err(); err != nil {
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

	rec := importRec(cs.Import)
	keys := []string{s.keys.rev, s.keys.officers, s.keys.completions, s.keys.exemptions,
		s.keys.imports, s.keys.importsByTime, s.keys.importByHash, s.keys.stages, s.keys.applyLock,
		stOff, stComp, stEx}
	res, err := applyScript.Run(ctx, s.rdb, keys,
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
		return 0, fmt.Errorf("%w: the roster changed since this import was planned (revision %d, planned against %d)", training.ErrConflict, res[1], cs.BaseRevision)
	case -2:
		return 0, fmt.Errorf("%w: this file was already applied", training.ErrConflict)
	case -3:
		return 0, fmt.Errorf("%w: the import took too long and lost its lock; nothing was changed, try again", training.ErrConflict)
	default:
		return 0, fmt.Errorf("%w: the staged import was incomplete (removed while writing); nothing was changed, try again", training.ErrConflict)
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
// changes are staged alone and merged by the Lua step (a few ms of Redis
// time per thousand fields). Large ones are staged as a full new hash:
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

// validateChanges refuses a change set with records that have no key.
func validateChanges(cs training.ChangeSet) error {
	if cs.Import.ID == "" {
		return fmt.Errorf("%w: a change set needs an import ID", training.ErrInvalid)
	}
	for _, o := range cs.Officers {
		if o.ID == "" {
			return fmt.Errorf("%w: an officer without an ID", training.ErrInvalid)
		}
	}
	for _, c := range cs.Completions {
		if c.OfficerID == "" || c.CourseID == "" {
			return fmt.Errorf("%w: a completion without an officer ID or a course", training.ErrInvalid)
		}
	}
	for _, e := range cs.Exemptions {
		if e.OfficerID == "" || e.CourseID == "" {
			return fmt.Errorf("%w: an exemption without an officer ID or a course", training.ErrInvalid)
		}
	}
	return nil
}

func (s *Store) checkApply(ctx context.Context, base int64, hash string) error {
	rev, err := s.Revision(ctx)
	if err != nil {
		return err
	}
	if rev != base {
		return fmt.Errorf("%w: the roster changed since this import was planned (revision %d, planned against %d)", training.ErrConflict, rev, base)
	}
	if hash == "" {
		return nil
	}
	done, err := s.rdb.HExists(ctx, s.keys.importByHash, hash).Result()
	if err != nil {
		return s.wrap(err)
	}
	if done {
		return fmt.Errorf("%w: this file was already applied", training.ErrConflict)
	}
	return nil
}

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
		if merged, changed := mergeCompletions(have, by[id]); changed {
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
		fields = append(fields, id, encodeExemptions(mergeExemptions(have, by[id])))
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

// mergeCompletions adds new completions not already recorded (same
// course, date and date_unknown).
func mergeCompletions(have, add []training.Completion) ([]training.Completion, bool) {
	type k struct {
		course  string
		date    training.Date
		unknown bool
	}
	seen := make(map[k]bool, len(have)+len(add))
	for _, c := range have {
		seen[k{c.CourseID, c.Date, c.DateUnknown}] = true
	}
	changed := false
	for _, c := range add {
		key := k{c.CourseID, c.Date, c.DateUnknown}
		if seen[key] {
			continue
		}
		seen[key] = true
		have = append(have, c)
		changed = true
	}
	slices.SortStableFunc(have, compareCompletions)
	return have, changed
}

// compareCompletions orders an officer's completions: by course, then
// date, a dated one before an undated one of the same day.
func compareCompletions(a, b training.Completion) int {
	if c := strings.Compare(a.CourseID, b.CourseID); c != 0 {
		return c
	}
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	switch {
	case a.DateUnknown == b.DateUnknown:
		return 0
	case b.DateUnknown:
		return -1
	}
	return 1
}

// mergeExemptions replaces exemptions of the same course.
func mergeExemptions(have, add []training.Exemption) []training.Exemption {
	for _, e := range add {
		replaced := false
		for i := range have {
			if have[i].CourseID == e.CourseID {
				have[i], replaced = e, true
				break
			}
		}
		if !replaced {
			have = append(have, e)
		}
	}
	slices.SortStableFunc(have, func(a, b training.Exemption) int { return strings.Compare(a.CourseID, b.CourseID) })
	return have
}

// hmget reads fields of a hash in pipelined chunks; missing fields are "".
func (s *Store) hmget(ctx context.Context, key string, fields []string) ([]string, error) {
	out := make([]string, 0, len(fields))
	if len(fields) == 0 {
		return out, nil
	}
	if len(fields) > s.chunk { // many fields: not worth asking an empty hash
		n, err := s.rdb.Exists(ctx, key).Result()
		if err != nil {
			return nil, s.wrap(err)
		}
		if n == 0 {
			return make([]string, len(fields)), nil
		}
	}
	var cmds []*goredis.SliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i := 0; i < len(fields); i += s.chunk {
			cmds = append(cmds, p.HMGet(ctx, key, fields[i:min(i+s.chunk, len(fields))]...))
		}
		return nil
	})
	if err != nil {
		return nil, s.wrap(err)
	}
	for _, c := range cmds {
		for _, v := range c.Val() {
			str, _ := v.(string)
			out = append(out, str)
		}
	}
	return out, nil
}

// pipelineChunks is how many HSET chunks go in one round trip.
const pipelineChunks = 16

// stageHash writes fields (id, value, ...) into a staging hash in
// pipelined chunks, renewing the staging expiry and the apply lock as it
// goes, so a long import keeps its lock and a dead one loses it soon.
func (s *Store) stageHash(ctx context.Context, token, key string, fields []string) error {
	per := 2 * s.chunk
	for start := 0; start < len(fields); start += per * pipelineChunks {
		end := min(start+per*pipelineChunks, len(fields))
		var ext *goredis.Cmd
		_, err := s.rdb.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for i := start; i < end; i += per {
				part := fields[i:min(i+per, end)]
				args := make([]any, len(part))
				for j, f := range part {
					args[j] = f
				}
				p.HSet(ctx, key, args...)
			}
			p.PExpire(ctx, key, s.stageTTL)
			ext = extendScript.Eval(ctx, p, []string{s.keys.applyLock}, token, s.applyTTL.Milliseconds())
			return nil
		})
		if err != nil {
			return s.wrap(err)
		}
		if n, _ := ext.Int64(); n == 0 {
			return fmt.Errorf("%w: the import took too long and lost its lock; nothing was changed, try again", training.ErrConflict)
		}
		s.step("chunk")
	}
	return nil
}

// dropStaging removes one import's staging and releases its lock, even
// when ctx was cancelled (it uses its own short deadline).
func (s *Store) dropStaging(token string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	stOff, stComp, stEx := s.keys.stage(token)
	_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.Del(ctx, stOff, stComp, stEx)
		p.SRem(ctx, s.keys.stages, token)
		return nil
	})
	if err == nil {
		err = releaseScript.Run(ctx, s.rdb, []string{s.keys.applyLock}, token).Err()
	}
	if err != nil {
		s.log.Warn("could not remove an abandoned import's staging; it expires by itself", "err", s.wrap(err))
	}
}

// cleanStaging removes the staging of imports whose process died: every
// registered staging whose token does not hold the apply lock. (A live
// import holds the lock from before it registers its staging until its
// Lua step removes both.) It runs at Open and at the start of each import.
func (s *Store) cleanStaging(ctx context.Context) error {
	tokens, err := s.rdb.SMembers(ctx, s.keys.stages).Result()
	if err != nil {
		return s.wrap(err)
	}
	if len(tokens) == 0 {
		return nil
	}
	holder, err := s.rdb.Get(ctx, s.keys.applyLock).Result()
	if err != nil && !errors.Is(err, goredis.Nil) {
		return s.wrap(err)
	}
	for _, t := range tokens {
		if t == holder {
			continue
		}
		stOff, stComp, stEx := s.keys.stage(t)
		_, err := s.rdb.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.Del(ctx, stOff, stComp, stEx)
			p.SRem(ctx, s.keys.stages, t)
			return nil
		})
		if err != nil {
			return s.wrap(err)
		}
		s.log.Info("removed the staging of an import that did not finish")
	}
	return nil
}

func newToken() (string, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redis store: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// score orders records by time in sorted sets (microseconds fit a
// float64 exactly for the next few centuries).
func score(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMicro())
}

// step calls the test hook, if any.
func (s *Store) step(name string) {
	if s.afterStep != nil {
		s.afterStep(name)
	}
}
