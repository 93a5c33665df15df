package redis

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// acquireScript takes or extends a lock. The value is "expiry-ms owner";
// the lock is free when the key is gone (Redis expired it) or its expiry
// is not after the caller's now, so the caller's clock decides as on the
// embedded store, and Redis's own expiry cleans up after dead owners.
// KEYS: lock; ARGV: owner, now ms, ttl ms. Returns 1 when held.
var acquireScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then
  local sp = string.find(v, ' ', 1, true)
  local exp, owner = tonumber(string.sub(v, 1, sp - 1)), string.sub(v, sp + 1)
  if owner ~= ARGV[1] and exp > tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], tostring(tonumber(ARGV[2]) + tonumber(ARGV[3])) .. ' ' .. ARGV[1], 'PX', ARGV[3])
return 1
`)

// releaseOwnedScript deletes a lock held by owner. KEYS: lock; ARGV: owner.
var releaseOwnedScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, string.find(v, ' ', 1, true) + 1) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// putJobRunScript stores a run and moves it between per-job indexes.
// KEYS: 1 runs, 2 by-started, 3 by-job of the new job, 4 by-job of the
// old job (the same key when new); ARGV: id, record, score.
var putJobRunScript = goredis.NewScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if KEYS[4] ~= KEYS[3] then redis.call('ZREM', KEYS[4], ARGV[1]) end
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
`)

// AcquireLock takes the named lock for owner until now+ttl, or extends it
// for its owner.
func (s *Store) AcquireLock(ctx context.Context, name, owner string, ttl time.Duration, now time.Time) (bool, error) {
	if name == "" || owner == "" || strings.ContainsRune(owner, ' ') {
		return false, training.Invalidf("a lock needs a name and an owner without spaces")
	}
	ms := ttl.Milliseconds()
	if ms <= 0 {
		return false, training.Invalidf("a lock needs a positive duration")
	}
	ok, err := acquireScript.Run(ctx, s.rdb, []string{s.keys.lock(name)}, owner, now.UnixMilli(), ms).Bool()
	return ok, s.wrap(err)
}

// ReleaseLock frees the lock if owner holds it.
func (s *Store) ReleaseLock(ctx context.Context, name, owner string) error {
	return s.wrap(releaseOwnedScript.Run(ctx, s.rdb, []string{s.keys.lock(name)}, owner).Err())
}

// PutJobRun creates or replaces a job run record.
func (s *Store) PutJobRun(ctx context.Context, r training.JobRun) error {
	if r.ID == "" {
		return training.Invalidf("a job run needs an ID")
	}
	newKey := s.keys.runsByJob + r.Job
	oldKey := newKey
	old, err := s.rdb.HGet(ctx, s.keys.runs, r.ID).Result()
	switch {
	case err == nil:
		o, err := decode[jobRunV1]("job run", old)
		if err != nil {
			return err
		}
		oldKey = s.keys.runsByJob + o.Job
	case !errors.Is(err, goredis.Nil):
		return s.wrap(err)
	}
	return s.wrap(putJobRunScript.Run(ctx, s.rdb, []string{s.keys.runs, s.keys.runsByTime, newKey, oldKey},
		r.ID, encode(toJobRunRec(r)), scoreText(score(r.Started))).Err())
}

// JobRuns lists runs newest first, filtered by job name.
func (s *Store) JobRuns(ctx context.Context, job string, limit int) ([]training.JobRun, error) {
	key := s.keys.runsByTime
	if job != "" {
		key = s.keys.runsByJob + job
	}
	stop := int64(limit) - 1
	if limit <= 0 {
		stop = -1
	}
	ids, err := s.rdb.ZRevRange(ctx, key, 0, stop).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	vals, err := s.hmget(ctx, s.keys.runs, ids)
	if err != nil {
		return nil, err
	}
	out := []training.JobRun{}
	for _, v := range vals {
		if v == "" {
			continue
		}
		r, err := decode[jobRunV1]("job run", v)
		if err != nil {
			return nil, err
		}
		out = append(out, r.domain())
	}
	return out, nil
}

// Setting returns a stored setting; ErrNotFound when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	v, err := s.rdb.HGet(ctx, s.keys.settings, key).Result()
	if errors.Is(err, goredis.Nil) {
		return "", fmt.Errorf("setting %q: %w", key, training.ErrNotFound)
	}
	return v, s.wrap(err)
}

// PutSetting stores a setting; an empty value deletes it.
func (s *Store) PutSetting(ctx context.Context, key, value string) error {
	if value == "" {
		return s.wrap(s.rdb.HDel(ctx, s.keys.settings, key).Err())
	}
	return s.wrap(s.rdb.HSet(ctx, s.keys.settings, key, value).Err())
}
