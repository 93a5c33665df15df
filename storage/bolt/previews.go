package bolt

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/muster-police/muster/training"
)

// previewRec is everything of a preview but its bytes. On disk a preview
// is uvarint(len(record JSON)), the record JSON, then the file as is, so
// that a large file is neither base64-encoded nor parsed when sweeping.
type previewRec struct {
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

func (r *previewRec) version() int { return r.V }

func encodePreview(u training.Preview) []byte {
	meta := encodeJSON(&previewRec{V: recordV1, ID: u.ID, FileName: u.FileName, By: u.By, Full: u.Full,
		Strict: u.Strict, Confirmed: u.Confirmed, Sheet: u.Sheet, Report: u.Report,
		Created: u.Created.UTC(), Expires: u.Expires.UTC()})
	b := make([]byte, 0, binary.MaxVarintLen64+len(meta)+len(u.Data))
	b = binary.AppendUvarint(b, uint64(len(meta)))
	b = append(b, meta...)
	return append(b, u.Data...)
}

// decodePreviewRec reads the record of a stored preview and returns it
// with the file's bytes (still inside the transaction's memory).
func decodePreviewRec(v []byte) (previewRec, []byte, error) {
	var r previewRec
	n, k := binary.Uvarint(v)
	if k <= 0 || uint64(len(v)-k) < n {
		return r, nil, fmt.Errorf("decode preview: damaged record")
	}
	if err := decodeJSON(v[k:k+int(n)], &r, "preview"); err != nil {
		return r, nil, err
	}
	return r, v[k+int(n):], nil
}

// PutPreview stores a preview within q and removes those expired at
// u.Created, in one write transaction. The record's size is what the bolt
// file holds for it (a file that never shrinks: the quota bounds it).
func (s *Store) PutPreview(ctx context.Context, u training.Preview, q training.PreviewQuota) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if u.ID == "" {
		return training.Invalidf("a preview needs an ID")
	}
	return s.update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPreviews)
		var expired [][]byte
		var mine, all int64
		err := b.ForEach(func(k, v []byte) error {
			r, data, err := decodePreviewRec(v)
			switch {
			case err != nil || !u.Created.Before(r.Expires):
				// A damaged preview is only a lost preview: sweep it too.
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
		if err := training.CheckPreviewQuota(u, q, mine, all); err != nil {
			return err
		}
		return b.Put([]byte(u.ID), encodePreview(u))
	})
}

// Preview returns a preview that has not expired at now, removing it if it has.
func (s *Store) Preview(ctx context.Context, id string, now time.Time) (training.Preview, error) {
	if err := ctx.Err(); err != nil {
		return training.Preview{}, err
	}
	var u training.Preview
	expired := false
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bPreviews).Get([]byte(id))
		if v == nil {
			return notFound("preview")
		}
		r, data, err := decodePreviewRec(v)
		if err != nil {
			return err
		}
		if !now.Before(r.Expires) {
			expired = true
			return notFound("preview expired")
		}
		u = training.Preview{ID: r.ID, FileName: r.FileName, By: r.By, Full: r.Full, Strict: r.Strict,
			Confirmed: r.Confirmed, Sheet: r.Sheet, Report: r.Report,
			Data: append([]byte{}, data...), Created: r.Created.UTC(), Expires: r.Expires.UTC()}
		return nil
	})
	if expired {
		if derr := s.DeletePreview(ctx, id); derr != nil {
			s.log.Warn("removing an expired preview", "id", id, "err", derr)
		}
	}
	return u, err
}

// DeletePreview removes a preview; a missing one is not an error.
func (s *Store) DeletePreview(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.update(func(tx *bbolt.Tx) error { return tx.Bucket(bPreviews).Delete([]byte(id)) })
}
