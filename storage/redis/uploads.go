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
	ID             string    `json:"id"`
	FileName       string    `json:"file_name"`
	By             string    `json:"by"`
	Full           bool      `json:"full"`
	Strict         bool      `json:"strict"`
	ConfirmLeavers bool      `json:"confirm_leavers"`
	Sheet          string    `json:"sheet"`
	Report         []byte    `json:"report"`
	Created        time.Time `json:"created"`
	Expires        time.Time `json:"expires"`
}

func (k keys) upload(id string) string { return k.prefix + ":upload:" + id }

// PutUpload stores an upload with a Redis expiry at its own.
func (s *Store) PutUpload(ctx context.Context, u training.Upload) error {
	if u.ID == "" {
		return fmt.Errorf("%w: an upload needs an ID", training.ErrInvalid)
	}
	ttl := u.Expires.Sub(u.Created)
	if ttl <= 0 {
		return fmt.Errorf("%w: an upload must expire after it is created", training.ErrInvalid)
	}
	meta, err := json.Marshal(uploadV1{u.ID, u.FileName, u.By, u.Full, u.Strict, u.ConfirmLeavers, u.Sheet,
		u.Report, u.Created.UTC(), u.Expires.UTC()})
	if err != nil {
		return fmt.Errorf("redis store: encoding an upload: %w", err)
	}
	var b strings.Builder
	b.Grow(len(uploadHeader) + len(meta) + 1 + len(u.Data))
	b.WriteString(uploadHeader)
	b.Write(meta)
	b.WriteByte('\n')
	b.Write(u.Data)
	return s.wrap(s.rdb.Set(ctx, s.keys.upload(u.ID), b.String(), ttl+uploadGrace).Err())
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
		ConfirmLeavers: r.ConfirmLeavers, Sheet: r.Sheet, Report: r.Report, Data: data,
		Created: r.Created.UTC(), Expires: r.Expires.UTC()}, nil
}

// DeleteUpload removes an upload; a missing one is not an error.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	return s.wrap(s.rdb.Del(ctx, s.keys.upload(id)).Err())
}
