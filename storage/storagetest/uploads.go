package storagetest

import (
	"bytes"
	"testing"

	"github.com/muster-police/muster/training"
)

var uploadTests = []test{
	{"UploadRoundTrip", testUploadRoundTrip},
	{"UploadExpiry", testUploadExpiry},
	{"UploadDelete", testUploadDelete},
	{"UploadNotFound", testUploadNotFound},
}

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
	check(t, s.PutUpload(ctx(t), want))
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
	want.ConfirmLeavers, want.Data = true, []byte("id,name\n")
	check(t, s.PutUpload(ctx(t), want))
	got, err = s.Upload(ctx(t), "imp-1", at(1))
	check(t, err)
	equal(t, "replaced upload", got, want)
}

func testUploadExpiry(t *testing.T, s training.Store) {
	check(t, s.PutUpload(ctx(t), upload("imp-1", []byte("a"))))
	_, err := s.Upload(ctx(t), "imp-1", at(60))
	wantErr(t, "upload at its expiry", err, training.ErrNotFound)
	// An expired upload is gone, even for a caller whose clock is behind.
	_, err = s.Upload(ctx(t), "imp-1", at(1))
	wantErr(t, "upload read after it expired", err, training.ErrNotFound)
}

func testUploadDelete(t *testing.T, s training.Store) {
	check(t, s.PutUpload(ctx(t), upload("imp-1", []byte("a"))))
	check(t, s.PutUpload(ctx(t), upload("imp-2", []byte("b"))))
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
