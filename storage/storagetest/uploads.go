package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/muster-police/muster/training"
)

var uploadTests = []test{
	{"UploadRoundTrip", testUploadRoundTrip},
	{"UploadExpiry", testUploadExpiry},
	{"UploadDelete", testUploadDelete},
	{"UploadNotFound", testUploadNotFound},
	{"UploadQuota", testUploadQuota},
	{"UploadQuotaConcurrent", testUploadQuotaConcurrent},
}

var noQuota training.UploadQuota

func upload(id string, data []byte) training.Upload {
	return training.Upload{ID: id, FileName: "roster.xlsx", By: "hana", Full: true, Strict: true, Sheet: "Staff",
		Data: data, Report: []byte(`{"import_id":"` + id + `"}`), Created: t0, Expires: at(60)}
}

func testUploadRoundTrip(t *testing.T, s training.Store) {
	// Bytes of every value, newlines included: the file is kept as is.
	data := make([]byte, 300<<10)
	for i := range data {
		data[i] = byte(i * 7)
	}
	want := upload("imp-1", data)
	check(t, s.PutUpload(ctx(t), want, noQuota))
	got, err := s.Upload(ctx(t), "imp-1", at(59))
	check(t, err)
	if !bytes.Equal(got.Data, data) {
		t.Fatalf("data: got %d bytes, not the %d stored", len(got.Data), len(data))
	}
	equal(t, "upload", got, want)
	got.Data[0]++
	again, err := s.Upload(ctx(t), "imp-1", at(59))
	check(t, err)
	equal(t, "upload after changing the returned copy", again.Data[0], data[0])

	// Putting again replaces.
	want.Confirmed, want.Data = true, []byte("id,name\n")
	check(t, s.PutUpload(ctx(t), want, noQuota))
	got, err = s.Upload(ctx(t), "imp-1", at(1))
	check(t, err)
	equal(t, "replaced upload", got, want)
}

func testUploadExpiry(t *testing.T, s training.Store) {
	check(t, s.PutUpload(ctx(t), upload("imp-1", []byte("a")), noQuota))
	_, err := s.Upload(ctx(t), "imp-1", at(60))
	wantErr(t, "upload at its expiry", err, training.ErrNotFound)
	// An expired upload is gone, even for a caller whose clock is behind.
	_, err = s.Upload(ctx(t), "imp-1", at(1))
	wantErr(t, "upload read after it expired", err, training.ErrNotFound)
}

func testUploadDelete(t *testing.T, s training.Store) {
	check(t, s.PutUpload(ctx(t), upload("imp-1", []byte("a")), noQuota))
	check(t, s.PutUpload(ctx(t), upload("imp-2", []byte("b")), noQuota))
	check(t, s.DeleteUpload(ctx(t), "imp-1"))
	_, err := s.Upload(ctx(t), "imp-1", at(1))
	wantErr(t, "deleted upload", err, training.ErrNotFound)
	check(t, s.DeleteUpload(ctx(t), "imp-1"))
	got, err := s.Upload(ctx(t), "imp-2", at(1))
	check(t, err)
	equal(t, "other upload", string(got.Data), "b")
}

func testUploadNotFound(t *testing.T, s training.Store) {
	_, err := s.Upload(ctx(t), "nope", t0)
	wantErr(t, "missing upload", err, training.ErrNotFound)
}

// sized is an upload of exactly n bytes (file and report) by user by.
func sized(id, by string, n int) training.Upload {
	u := upload(id, nil)
	u.By, u.Report = by, []byte("{}")
	u.Data = bytes.Repeat([]byte("x"), n-len(u.Report))
	return u
}

func testUploadQuota(t *testing.T, s training.Store) {
	q := training.UploadQuota{PerUser: 3000, Total: 5000}
	check(t, s.PutUpload(ctx(t), sized("a1", "ann", 1000), q))
	check(t, s.PutUpload(ctx(t), sized("a2", "ann", 2000), q))
	wantErr(t, "ann's upload past her quota", s.PutUpload(ctx(t), sized("a3", "ann", 100), q), training.ErrQuota)
	_, err := s.Upload(ctx(t), "a3", t0)
	wantErr(t, "an upload refused by the quota", err, training.ErrNotFound)
	// Replacing counts the new size only.
	check(t, s.PutUpload(ctx(t), sized("a2", "ann", 1500), q))
	check(t, s.PutUpload(ctx(t), sized("b1", "bob", 2500), q))
	wantErr(t, "an upload past the total", s.PutUpload(ctx(t), sized("b2", "bob", 500), q), training.ErrBusy)
	// Deleting frees the space.
	check(t, s.DeleteUpload(ctx(t), "a1"))
	check(t, s.PutUpload(ctx(t), sized("b2", "bob", 500), q))
	// Expired uploads count for nothing.
	late := sized("c1", "cat", 2900)
	late.Created, late.Expires = at(60), at(120)
	check(t, s.PutUpload(ctx(t), late, q))
	_, err = s.Upload(ctx(t), "a2", at(61))
	wantErr(t, "an upload swept by a later put", err, training.ErrNotFound)
}

// testUploadQuotaConcurrent: uploads racing for the last space never
// take the total past the quota (check and write are one step).
func testUploadQuotaConcurrent(t *testing.T, s training.Store) {
	q := training.UploadQuota{PerUser: 10000, Total: 10000}
	const n = 12
	var wg sync.WaitGroup
	ok := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			id := fmt.Sprintf("u%02d", i)
			err := s.PutUpload(ctx(t), sized(id, fmt.Sprintf("user%d", i), 2500), q)
			switch {
			case err == nil:
				ok <- id
			case !errors.Is(err, training.ErrBusy):
				t.Errorf("PutUpload: %v", err)
			}
		})
	}
	wg.Wait()
	close(ok)
	kept := 0
	for id := range ok {
		if _, err := s.Upload(ctx(t), id, t0); err == nil {
			kept++
		}
	}
	equal(t, "uploads kept within a 10000-byte total of 2500 each", kept, 4)
}
