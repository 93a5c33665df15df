package server

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// bigUpload is a multipart form whose csv file is about n bytes, with
// fields before the file part.
func bigUpload(t *testing.T, n int, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", "big.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, "Officer ID,Name,Unit,Email\n")
	for i := 0; buf.Len() < n; i++ {
		fmt.Fprintf(fw, "Z%d,Person %d,Alpha / Team 1,p%d@police.test\n", i, i, i)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

// tempFiles lists the upload temp files left in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "muster-upload-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestRefusedUploadsAreNotRead: eight concurrent large uploads by one
// user. While the first is being received (its body held open), the other
// seven are refused (429) with not one byte of their bodies read; the
// first completes; every temporary file is gone afterwards.
func TestRefusedUploadsAreNotRead(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newTestEnv(t, func(c *Config) { c.Limits.Imports, c.Limits.ImportsPerUser, c.Limits.ImportBytes = 4, 1, 8<<20 })
	body, ctype := bigUpload(t, 900<<10, map[string]string{"dry_run": "true"})

	// The first upload: its body arrives in two halves through a pipe.
	pr, pw := io.Pipe()
	first := httptest.NewRequest("POST", "/api/v1/imports", pr)
	first.ContentLength = int64(len(body))
	first.Header.Set("Content-Type", ctype)
	first.Header.Set("Authorization", "Bearer "+e.bearer["token"])
	first.RemoteAddr = e.ip + ":4321"
	firstRec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.s.Handler().ServeHTTP(firstRec, first)
	}()
	if _, err := pw.Write(body[:len(body)/2]); err != nil { // returns once the server has read it
		t.Fatal(err)
	}
	if n, _ := e.s.ImportGate.InUse(); n != 1 {
		t.Fatalf("%d imports running while the first is received, want 1", n)
	}

	for i := 2; i <= 8; i++ {
		cr := &countingReader{r: bytes.NewReader(body)}
		r := httptest.NewRequest("POST", "/api/v1/imports", cr)
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Type", ctype)
		r.Header.Set("Authorization", "Bearer "+e.bearer["token"])
		r.RemoteAddr = e.ip + ":4321"
		rec := httptest.NewRecorder()
		e.s.Handler().ServeHTTP(rec, r)
		if rec.Code != http.StatusTooManyRequests {
			t.Errorf("upload %d while the first runs: %d %s, want 429", i, rec.Code, rec.Body)
		}
		if got := cr.n.Load(); got != 0 {
			t.Errorf("upload %d was refused after reading %d of its %d bytes", i, got, len(body))
		}
	}
	if _, err := pw.Write(body[len(body)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	<-done
	if firstRec.Code != 200 {
		t.Fatalf("the first upload: %d %s", firstRec.Code, firstRec.Body)
	}
	if n, b := e.s.ImportGate.InUse(); n != 0 || b != 0 {
		t.Fatalf("after the uploads: %d running, %d bytes", n, b)
	}
	if left := tempFiles(t, tmp); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	// A body over the limit that did not declare its length: 413 when
	// the limit is passed, and its temporary file removed.
	huge, hctype := bigUpload(t, 2<<20, nil)
	r := httptest.NewRequest("POST", "/api/v1/imports", io.MultiReader(bytes.NewReader(huge)))
	r.ContentLength = -1
	r.Header.Set("Content-Type", hctype)
	r.Header.Set("Authorization", "Bearer "+e.bearer["token"])
	rec := httptest.NewRecorder()
	e.s.Handler().ServeHTTP(rec, r)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("an undeclared 2 MB body: %d %s, want 413", rec.Code, rec.Body)
	}
	if left := tempFiles(t, tmp); len(left) != 0 {
		t.Fatalf("temporary files left after a refused body: %v", left)
	}
}

// TestUploadCSRFInBody: the upload form carries its CSRF token as its
// first field; a right token previews the file, a wrong one is 403
// before the file part is read.
func TestUploadCSRFInBody(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newTestEnv(t)
	send := func(token string) (*httptest.ResponseRecorder, int64, int) {
		body, ctype := bigUpload(t, 900<<10, map[string]string{"csrf_token": token})
		cr := &countingReader{r: bytes.NewReader(body)}
		rec := e.do(req{method: "POST", path: "/upload", as: "hr", body: cr, ctype: ctype, noCSRF: true})
		return rec, cr.n.Load(), len(body)
	}
	rec, _, _ := send(e.csrf["hr"])
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/upload/") {
		t.Fatalf("upload with the token in the body: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec, read, size := send("wrong")
	if rec.Code != http.StatusForbidden {
		t.Fatalf("upload with a wrong token: %d", rec.Code)
	}
	if read > 64<<10 {
		t.Errorf("a forged upload was refused after reading %d of its %d bytes", read, size)
	}
	if left := tempFiles(t, tmp); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
