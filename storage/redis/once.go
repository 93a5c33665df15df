package redis

import (
	"context"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// useOnceScript records a once-only key. The value is its expiry in ms;
// the key is used while that is after the caller's now (the caller's
// clock decides, as on the embedded store), and Redis's own expiry
// forgets it. KEYS: the key; ARGV: now ms, expiry ms, ttl ms. Returns 1
// when recorded, 0 when already used.
var useOnceScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and tonumber(v) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`)

// UseOnce records key as used until expires (P:once:KEY).
func (s *Store) UseOnce(ctx context.Context, key string, expires, now time.Time) error {
	if key == "" {
		return training.Invalidf("a once-only key must not be empty")
	}
	ttl := max(expires.Sub(now).Milliseconds(), 1)
	ok, err := useOnceScript.Run(ctx, s.rdb, []string{s.keys.once(key)}, now.UnixMilli(), expires.UnixMilli(), ttl).Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return training.Conflictf("already used")
	}
	return nil
}
