package web

// Receiving an upload. The import slot (per user and in total) is taken
// for the size the request declares before a byte of its body is read, so
// a refused upload costs nothing; the body is then read part by part (Go's
// mime/multipart reader, not ParseMultipartForm, which reads it all): the
// form's small fields into the request's form, where c.FormValue finds
// them, and the "file" part straight into a temporary file, never into
// memory. A session's CSRF token for these routes travels in the body
// (the upload form's first field), so checkCSRF leaves it to
// ReceiveUpload, which checks it before the file part is read.

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// Bounds on an upload form's fields (the file aside).
const (
	maxFormFieldBytes = 256 << 10
	maxFormFields     = 2000
)

// ReceivedUpload is the file part of an upload, in a temporary file.
type ReceivedUpload struct {
	name string // the base of the name it was uploaded under
	file *os.File
	size int64
}

// Close removes the temporary file.
func (u *ReceivedUpload) Close() {
	if u == nil || u.file == nil {
		return
	}
	u.file.Close()
	os.Remove(u.file.Name())
}

// ErrNoFilePart is the answer to an upload form without a file.
var ErrNoFilePart = training.Invalidf("send the roster as a multipart form field named file")

// IsMultipart reports whether r carries a multipart form.
func IsMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return err == nil && mt == "multipart/form-data"
}

// ReceiveUpload takes by's import slot for the declared size (else 429 or
// 503, the body unread), then reads the form: its fields into the
// request's form, its "file" part into a temporary file. The caller
// defers release() and up.close(); on error both are already done.
func (s *Core) ReceiveUpload(c echo.Context, by string) (*ReceivedUpload, func(), error) {
	up, release, err := s.receiveUploadParts(c, by)
	if err != nil {
		if release != nil {
			release()
		}
		up.Close()
		return nil, nil, err
	}
	return up, release, nil
}

// receiveUploadParts is ReceiveUpload without the clean-up on error.
func (s *Core) receiveUploadParts(c echo.Context, by string) (up *ReceivedUpload, release func(), err error) {
	r := c.Request()
	declared := r.ContentLength
	if declared > s.Cfg.MaxUploadBytes+64<<10 {
		return nil, nil, ErrTooLarge
	}
	if declared < 0 {
		declared = s.Cfg.MaxUploadBytes // unknown (chunked): count the most it may be
	}
	release, err = s.ImportGate.Acquire(by, declared)
	if err != nil {
		return nil, nil, err
	}
	if !IsMultipart(r) {
		return nil, release, ErrNoFilePart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, release, ErrNoFilePart
	}
	fields := url.Values{}
	csrfChecked := false
	checkCSRF := func() error {
		if csrfChecked {
			return nil
		}
		csrfChecked = true
		p := PrincipalOf(c)
		if p == nil || !p.CSRFInBody {
			return nil
		}
		got := fields.Get("csrf_token")
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRFToken)) != 1 {
			return training.Forbiddenf("the form has expired; reload the page and try again")
		}
		return nil
	}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, release, readError(err)
		}
		if n >= maxFormFields {
			return up, release, training.Invalidf("the form has too many fields")
		}
		name := part.FormName()
		if part.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(part, maxFormFieldBytes+1))
			if err != nil {
				return up, release, readError(err)
			}
			if len(b) > maxFormFieldBytes {
				return up, release, training.Invalidf("the form field %s is too long", name)
			}
			fields.Add(name, string(b))
			continue
		}
		if name != "file" || up != nil {
			continue // another file part is not read: the next NextPart skips it
		}
		if err := checkCSRF(); err != nil {
			return up, release, err
		}
		if up, err = s.spool(part); err != nil {
			return up, release, err
		}
	}
	if err := checkCSRF(); err != nil {
		return up, release, err
	}
	// The fields where c.FormValue and c.FormParams look (ParseMultipartForm
	// returns at once once MultipartForm is set).
	r.MultipartForm = &multipart.Form{Value: fields}
	r.PostForm = fields
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], v...)
	}
	for k, v := range fields {
		r.Form[k] = append(r.Form[k], v...)
	}
	if up == nil {
		return nil, release, ErrNoFilePart
	}
	return up, release, nil
}

// spool copies a file part into a temporary file, at most MaxUploadBytes.
func (s *Core) spool(part *multipart.Part) (*ReceivedUpload, error) {
	f, err := os.CreateTemp("", "muster-upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	up := &ReceivedUpload{name: filepath.Base(strings.ReplaceAll(part.FileName(), "\\", "/")), file: f}
	n, err := io.Copy(f, io.LimitReader(part, s.Cfg.MaxUploadBytes+1))
	up.size = n
	if err != nil {
		return up, readError(err)
	}
	if n > s.Cfg.MaxUploadBytes {
		return up, ErrTooLarge
	}
	return up, nil
}

// readError maps a failed body read: over the body limit is 413.
func readError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return ErrTooLarge
	}
	return training.Invalidf("the upload could not be read")
}
