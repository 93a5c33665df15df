package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/muster-police/muster/training"
)

// uploadRec is everything of an upload but its bytes. On disk an upload
// is uvarint(len(record JSON)), the record JSON, then the file as is, so
// that a large file is neither base64-encoded nor parsed when sweeping.
type uploadRec struct {
	V         int       `json:"v"`
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

func (r *uploadRec) version() int { return r.V }

func encodeUpload(u training.Upload) []byte {
	meta := encodeJSON(&uploadRec{V: recordV1, ID: u.ID, FileName: u.FileName, By: u.By, Full: u.Full,
		Strict: u.Strict, Confirmed: u.Confirmed, Sheet: u.Sheet, Report: u.Report,
		Created: u.Created.UTC(), Expires: u.Expires.UTC()})
	b := make([]byte, 0, binary.MaxVarintLen64+len(meta)+len(u.Data))
	b = binary.AppendUvarint(b, uint64(len(meta)))
	b = append(b, meta...)
	return append(b, u.Data...)
}

// decodeUploadRec reads the record of a stored upload and returns it
// with the file's bytes (still inside the transaction's memory).
func decodeUploadRec(v []byte) (uploadRec, []byte, error) {
	var r uploadRec
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return r, nil, fmt.Errorf("decode upload: damaged record")
	}
	if err := decodeJSON(v[k:k+int(n)], &r, "upload"); err != nil {
		return r, nil, err
	}
	return r, v[k+int(n):], nil
}

// PutUpload stores an upload within q and removes those expired at
// u.Created, in one write transaction. The record's size is what the bolt
// file holds for it (a file that never shrinks: the quota bounds it).
func (s *Store) PutUpload(ctx context.Context, u training.Upload, q training.UploadQuota) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if u.ID == "" {
		return training.Invalidf("an upload needs an ID")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bUploads)
		var expired [][]byte
		var mine, all int64
		err := b.ForEach(func(k, v []byte) error {
			r, data, err := decodeUploadRec(v)
			switch {
			case err != nil || !u.Created.Before(r.Expires):
				// A damaged upload is only a lost preview: sweep it too.
				expired = append(expired, k)
			case r.ID != u.ID:
				size := int64(len(data) + len(r.Report))
				all += size
				if r.By == u.By {
					mine += size
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		if err := training.CheckUploadQuota(u, q, mine, all); err != nil {
			return err
		}
		return b.Put([]byte(u.ID), encodeUpload(u))
	})
}

// Upload returns an upload that has not expired at now, removing it if it has.
func (s *Store) Upload(ctx context.Context, id string, now time.Time) (training.Upload, error) {
	if err := ctx.Err(); err != nil {
		return training.Upload{}, err
	}
	var u training.Upload
	expired := false
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bUploads).Get([]byte(id))
		if v == nil {
			return notFound("upload")
		}
		r, data, err := decodeUploadRec(v)
		if err != nil {
			return err
		}
		if !now.Before(r.Expires) {
			expired = true
			return notFound("upload expired")
		}
		u = training.Upload{ID: r.ID, FileName: r.FileName, By: r.By, Full: r.Full, Strict: r.Strict,
			Confirmed: r.Confirmed, Sheet: r.Sheet, Report: r.Report,
			Data: append([]byte{}, data...), Created: r.Created.UTC(), Expires: r.Expires.UTC()}
		return nil
	})
	if expired {
		if derr := s.DeleteUpload(ctx, id); derr != nil {
			s.log.Warn("removing an expired upload", "id", id, "err", derr)
		}
	}
	return u, err
}

// DeleteUpload removes an upload; a missing one is not an error.
func (s *Store) DeleteUpload(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error { return tx.Bucket(bUploads).Delete([]byte(id)) })
}
