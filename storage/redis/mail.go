package redis

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// The outbox lives under the {P:mail} hash tag: messages in one hash,
// sorted sets by creation time (all, and per state) and by next attempt
// (queued only), and the send ledger as a hash from ledger key to message ID.

// enqueueScript adds messages whose ledger keys were never enqueued,
// recording the keys in the same step, so two replicas planning the same
// reminder cannot both enqueue it. It looks up all IDs and ledger keys of
// the batch with one HMGET each and writes with one HSET or ZADD per key
// (in chunks: Lua's unpack has a stack limit), instead of six or more
// calls per message; a message skips if its ID or a ledger key is taken,
// before or by an earlier message of the same batch.
// KEYS: 1 messages, 2 by-created, 3 due, 4 ledger, 5-7 state queued, sent, failed.
// ARGV per message: id, record, created score, due score ("" = none),
// state, n, then n ledger keys. Returns the 1-based positions enqueued.
var enqueueScript = goredis.NewScript(`
local function chunks(list, fn)
  for j = 1, #list, 1000 do fn(j, unpack(list, j, math.min(j + 999, #list))) end
end
local function taken(key, list)
  local found = {}
  chunks(list, function(j, ...)
    local vals = redis.call('HMGET', key, ...)
    for k = 1, #vals do if vals[k] then found[list[j + k - 1]] = true end end
  end)
  return found
end
local starts, ids, lkeys = {}, {}, {}
local i = 1
while i <= #ARGV do
  local n = tonumber(ARGV[i+5])
  starts[#starts + 1] = i
  ids[#ids + 1] = ARGV[i]
  for j = 1, n do lkeys[#lkeys + 1] = ARGV[i+5+j] end
  i = i + 6 + n
end
local idTaken, keyTaken = taken(KEYS[1], ids), taken(KEYS[4], lkeys)
local ledger, recs, created, due = {}, {}, {}, {}
local byState = {queued = {}, sent = {}, failed = {}}
local out = {}
for pos, i in ipairs(starts) do
  local id, rec, cs, ds, st, n = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], tonumber(ARGV[i+5])
  local skip = idTaken[id]
  for j = 1, n do
    if keyTaken[ARGV[i+5+j]] then skip = true end
  end
  if not skip then
    idTaken[id] = true
    for j = 1, n do
      local k = ARGV[i+5+j]
      keyTaken[k] = true
      ledger[#ledger + 1] = k
      ledger[#ledger + 1] = id
    end
    recs[#recs + 1] = id
    recs[#recs + 1] = rec
    created[#created + 1] = cs
    created[#created + 1] = id
    if ds ~= '' then
      due[#due + 1] = ds
      due[#due + 1] = id
    end
    local sl = byState[st]
    if sl then
      sl[#sl + 1] = cs
      sl[#sl + 1] = id
    end
    out[#out + 1] = pos
  end
end
local function write(cmd, key, list)
  chunks(list, function(j, ...) redis.call(cmd, key, ...) end)
end
write('HSET', KEYS[4], ledger)
write('HSET', KEYS[1], recs)
write('ZADD', KEYS[2], created)
write('ZADD', KEYS[3], due)
write('ZADD', KEYS[5], byState.queued)
write('ZADD', KEYS[6], byState.sent)
write('ZADD', KEYS[7], byState.failed)
return out
`)

