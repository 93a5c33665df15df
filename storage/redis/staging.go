package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// Writing, abandoning and cleaning up an import's staging hashes.

// hmget reads fields of a hash in pipelined chunks; missing fields are "".
func (s *Store) hmget(ctx context.Context, key string, fields []string) ([]string, error) {
	out := make([]string, 0, len(fields))
	if len(fields) == 0 {
		return out, nil
	}
	if len(fields) > s.chunk { // many fields: not worth asking an empty hash
		n, err := s.bulk.Exists(ctx, key).Result()
		if err != nil {
			return nil, s.wrap(err)
		}
		if n == 0 {
			return make([]string, len(fields)), nil
		}
	}
	var cmds []*goredis.SliceCmd
	_, err := s.bulk.Pipelined(ctx, func(p goredis.Pipeliner) error {
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
		_, err := s.bulk.Pipelined(ctx, func(p goredis.Pipeliner) error {
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
			return training.Conflictf("the import took too long and lost its lock; nothing was changed, try again")
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
	_, err := s.bulk.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		p.Unlink(ctx, stOff, stComp, stEx)
		p.SRem(ctx, s.keys.stages, token)
		return nil
	})
	if err == nil {
		err = releaseScript.Run(ctx, s.bulk, []string{s.keys.applyLock}, token).Err()
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
	tokens, err := s.bulk.SMembers(ctx, s.keys.stages).Result()
	if err != nil {
		return s.wrap(err)
	}
	if len(tokens) == 0 {
		return nil
	}
	holder, err := s.bulk.Get(ctx, s.keys.applyLock).Result()
	if err != nil && !errors.Is(err, goredis.Nil) {
		return s.wrap(err)
	}
	for _, t := range tokens {
		if t == holder {
			continue
		}
		stOff, stComp, stEx := s.keys.stage(t)
		_, err := s.bulk.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.Unlink(ctx, stOff, stComp, stEx)
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
