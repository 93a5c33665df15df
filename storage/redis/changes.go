package redis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
)

// The change feed (training.ChangeFeed) is a Redis Stream, {P}:changes,
// written in the same script as the completions it carries: entry ID
// "REV-0" (so readers ask for what follows a revision by ID), field "c"
// the new completions, per officer: uvarint length, officer ID, uvarint
// length, the officer's new completions in the roster codec. It is capped
// at about training.ChangeLogSize entries (MAXLEN ~). Replicas tail it
// with XREAD BLOCK (https://redis.io/docs/latest/commands/xread/) and
// read the whole roster again when it lacks a revision they need.

// addCompletionsScript writes a batch of API completions atomically if
// every record it replaces is still what the caller read (compare and
// set, so two replicas' batches for one officer never lose each other's
// completions), bumps the revision and appends the change to the stream.
//
// It waits (returns {-2, 0}) while an import holds the apply lock, so that
// the import's staging, which reads the stored completions, sees every
// post before it.
//
// KEYS: 1 rev, 2 completions, 3 imports, 4 imports:by-time, 5 changes,
// 6 apply-lock, 7 statements, 8 statements:waiting, 9 statements:voided-by.
// ARGV: 1 number of officers n, 2 number of import records m, 3 change
// payload, 4 stream length cap, 5 number of xAPI statements k, then n
// triples (officer ID, old record or "", new record; "" deletes it), then
// m quadruples (import ID, old record or "", new record, score), then k
// quintuples (statement ID, old record or "", new record, "1" when it
// waits for HR, the ID it voids or ""). Returns {1, revision}, {-1, 0} when a record moved, or
// {-2, 0} while an import is being applied.
var addCompletionsScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[6]) == 1 then return {-2, 0} end
local n, m, k = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[5])
local a = 6
for i = 1, n do
  if (redis.call('HGET', KEYS[2], ARGV[a]) or '') ~= ARGV[a + 1] then return {-1, 0} end
  a = a + 3
end
local b = a
for i = 1, m do
  if (redis.call('HGET', KEYS[3], ARGV[b]) or '') ~= ARGV[b + 1] then return {-1, 0} end
  b = b + 4
end
local c = b
for i = 1, k do
  if (redis.call('HGET', KEYS[7], ARGV[c]) or '') ~= ARGV[c + 1] then return {-1, 0} end
  c = c + 5
end
a = 6
for i = 1, n do
  if ARGV[a + 2] == '' then
    redis.call('HDEL', KEYS[2], ARGV[a])
  else
    redis.call('HSET', KEYS[2], ARGV[a], ARGV[a + 2])
  end
  a = a + 3
end
for i = 1, m do
  redis.call('HSET', KEYS[3], ARGV[a], ARGV[a + 2])
  redis.call('ZADD', KEYS[4], ARGV[a + 3], ARGV[a])
  a = a + 4
end
for i = 1, k do
  redis.call('HSET', KEYS[7], ARGV[a], ARGV[a + 2])
  if ARGV[a + 3] == '1' then
    redis.call('SADD', KEYS[8], ARGV[a])
  else
    redis.call('SREM', KEYS[8], ARGV[a])
  end
  if ARGV[a + 4] ~= '' then
    redis.call('HSET', KEYS[9], ARGV[a + 4], ARGV[a])
  end
  a = a + 5