// updateMessageScript replaces a message if unchanged since read and
// moves it between the indexes.
// KEYS: 1 messages, 2 due, 3-5 state queued, sent, failed.
// ARGV: id, old, new, created score, due score ("" = none), state.
var updateMessageScript = goredis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1]) end
local states = {queued = KEYS[3], sent = KEYS[4], failed = KEYS[5]}
for _, k in pairs(states) do redis.call('ZREM', k, ARGV[1]) end
if states[ARGV[6]] then redis.call('ZADD', states[ARGV[6]], ARGV[4], ARGV[1]) end
return 1
`)

// enqueueBatch is how many messages one script call checks and adds.
const enqueueBatch = 200

func (s *Store) stateKeys() []string {
	return []string{s.keys.mailState + string(training.MessageQueued), s.keys.mailState + string(training.MessageSent), s.keys.mailState + string(training.MessageFailed)}
}

// dueScore is the next-attempt score of a message waiting to be sent, or "".
func dueScore(m training.Message) string {
	if m.State != training.MessageQueued {
		return ""
	}
	return scoreText(score(m.NextAttempt))
}

// Enqueue adds messages to the outbox unless one of their ledger keys
// was enqueued before; it returns those it added. Batches are encoded
// one ahead of the script call that writes them, so the client encodes
// while Redis runs the previous batch.
func (s *Store) Enqueue(ctx context.Context, msgs []training.Message) ([]training.Message, error) {
	out := []training.Message{}
	keys := append([]string{s.keys.messages, s.keys.msgCreated, s.keys.msgDue, s.keys.ledger}, s.stateKeys()...)
	batches := make(chan enqueueArgs, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		for start := 0; start < len(msgs); start += enqueueBatch {
			b := encodeBatch(msgs[start:min(start+enqueueBatch, len(msgs))])
			select {
			case batches <- b:
			case <-stop:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	for b := range batches {
		if b.err != nil {
			return out, b.err
		}
		pos, err := enqueueScript.Run(ctx, s.rdb, keys, b.args...).Int64Slice()
		if err != nil {
			return out, s.wrap(err)
		}
		for _, p := range pos {
			out = append(out, b.msgs[p-1])
		}
	}
	return out, nil
}

// enqueueArgs is one batch of messages and the script arguments for it.
type enqueueArgs struct {
	msgs []training.Message
	args []any
	err  error
}

// encodeBatch builds the script arguments for msgs. Records go as
// []byte and scores as integers (microseconds, as score gives them), so
// that go-redis writes them to the connection as they are rather than
// each being copied into a string or formatted first.
func encodeBatch(msgs []training.Message) enqueueArgs {
	batch := slices.Clone(msgs)
	args := make([]any, 0, 8*len(batch))
	for i := range batch {
		m := &batch[i]
		if m.State == "" {
			m.State = training.MessageQueued
		}
		if m.ID == "" {
			return enqueueArgs{err: training.Invalidf("a message needs an ID")}
		}
		args = append(args, m.ID, appendMessage(nil, *m), int64(score(m.Created)), dueArg(*m), string(m.State), len(m.LedgerKeys))
		for _, k := range m.LedgerKeys {
			args = append(args, k)
		}
	}
	return enqueueArgs{msgs: batch, args: args}
}

// dueArg is dueScore as a script argument: "" or the score as an integer.
func dueArg(m training.Message) any {
	if m.State != training.MessageQueued {
		return ""
	}
	return int64(score(m.NextAttempt))
}

// DueMessages returns up to limit queued messages due at now, by next attempt.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]training.Message, error) {
	return s.dueMessages(ctx, time.Time{}, now, limit)
}

// MessagesDueBetween returns the queued messages due after from and at
// or before until, by next attempt.
func (s *Store) MessagesDueBetween(ctx context.Context, from, until time.Time) ([]training.Message, error) {
	return s.dueMessages(ctx, from, until, 0)
}

// dueMessages returns up to limit (<= 0: all) queued messages due after
// from (zero: from the start) and at or before until, by next attempt.
func (s *Store) dueMessages(ctx context.Context, from, until time.Time, limit int) ([]training.Message, error) {
	by := &goredis.ZRangeBy{Min: "-inf", Max: scoreText(score(until))}
	if !from.IsZero() {
		// Scores are microseconds: read from from's own, then keep what
		// is after from to the nanosecond.
		by.Min = scoreText(score(from))
	}
	if limit > 0 {
		by.Count = int64(limit)
	}
	ids, err := s.rdb.ZRangeByScore(ctx, s.keys.msgDue, by).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	msgs, err := s.messagesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := msgs[:0]
	for _, m := range msgs {
		if m.State == training.MessageQueued && (from.IsZero() || m.NextAttempt.After(from)) && !m.NextAttempt.After(until) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *Store) messagesByID(ctx context.Context, ids []string) ([]training.Message, error) {
	out := []training.Message{}
	if len(ids) == 0 {
		return out, nil
	}
	vals, err := s.hmget(ctx, s.keys.messages, ids)
	if err != nil {
		return nil, err
	}
	for _, v := range vals {
		if v == "" {
			continue
		}
		m, err := decodeMessage(v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func (s *Store) messageRaw(ctx context.Context, id string) (string, training.Message, error) {
	v, err := s.rdb.HGet(ctx, s.keys.messages, id).Result()
	if errors.Is(err, goredis.Nil) {
		return "", training.Message{}, fmt.Errorf("message %q: %w", id, training.ErrNotFound)
	}
	if err != nil {
		return "", training.Message{}, s.wrap(err)
	}
	m, err := decodeMessage(v)
	return v, m, err
}

// Message returns one message by ID.
func (s *Store) Message(ctx context.Context, id string) (training.Message, error) {
	_, m, err := s.messageRaw(ctx, id)
	return m, err
}

// UpdateMessage reads a message, lets fn change it and writes it back if
// nobody changed it meanwhile (else retries).
func (s *Store) UpdateMessage(ctx context.Context, id string, fn func(*training.Message) error) error {
	keys := append([]string{s.keys.messages, s.keys.msgDue}, s.stateKeys()...)
	for range casAttempts {
		old, m, err := s.messageRaw(ctx, id)
		if err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
		m.ID = id
		ok, err := updateMessageScript.Run(ctx, s.rdb, keys, id, old, encodeMessage(m),
			scoreText(score(m.Created)), dueScore(m), string(m.State)).Bool()
		if err != nil {
			return s.wrap(err)
		}
		if ok {
			return nil
		}
	}
	return training.Conflictf("message %q is being changed by someone else; try again", id)
}

// Messages lists messages newest first, filtered by state.
func (s *Store) Messages(ctx context.Context, state training.MessageState, limit int) ([]training.Message, error) {
	key := s.keys.msgCreated
	switch state {
	case "":
	case training.MessageQueued, training.MessageSent, training.MessageFailed:
		key = s.keys.mailState + string(state)
	default:
		return []training.Message{}, nil
	}
	stop := int64(limit) - 1
	if limit <= 0 {
		stop = -1
	}
	ids, err := s.rdb.ZRevRange(ctx, key, 0, stop).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	return s.messagesByID(ctx, ids)
}

// LedgerHas reports whether a ledger key was ever enqueued.
func (s *Store) LedgerHas(ctx context.Context, key string) (bool, error) {
	ok, err := s.rdb.HExists(ctx, s.keys.ledger, key).Result()
	return ok, s.wrap(err)
}

// ledgerChunk is how many keys one HMGET of the ledger asks about.
const ledgerChunk = 1000

// LedgerHasKeys reports which of keys were ever enqueued, with one
// pipelined HMGET per ledgerChunk keys instead of a round trip per key.
func (s *Store) LedgerHasKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	has := make(map[string]bool)
	if len(keys) == 0 {
		return has, nil
	}
	pipe := s.rdb.Pipeline()
	var cmds []*goredis.SliceCmd
	for start := 0; start < len(keys); start += ledgerChunk {
		cmds = append(cmds, pipe.HMGet(ctx, s.keys.ledger, keys[start:min(start+ledgerChunk, len(keys))]...))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, s.wrap(err)
	}
	for c, cmd := range cmds {
		for i, v := range cmd.Val() {
			if v != nil {
				has[keys[c*ledgerChunk+i]] = true
			}
		}
	}
	return has, nil
}
