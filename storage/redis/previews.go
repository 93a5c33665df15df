package redis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// A preview is one key, P:preview:ID, whose value is previewHeader, the
// previewV1 record as one line of JSON, a newline, then the file as is: a
// large file is neither base64-encoded nor parsed to read its options.
// The key expires (PX) with the preview, so that abandoned previews never
// accumulate; Preview still checks Expires against the caller's clock.
const previewHeader = "muster-upload/1\n"

// previewGrace keeps a preview key this long past its expiry, so that
// clocks a little apart never make Redis drop a preview Muster still honours.
const previewGrace = time.Minute

type previewV1 struct {
	ID        string    `json:"id"`
	FileName  string    `json:"file_name"`
	By        string    `json:"by"`
	Full      bool      `json:"full"`
	Strict    bool      `json:"strict"`
	Confirmed bool      `json:"confirm_leavers"`
	Sheet     string    `json:"sheet"`
	Report    []byte    `json:"report"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

func (k keys) preview(id string) string { return k.prefix + ":upload:" + id }

// previewIndex is the hash that accounts for the kept previews' memory:
// field ID, value "size:expires-ms:by". The file bytes dominate what an
// preview costs in Redis, so the quota counts them (Preview.Size); the key
// and record add a few hundred bytes each.
func (k keys) previewIndex() string { return k.prefix + ":uploads" }

// reservePreviewScript drops index entries expired at now, sums the rest
// (by this user and in total, the preview's own old entry left out), and
// records the preview only if it fits the quota. It touches the index
// alone, so the preview keys may live in any Cluster slot.
// KEYS: 1 index; ARGV: id, by, size, expires ms, now ms, per-user, total.
// Returns {0|1|2, mine, all}: 0 recorded, 1 over per-user, 2 over total.
var reservePreviewScript = goredis.NewScript(`
local mine, all = 0, 0
local size, now = tonumber(ARGV[3]), tonumber(ARGV[5])
local per, total = tonumber(ARGV[6]), tonumber(ARGV[7])
local kv = redis.call('HGETALL', KEYS[1])
for i = 1, #kv, 2 do
  local sz, exp, by = string.match(kv[i + 1], '^(%d+):(%d+):(.*)$')
  if not sz or tonumber(exp) <= now then
    redis.call('HDEL', KEYS[1], kv[i])
  elseif kv[i] ~= ARGV[1] then
    all = all + tonumber(sz)
    if by == ARGV[2] then mine = mine + tonumber(sz) end
  end
end
if per > 0 and mine + size > per then return {1, mine, all} end
if total > 0 and all + size > total then return {2, mine, all} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3] .. ':' .. ARGV[4] .. ':' .. ARGV[2])
return {0, mine, all}
`)

// PutPreview reserves the preview's size in the index within q, then stores
// it with a Redis expiry at its own.
func (s *Store) PutPreview(ctx context.Context, u training.Preview, q training.PreviewQuota) error {
	if u.ID == "" {
		return training.Invalidf("a preview needs an ID")
	}
	ttl := u.Expires.Sub(u.Created)
	if ttl <= 0 {
		return training.Invalidf("a preview must expire after it is created")
	}
	meta, err := json.Marshal(previewV1{u.ID, u.FileName, u.By, u.Full, u.Strict, u.Confirmed, u.Sheet,
		u.Report, u.Created.UTC(), u.Expires.UTC()})
	if err != nil {
		return fmt.Errorf("redis store: encoding a preview: %w", err)
	}
	res, err := reservePreviewScript.Run(ctx, s.rdb, []string{s.keys.previewIndex()}, u.ID, u.By, u.Size(),
		u.Expires.UnixMilli(), u.Created.UnixMilli(), q.PerUser, q.Total).Int64Slice()
	if err != nil {
		return s.wrap(err)
	}
	if len(res) != 3 {
		return fmt.Errorf("redis store: the preview quota script answered %v", res)
	}
	if res[0] != 0 {
		if err := training.CheckPreviewQuota(u, q, res[1], res[2]); err != nil {
			return err
		}
		return training.Busyf("the kept previews are over their quota")
	}
	var b strings.Builder
	b.Grow(len(previewHeader) + len(meta) + 1 + len(u.Data))
	b.WriteString(previewHeader)
	b.Write(meta)
	b.WriteByte('\n')
	b.Write(u.Data)
	if err := s.rdb.Set(ctx, s.keys.preview(u.ID), b.String(), ttl+previewGrace).Err(); err != nil {
		// Give the reservation back; an entry left behind expires with the preview.
		s.rdb.HDel(context.WithoutCancel(ctx), s.keys.previewIndex(), u.ID)
		return s.wrap(err)
	}
	return nil
}

// Preview returns a preview that has not expired at now.
func (s *Store) Preview(ctx context.Context, id string, now time.Time) (training.Preview, error) {
	key := s.keys.preview(id)
	v, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return training.Preview{}, fmt.Errorf("preview: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.Preview{}, s.wrap(err)
	}
	rest, ok := bytes.CutPrefix(v, []byte(previewHeader))
	meta, data, found := bytes.Cut(rest, []byte("\n"))
	if !ok || !found {
		return training.Preview{}, errors.New("redis store: a stored preview is damaged or has a format this Muster does not read")
	}
	var r previewV1
	if err := json.Unmarshal(meta, &r); err != nil {
		return training.Preview{}, fmt.Errorf("redis store: a stored preview record is damaged: %w", err)
	}
	if !now.Before(r.Expires) {
		if err := s.DeletePreview(ctx, id); err != nil {
			return training.Preview{}, err
		}
		return training.Preview{}, fmt.Errorf("preview expired: %w", training.ErrNotFound)
	}
	return training.Preview{ID: r.ID, FileName: r.FileName, By: r.By, Full: r.Full, Strict: r.Strict,
		Confirmed: r.Confirmed, Sheet: r.Sheet, Report: r.Report, Data: data,
		Created: r.Created.UTC(), Expires: r.Expires.UTC()}, nil
}

// DeletePreview removes a preview and its quota entry; a missing one is
// not an error.
func (s *Store) DeletePreview(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.keys.preview(id)).Err(); err != nil {
		return s.wrap(err)
	}
	return s.wrap(s.rdb.HDel(ctx, s.keys.previewIndex(), id).Err())
}