end
local rev = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[4], rev .. '-0', 'c', ARGV[3])
return {1, rev}
`)

// batchAttempts bounds the retries of a batch whose records another replica
// changed between the read and the script: each retry reads them again
// after a short random pause. Every round lets at least one of the
// clashing writers through, so the bound is only a safety net.
const batchAttempts = 1000

// AddCompletions writes a batch of API completions (see training.ChangeFeed).
func (s *Store) AddCompletions(ctx context.Context, b training.CompletionBatch) (int64, error) {
	for _, c := range b.Completions {
		if c.OfficerID == "" || c.CourseID == "" {
			return 0, training.Invalidf("a completion without an officer ID or a course")
		}
	}
	for _, r := range b.Imports {
		if r.ID == "" {
			return 0, training.Invalidf("an import record without an ID")
		}
	}
	payload := encodeChange(b.Completions, b.Removed)
	ids, by := groupBy(append(slices.Clone(b.Removed), b.Completions...), func(c training.Completion) string { return c.OfficerID })
	importIDs := make([]string, len(b.Imports))
	for i, r := range b.Imports {
		importIDs[i] = r.ID
	}
	for attempt := 0; attempt < batchAttempts; {
		old, err := s.hmget(ctx, s.keys.completions, ids)
		if err != nil {
			return 0, err
		}
		oldImports, err := s.hmget(ctx, s.keys.imports, importIDs)
		if err != nil {
			return 0, err
		}
		stArgs, err := s.statementArgs(ctx, b.Statements)
		if err != nil {
			return 0, err
		}
		args := []any{len(ids), len(b.Imports), payload, training.ChangeLogSize, len(b.Statements)}
		for i, id := range ids {
			var have []training.Completion
			if old[i] != "" {
				if have, err = decodeCompletions(id, old[i], nil); err != nil {
					return 0, err
				}
			}
			have, _ = training.RemoveCompletions(have, b.Removed)
			var add []training.Completion
			for _, c := range by[id] {
				if !slices.Contains(b.Removed, c) {
					add = append(add, c)
				}
			}
			merged, _ := training.MergeCompletions(have, add)
			rec := ""
			if len(merged) > 0 {
				rec = encodeCompletions(merged)
			}
			args = append(args, id, old[i], rec)
		}
		for i, r := range b.Imports {
			rec := r
			if oldImports[i] != "" {
				o, err := decode[importV1]("import", oldImports[i])
				if err != nil {
					return 0, err
				}
				rec = training.MergeImportCounts(o.domain(), r)
			}
			args = append(args, r.ID, oldImports[i], encode(toImportRec(rec)), score(rec.At))
		}
		args = append(args, stArgs...)
		rev, done, err := s.runAddScript(ctx, args, &attempt)
		if done || err != nil {
			return rev, err
		}
	}
	return 0, training.Conflictf("the officers' records kept changing while the completions were written; try again")
}

// runAddScript runs addCompletionsScript once with args. done: it wrote,
// at revision rev. Not done: a record moved (counted in *attempt) or an
// import holds the apply lock (waited for, not counted); it has paused a
// short random time before the caller reads again.
func (s *Store) runAddScript(ctx context.Context, args []any, attempt *int) (rev int64, done bool, err error) {
	keys := []string{s.keys.rev, s.keys.completions, s.keys.imports, s.keys.importsByTime, s.keys.changes, s.keys.applyLock,
		s.keys.statements, s.keys.statementsWaiting, s.keys.statementsVoided}
	res, err := addCompletionsScript.Run(ctx, s.rdb, keys, args...).Int64Slice()
	if err != nil {
		return 0, false, s.wrap(err)
	}
	if res[0] == 1 {
		return res[1], true, nil
	}
	if res[0] != -2 {
		*attempt++
	}
	select {
	case <-ctx.Done():
		return 0, false, ctx.Err()
	case <-time.After(time.Duration(rand.IntN(2000)) * time.Microsecond):
	}
	return 0, false, nil
}

// Changes returns the logged changes after since (see training.ChangeFeed).
func (s *Store) Changes(ctx context.Context, since int64, wait time.Duration) ([]training.Change, error) {
	rev, err := s.Revision(ctx)
	if err != nil {
		return nil, err
	}
	if rev <= since && wait > 0 {
		// Wait for the next entry; a write that is not logged (an import)
		// wakes nobody, and is found by the revision check of the next call.
		err := s.rdb.XRead(ctx, &goredis.XReadArgs{
			Streams: []string{s.keys.changes, strconv.FormatInt(since, 10) + "-0"},
			Count:   1,
			Block:   wait,
		}).Err()
		if err != nil && !errors.Is(err, goredis.Nil) {
			return nil, s.wrap(err)
		}
		if rev, err = s.Revision(ctx); err != nil {
			return nil, err
		}
	}
	if rev <= since {
		return nil, nil
	}
	msgs, err := s.rdb.XRange(ctx, s.keys.changes, strconv.FormatInt(since+1, 10)+"-0", strconv.FormatInt(rev, 10)+"-0").Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]training.Change, 0, len(msgs))
	for i, m := range msgs {
		want := since + 1 + int64(i)
		if m.ID != strconv.FormatInt(want, 10)+"-0" {
			return nil, fmt.Errorf("revision %d: %w", want, training.ErrChangesGone)
		}
		p, _ := m.Values["c"].(string)
		cs, rm, err := decodeChange(p)
		if err != nil {
			return nil, err
		}
		out = append(out, training.Change{Revision: want, Completions: cs, Removed: rm})
	}
	if int64(len(out)) != rev-since {
		return nil, fmt.Errorf("revision %d: %w", since+1+int64(len(out)), training.ErrChangesGone)
	}
	return out, nil
}

// encodeChange is a logged change: per officer the new completions, then
// per officer the completions taken back, the officer ID prefixed with
// removedMark (storage/bolt logs changes the same way).
func encodeChange(cs, removed []training.Completion) string {
	var w varint.Writer
	for _, part := range []struct {
		mark string
		cs   []training.Completion
	}{{"", cs}, {removedMark, removed}} {
		ids, by := groupBy(part.cs, func(c training.Completion) string { return c.OfficerID })
		for _, id := range ids {
			w.String(part.mark + id)
			w.String(encodeCompletions(by[id]))
		}
	}
	return string(w.B)
}

// removedMark prefixes an officer's removed completions in a logged change.
const removedMark = "\x00-"

func decodeChange(s string) (added, removed []training.Completion, err error) {
	r := varint.NewReader(s)
	for r.Len() > 0 && r.Err() == nil {
		id, rec := r.Raw(), r.Raw()
		if r.Err() != nil {
			break
		}
		var cs []training.Completion
		rid, isRemoved := strings.CutPrefix(id, removedMark)
		if cs, err = decodeCompletions(rid, rec, nil); err != nil {
			return nil, nil, err
		}
		if isRemoved {
			removed = append(removed, cs...)
		} else {
			added = append(added, cs...)
		}
	}
	if err := r.Err(); err != nil {
		return nil, nil, fmt.Errorf("decode change: %v", err)
	}
	return added, removed, nil
}
