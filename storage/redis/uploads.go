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

// An upload is one key, P:upload:ID, whose value is uploadHeader, the
// uploadV1 record as one line of JSON, a newline, then the file as is: a
// large file is neither base64-encoded nor parsed to read its options.
// The key expires (PX) with the upload, so that abandoned previews never
// accumulate; Upload still checks Expires against the caller's clock.
const uploadHeader = "muster-upload/1\n"

// uploadGrace keeps an upload key this long past its expiry, so that
// clocks a little apart never make Redis drop an upload Muster still honours.
const uploadGrace = time.Minute

type uploadV1 struct {
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

func (k keys) upload(id string) string { return k.prefix + ":upload:" + id }

// uploadIndex is the hash that accounts for the kept uploads' memory:
// field ID, value "size:expires-ms:by". The file bytes dominate what an
// upload costs in Redis, so the quota counts them (Upload.Size); the key
// and record add a few hundred bytes each.
func (k keys) uploadIndex() string { return k.prefix + ":uploads" }

// reserveUploadScript drops index entries expired at now, sums the rest
// (by this user and in total, the upload's own old entry left out), and
// records the upload only if it fits the quota. It touches the index
// alone, so the upload keys may live in any Cluster slot.
// KEYS: 1 index; ARGV: id, by, size, expires ms, now ms, per-user, total.
// Returns {0|1|2, mine, all}: 0 recorded, 1 over per-user, 2 over total.
var reserveUploadScript = goredis.NewScript(`
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

// PutUpload reserves the upload's size in the index within q, then stores
// it with a Redis expiry at its own.
func (s *Store) PutUpload(ctx context.Context, u training.Upload, q training.UploadQuota) error {
	if u.ID == "" {
		return training.Invalidf("an upload needs an ID")
	}
	ttl := u.Expires.Sub(u.Created)
	if ttl <= 0 {
		return training.Invalidf("an upload must expire after it is created")
	}
	meta, err := json.Marshal(uploadV1{u.ID, u.FileName, u.By, u.Full, u.Strict, u.Confirmed, u.Sheet,
		u.Report, u.Created.UTC(), u.Expires.UTC()})
	if err != nil {
		return fmt.Errorf("redis store: encoding an upload: %w", err)
	}
	res, err := reserveUploadScript.Run(ctx, s.rdb, []string{s.keys.uploadIndex()}, u.ID, u.By, u.Size(),
		u.Expires.UnixMilli(), u.Created.UnixMilli(), q.PerUser, q.Total).Int64Slice()
	if err != nil {
		return s.wrap(err)
	}
	if len(res) != 3 {
		return fmt.Errorf("redis store: the upload quota script answered %v", res)
	}
	if res[0] != 0 {
		if err := training.CheckUploadQuota(u, q, res[1], res[2]); err != nil {
			return err
		}
		return training.Busyf("the kept previews are over their quota")
	}
	var b strings.Builder
	b.Grow(len(uploadHeader) + len(meta) + 1 + len(u.Data))
	b.WriteString(uploadHeader)
	b.Write(meta)
	b.WriteByte('\n')
	b.Write(u.Data)
	if err := s.rdb.Set(ctx, s.keys.upload(u.ID), b.String(), ttl+uploadGrace).Err(); err != nil {
		// Give the reservation back; an entry left behind expires with the upload.
		s.rdb.HDel(context.WithoutCancel(ctx), s.keys.uploadIndex(), u.ID)
		return s.wrap(err)
	}
	return nil
}

// Upload returns an upload that has not expired at now.
func (s *Store) Upload(ctx context.Context, id string, now time.Time) (training.Upload, error) {
	key := s.keys.upload(id)
	v, err := s.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return training.Upload{}, fmt.Errorf("upload: %w", training.ErrNotFound)
	}
	if err != nil {
		return training.Upload{}, s.wrap(err)
	}
	rest, ok := bytes.CutPrefix(v, []byte(uploadHeader))
	meta, data, found := bytes.Cut(rest, []byte("\n"))
	if !ok || !found {
		return training.Upload{}, errors.New("redis store: a stored upload is damaged or has a format this Muster does not read")
	}
	var r uploadV1
	if err := json.Unmarshal(meta, &r); err != nil {
		return training.Upload{}, fmt.Errorf("redis store: a stored upload record is damaged: %w", err)
	}
	if !now.Before(r.Expires) {
		if err := s.DeleteUpload(ctx, id); err != nil {
			return training.Upload{}, err
		}
		return training.Upload{}, fmt.Errorf("upload expired: %w", training.ErrNotFound)
	}
	return training.Upload{ID: r.ID, FileName: r.FileName, By: r.By, Full: r.Full, Strict: r.Strict,
		Confirmed: r.Confirmed, Sheet: r.Sheet, Report: r.Report, Data: data,
		Created: r.Created.UTC(), Expires: r.Expires.UTC()}, nil
}

// DeleteUpload removes an upload and its quota entry; a missing one is
// not an error.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.keys.upload(id)).Err(); err != nil {
		return s.wrap(err)
	}
	return s.wrap(s.rdb.HDel(ctx, s.keys.uploadIndex(), id).Err())
}
