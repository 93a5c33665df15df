package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/internal/live"
	"github.com/muster-police/muster/training"
)

// The officers list, API and pages: its request from the query, and its
// cursors. A cursor is a position in the list (live.Cursor: the list key,
// unit, name and ID, of the officer before or after the page), sealed
// with AES-GCM under a key derived from the server's secret, so that it
// is opaque (no names in URLs or access logs), cannot be made up or
// changed (a crafted one is refused, and even an accepted one only moves
// the page: rows are always within the caller's scope), and says which
// list it belongs to: the same user, filters, search and date, else it
// is refused as stale with a message saying to start again.

// UserKey names, in cache keys, whose list a page is: the cursors in it
// are theirs, and what they may see follows their role, units and officer
// ID, which may change without the store's revision changing.
func UserKey(u training.User) string {
	return strings.Join(append([]string{u.Username, string(u.Role), u.OfficerID}, u.Units...), "\x00")
}

// cursorText is what a cursor seals.
type cursorText struct {
	Unit string `json:"u"`
	Name string `json:"n"`
	ID   string `json:"i"`
	Back bool   `json:"b,omitempty"`
	// List digests the user, filters and search the cursor was made for;
	// AsOf is the list's date (its own message when it differs).
	List string        `json:"l"`
	AsOf training.Date `json:"d"`
}

// listDigest names one list of one user: a cursor works only with it.
func listDigest(rq live.ListRequest) string {
	f := rq.Filter
	sum := sha256.Sum256([]byte(strings.Join([]string{rq.User.Username, f.Unit, f.Course, string(f.Status),
		strconv.FormatBool(f.Leavers), rq.Search}, "\x00")))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// cursorAEAD is the cursors' cipher, keyed from the server's secret.
func (s *Core) cursorAEAD() cipher.AEAD {
	m := hmac.New(sha256.New, s.Cfg.Secret)
	m.Write([]byte("muster/list-cursor/v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

// EncodeCursor seals cur for the list rq; "" for no cursor.
func (s *Core) EncodeCursor(cur *live.Cursor, rq live.ListRequest) string {
	if cur == nil {
		return ""
	}
	b, err := json.Marshal(cursorText{Unit: cur.Key.Unit, Name: cur.Key.Name, ID: cur.Key.ID, Back: cur.Back, List: listDigest(rq), AsOf: rq.AsOf})
	if err != nil {
		panic(err) // strings, a bool and a date always encode
	}
	aead := s.cursorAEAD()
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand does not fail
	}
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, b, nil))
}

// errCursor is the answer to a cursor this service did not make, or one
// cut short or changed on the way.
var errCursor = training.FieldErrorf(training.KindInvalid, "cursor",
	"the cursor is not one this list gave out (it may have been cut short or changed); start again from the first page, without a cursor")

// DecodeCursor opens v ("" is no cursor) and checks that it belongs to
// the list rq.
func (s *Core) DecodeCursor(v string, rq live.ListRequest) (*live.Cursor, error) {
	if v == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(v)
	aead := s.cursorAEAD()
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, errCursor
	}
	b, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	var ct cursorText
	if err != nil || json.Unmarshal(b, &ct) != nil {
		return nil, errCursor
	}
	if ct.AsOf != rq.AsOf {
		return nil, training.FieldErrorf(training.KindInvalid, "cursor",
			"the cursor belongs to the list as of %s, not %s; start again from the first page, without a cursor", ct.AsOf, rq.AsOf)
	}
	if ct.List != listDigest(rq) {
		return nil, training.FieldErrorf(training.KindInvalid, "cursor",
			"the cursor belongs to another list (other filters, search or user); start again from the first page, without a cursor")
	}
	return &live.Cursor{Key: training.ListKey{Unit: ct.Unit, Name: ct.Name, ID: ct.ID}, Back: ct.Back}, nil
}

// ExportList streams the list rq to the response as a csv or xlsx file
// named name: rows go out as they are read from the model (csv), or into
// excelize's streamed sheet (xlsx), never held whole. It returns the rows
// sent. Once the first bytes are out an error can only cut the file short.
func (s *Core) ExportList(c echo.Context, rq live.ListRequest, format, name string) (int, error) {
	ctx := c.Request().Context()
	// Headers go out with the first bytes: until then an error (a unit
	// out of scope, an unknown course) is answered as any other.
	start := func() {
		h := c.Response().Header()
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name+"."+format))
		h.Set("Cache-Control", "private, no-store")
		h.Set(echo.HeaderContentType, ExportTypes[format])
		c.Response().WriteHeader(200)
	}
	if format == "csv" {
		var ow *export.OfficersCSVWriter
		n, err := s.Live.EachListed(ctx, rq, func(courses []training.Course) error {
			start()
			var err error
			ow, err = export.NewOfficersCSV(c.Response(), courses)
			return err
		}, func(os training.OfficerStatus) error { return ow.Row(os) })
		if ow != nil {
			if ferr := ow.Flush(); err == nil {
				err = ferr
			}
		}
		return n, err
	}
	var xw *export.OfficersXLSXWriter
	n, err := s.Live.EachListed(ctx, rq, func(courses []training.Course) error {
		var err error
		xw, err = export.NewOfficersXLSX(courses)
		return err
	}, func(os training.OfficerStatus) error { return xw.Row(os) })
	if err != nil {
		if xw != nil {
			xw.Close()
		}
		return n, err
	}
	start()
	return n, xw.Finish(c.Response())
}
