package redis

import (
	"context"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// pruneChunk is how many messages, ledger keys or runs one round trip
// of pruning reads.
const pruneChunk = 500

// deleteMessageScript removes a message that is unchanged since read,
// with its index entries. KEYS: 1 messages, 2 by-created, 3 due,
// 4-6 state queued, sent, failed. ARGV: id, old record.
var deleteMessageScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
for i = 2, 6 do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1
`)

// deleteRunsScript removes job runs from the hash and both indexes.
// KEYS: 1 runs, 2 by-started, then one by-job key per run; ARGV: ids.
var deleteRunsScript = goredis.NewScript(`
for i, id in ipairs(ARGV) do
  redis.call('HDEL', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[i + 2], id)
end
return #ARGV
`)

// OutboxStats counts the per-state indexes and reads the oldest queued
// message's creation time from its score.
func (s *Store) OutboxStats(ctx context.Context) (training.OutboxStats, error) {
	out := training.OutboxStats{ByState: map[training.MessageState]int{}}
	states := []training.MessageState{training.MessageQueued, training.MessageSent, training.MessageFailed}
	pipe := s.rdb.Pipeline()
	cards := make([]*goredis.IntCmd, len(states))
	for i, st := range states {
		cards[i] = pipe.ZCard(ctx, s.keys.mailState+string(st))
	}
	oldest := pipe.ZRangeWithScores(ctx, s.keys.mailState+string(training.MessageQueued), 0, 0)
	if _, err := pipe.Exec(ctx); err != nil {
		return out, s.wrap(err)
	}
	for i, st := range states {
		out.ByState[st] = int(cards[i].Val())
	}
	if z := oldest.Val(); len(z) > 0 {
		out.OldestQueued = time.UnixMicro(int64(z[0].Score)).UTC()
	}
	return out, nil
}

// PruneMail walks the outbox by creation time up to the later cutoff,
// deleting or stripping messages with a compare-and-set script each (a
// message changed meanwhile is left for the next prune), then scans the
// ledger for keys that can no longer matter.
func (s *Store) PruneMail(ctx context.Context, p training.MailPrune) (training.MailPruned, error) {
	var out training.MailPruned
	limit := p.MessagesBefore
	if p.BodiesBefore.After(limit) {
		limit = p.BodiesBefore
	}
	delKeys := append([]string{s.keys.messages, s.keys.msgCreated, s.keys.msgDue}, s.stateKeys()...)
	updKeys := append([]string{s.keys.messages, s.keys.msgDue}, s.stateKeys()...)
	var offset int64
	for !limit.IsZero() {
		ids, err := s.rdb.ZRangeByScore(ctx, s.keys.msgCreated, &goredis.ZRangeBy{
			Min: "-inf", Max: "(" + scoreText(score(limit)), Offset: offset, Count: pruneChunk}).Result()
		if err != nil {
			return out, s.wrap(err)
		}
		if len(ids) == 0 {
			break
		}
		raws, err := s.hmget(ctx, s.keys.messages, ids)
		if err != nil {
			return out, err
		}
		kept := int64(0)
		for _, raw := range raws {
			if raw == "" {
				continue
			}
			m, err := decodeMessage(raw)
			if err != nil {
				return out, err
			}
			switch {
			case m.State == training.MessageQueued:
				kept++
			case !p.MessagesBefore.IsZero() && m.Created.Before(p.MessagesBefore):
				ok, err := deleteMessageScript.Run(ctx, s.rdb, delKeys, m.ID, raw).Bool()
				if err != nil {
					return out, s.wrap(err)
				}
				if ok {
					out.Messages++
				} else {
					kept++
				}
			default:
				kept++
				if m.State == training.MessageSent && !p.BodiesBefore.IsZero() && m.Sent.Before(p.BodiesBefore) && (m.Text != "" || m.HTML != "") {
					m.Text, m.HTML = "", ""
					ok, err := updateMessageScript.Run(ctx, s.rdb, updKeys, m.ID, raw, encodeMessage(m),
						scoreText(score(m.Created)), dueScore(m), string(m.State)).Bool()
					if err != nil {
						return out, s.wrap(err)
					}
					if ok {
						out.Bodies++
					}
				}
			}
		}
		offset += kept
	}
	if p.LedgerDone == nil {
		return out, nil
	}
	var cursor uint64
	for {
		kv, next, err := s.rdb.HScan(ctx, s.keys.ledger, cursor, "", pruneChunk).Result()
		if err != nil {
			return out, s.wrap(err)
		}
		var keys, ids []string
		for i := 0; i+1 < len(kv); i += 2 {
			if p.LedgerDone(kv[i]) {
				keys, ids = append(keys, kv[i]), append(ids, kv[i+1])
			}
		}
		if len(keys) > 0 {
			raws, err := s.rdb.HMGet(ctx, s.keys.messages, ids...).Result()
			if err != nil {
				return out, s.wrap(err)
			}
			var drop []string
			for i, raw := range raws {
				if str, ok := raw.(string); ok {
					if m, err := decodeMessage(str); err == nil && m.State == training.MessageQueued {
						continue
					}
				}
				drop = append(drop, keys[i])
			}
			if len(drop) > 0 {
				n, err := s.rdb.HDel(ctx, s.keys.ledger, drop...).Result()
				if err != nil {
					return out, s.wrap(err)
				}
				out.LedgerKeys += int(n)
			}
		}
		if next == 0 {
			return out, nil
		}
		cursor = next
	}
}

// PruneJobRuns deletes runs that started before before.
func (s *Store) PruneJobRuns(ctx context.Context, before time.Time) (int, error) {
	n := 0
	for {
		ids, err := s.rdb.ZRangeByScore(ctx, s.keys.runsByTime, &goredis.ZRangeBy{
			Min: "-inf", Max: "(" + scoreText(score(before)), Count: pruneChunk}).Result()
		if err != nil {
			return n, s.wrap(err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		vals, err := s.rdb.HMGet(ctx, s.keys.runs, ids...).Result()
		if err != nil {
			return n, s.wrap(err)
		}
		keys := []string{s.keys.runs, s.keys.runsByTime}
		for _, v := range vals {
			job := ""
			if str, ok := v.(string); ok {
				if r, err := decode[jobRunV1]("job run", str); err == nil {
					job = r.domain().Job
				}
			}
			keys = append(keys, s.keys.runsByJob+job)
		}
		if err := deleteRunsScript.Run(ctx, s.rdb, keys, toAny(ids)...).Err(); err != nil {
			return n, s.wrap(err)
		}
		n += len(ids)
		if len(ids) < pruneChunk {
			return n, nil
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
