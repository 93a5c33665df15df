package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/muster-police/muster/training"
)

var previewTests = []test{
	{"PreviewRoundTrip", testPreviewRoundTrip},
	{"PreviewExpiry", testPreviewExpiry},
	{"PreviewDelete", testPreviewDelete},
	{"PreviewNotFound", testPreviewNotFound},
	{"PreviewQuota", testPreviewQuota},
	{"PreviewQuotaConcurrent", testPreviewQuotaConcurrent},
}

var noQuota training.PreviewQuota

func preview(id string, data []byte) training.Preview {
	return training.Preview{ID: id, FileName: "roster.xlsx", By: "hana", Full: true, Strict: true, Sheet: "Staff",
		Data: data, Report: []byte(`{"import_id":"` + id + `"}`), Created: t0, Expires: at(60)}
}

func testPreviewRoundTrip(t *testing.T, s training.Store) {
	// Bytes of every value, newlines included: the file is kept as is.
	data := make([]byte, 300<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	want := preview("imp-1", data)
	check(t, s.PutPreview(ctx(t), want, noQuota))
	got, err := s.Preview(ctx(t), "imp-1", at(59))
	check(t, err)
	if !bytes.Equal(got.Data, data) {
		t.Fatalf("data: got %d bytes, not the %d stored", len(got.Data), len(data))
	}
	equal(t, "preview", got, want)
	got.Data[0]++
	again, err := s.Preview(ctx(t), "imp-1", at(59))
	check(t, err)
	equal(t, "preview after changing the returned copy", again.Data[0], data[0])

	// Putting again replaces.
	want.Confirmed, want.Data = true, []byte("id,name\n")
	check(t, s.PutPreview(ctx(t), want, noQuota))
	got, err = s.Preview(ctx(t), "imp-1", at(1))
	check(t, err)
	equal(t, "replaced preview", got, want)
}

func testPreviewExpiry(t *testing.T, s training.Store) {
	check(t, s.PutPreview(ctx(t), preview("imp-1", []byte("a")), noQuota))
	_, err := s.Preview(ctx(t), "imp-1", at(60))
	wantErr(t, "preview at its expiry", err, training.ErrNotFound)
	// An expired preview is gone, even for a caller whose clock is behind.
	_, err = s.Preview(ctx(t), "imp-1", at(1))
	wantErr(t, "preview read after it expired", err, training.ErrNotFound)
}

func testPreviewDelete(t *testing.T, s training.Store) {
	check(t, s.PutPreview(ctx(t), preview("imp-1", []byte("a")), noQuota))
	check(t, s.PutPreview(ctx(t), preview("imp-2", []byte("b")), noQuota))
	check(t, s.DeletePreview(ctx(t), "imp-1"))
	_, err := s.Preview(ctx(t), "imp-1", at(1))
	wantErr(t, "deleted preview", err, training.ErrNotFound)
	check(t, s.DeletePreview(ctx(t), "imp-1"))
	got, err := s.Preview(ctx(t), "imp-2", at(1))
	check(t, err)
	equal(t, "other preview", string(got.Data), "b")
}

func testPreviewNotFound(t *testing.T, s training.Store) {
	_, err := s.Preview(ctx(t), "nope", t0)
	wantErr(t, "missing preview", err, training.ErrNotFound)
}

// sized is a preview of exactly n bytes (file and report) by user by.
func sized(id, by string, n int) training.Preview {
	u := preview(id, nil)
	u.By, u.Report = by, []byte("{}")
	u.Data = bytes.Repeat([]byte("x"), n-len(u.Report))
	return u
}

func testPreviewQuota(t *testing.T, s training.Store) {
	q := training.PreviewQuota{PerUser: 3000, Total: 5000}
	check(t, s.PutPreview(ctx(t), sized("a1", "ann", 1000), q))
	check(t, s.PutPreview(ctx(t), sized("a2", "ann", 2000), q))
	wantErr(t, "ann's preview past her quota", s.PutPreview(ctx(t), sized("a3", "ann", 100), q), training.ErrQuota)
	_, err := s.Preview(ctx(t), "a3", t0)
	wantErr(t, "a preview refused by the quota", err, training.ErrNotFound)
	// Replacing counts the new size only.
	check(t, s.PutPreview(ctx(t), sized("a2", "ann", 1500), q))
	check(t, s.PutPreview(ctx(t), sized("b1", "bob", 2500), q))
	wantErr(t, "a preview past the total", s.PutPreview(ctx(t), sized("b2", "bob", 500), q), training.ErrBusy)
	// Deleting frees the space.
	check(t, s.DeletePreview(ctx(t), "a1"))
	check(t, s.PutPreview(ctx(t), sized("b2", "bob", 500), q))
	// Expired previews count for nothing.
	late := sized("c1", "cat", 2900)
	late.Created, late.Expires = at(60), at(120)
	check(t, s.PutPreview(ctx(t), late, q))
	_, err = s.Preview(ctx(t), "a2", at(61))
	wantErr(t, "a preview swept by a later put", err, training.ErrNotFound)
}

// testPreviewQuotaConcurrent: previews racing for the last space never
// take the total past the quota (check and write are one step).
func testPreviewQuotaConcurrent(t *testing.T, s training.Store) {
	q := training.PreviewQuota{PerUser: 10000, Total: 10000}
	const n = 12
	var wg sync.WaitGroup
	ok := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("u%02d", i)
			err := s.PutPreview(ctx(t), sized(id, fmt.Sprintf("user%d", i), 2500), q)
			switch {
			case err == nil:
				ok <- id
			case !errors.Is(err, training.ErrBusy):
				t.Errorf("PutPreview: %v", err)
			}
		})
	}
	wg.Wait()
	close(ok)
	kept := 0
	for id := range ok {
		if _, err := s.Preview(ctx(t), id, t0); err == nil {
			kept++
		}
	}
	equal(t, "previews kept within a 10000-byte total of 2500 each", kept, 4)
}
