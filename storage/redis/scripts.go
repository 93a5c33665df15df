package redis

import goredis "github.com/redis/go-redis/v9"

// Lua scripts. Each touches keys of one hash tag only (one Cluster slot)
// and receives every key it touches in KEYS. go-redis runs them with
// EVALSHA and falls back to EVAL when the server does not know the script.

// applyScript moves a staged import into the live roster in one atomic
// step: it checks that the caller still holds the apply lock, that the
// revision is the planned one and the file was not applied before, and
// that staging holds what was written; then, per hash, it either merges
// the staged fields into the live hash (mode "m": small changes) or
// replaces the live hash with the staged one, which is a full copy with
// the changes applied (mode "r": large changes; the old hash is freed in
// a background thread by UNLINK, so replacing costs O(1) here). It records the import, bumps the revision
// and removes staging and the lock.
//
// KEYS: 1 rev, 2 officers, 3 completions, 4 exemptions, 5 imports,
// 6 imports:by-time, 7 imports:by-hash, 8 stages, 9 apply-lock,
// 10-12 staged officers, completions, exemptions, 13 the change feed.
// ARGV: 1 base revision, 2 file hash to refuse if applied ("" = none),
// 3 import ID, 4 import record, 5 score, 6 token, 7-9 staged counts,
// 10 file hash to index ("" = none), 11-13 mode per hash ("m", "r", "-").
// The revision may have moved past the base only by logged completion
// posts (every revision in between is in the change feed): posts wait
// while the apply lock is held, so the staging read them, and adding
// completions never disagrees with an import.
// Returns {1, new revision} or {code, revision}: -1 revision moved,
// -2 file already applied, -3 lock lost, -4 staging incomplete.
var applyScript = goredis.NewScript(`
local function cleanup()
  redis.call('UNLINK', KEYS[10], KEYS[11], KEYS[12])
  redis.call('SREM', KEYS[8], ARGV[6])
  if redis.call('GET', KEYS[9]) == ARGV[6] then redis.call('DEL', KEYS[9]) end
end
local rev = tonumber(redis.call('GET', KEYS[1]) or '0')
if redis.call('GET', KEYS[9]) ~= ARGV[6] then cleanup() return {-3, rev} end
local base = tonumber(ARGV[1])
if base > rev or base < 0 then cleanup() return {-1, rev} end
if base < rev and #redis.call('XRANGE', KEYS[13], (base + 1) .. '-0', rev .. '-0') ~= rev - base then cleanup() return {-1, rev} end
if ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[7], ARGV[2]) == 1 then cleanup() return {-2, rev} end
for i = 0, 2 do
  if redis.call('HLEN', KEYS[10 + i]) ~= tonumber(ARGV[7 + i]) then cleanup() return {-4, rev} end
end
for i = 0, 2 do
  local src, dst, mode = KEYS[10 + i], KEYS[2 + i], ARGV[11 + i]
  if mode == 'r' or (mode == 'm' and redis.call('EXISTS', dst) == 0) then
    redis.call('UNLINK', dst)
    redis.call('RENAME', src, dst)
    redis.call('PERSIST', dst)
  elseif mode == 'm' then
    local cursor = '0'
    repeat
      local r = redis.call('HSCAN', src, cursor, 'COUNT', 1000)
      cursor = r[1]
      local kv = r[2]
      for j = 1, #kv, 1000 do -- unpack has a stack limit (8000 in Redis)
        redis.call('HSET', dst, unpack(kv, j, math.min(j + 999, #kv)))
      end
    until cursor == '0'
  end
end
cleanup()
redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[6], ARGV[5], ARGV[3])
if ARGV[10] ~= '' then redis.call('HSET', KEYS[7], ARGV[10], ARGV[3]) end
return {1, redis.call('INCR', KEYS[1])}
`)

// extendScript extends a lock only for its owner. KEYS: lock; ARGV: owner, ms.
var extendScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// releaseScript deletes a lock only for its owner. KEYS: lock; ARGV: owner.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// seedCoursesScript writes the default courses into a store that has none.
// KEYS: courses; ARGV: id, record, id, record, ...
var seedCoursesScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV))
  return 1
end
return 0
`)
