package xapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"sort"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Request is one statements request taken apart: the body's content type,
// the body, and for PUT the statementId parameter.
type Request struct {
	ContentType string
	Body        []byte
	// StatementID is PUT's statementId ("" for POST): the body must then
	// be one statement, whose id, if it has one, must match.
	StatementID string
	// Source is who sent it and when; it becomes every statement's Source.
	Source training.Source
	// Authority is the Agent the credentials stand for, set on statements
	// that name none (1.0.3 Data 2.4.9: the LRS populates it).
	Authority map[string]any
}

// ReasonExtension is cmi5's result extension saying why an AU was waived
// (cmi5 9.5.5.2).
const ReasonExtension = "https://w3id.org/xapi/cmi5/result/extensions/reason"

// Parse validates every statement of r and returns them in order, or an
// ErrInvalid error naming the first wrong statement ("statement 3: …")
// and why: a batch with one invalid statement is refused whole.
func Parse(r Request) ([]training.Statement, error) {
	mt, params, err := mime.ParseMediaType(r.ContentType)
	if err != nil {
		return nil, invalidf("the Content-Type %q cannot be read; send application/json or multipart/mixed", r.ContentType)
	}
	var body []byte
	parts := map[string]bool{} // SHA-2 of each attachment part received
	switch mt {
	case "application/json":
		body = r.Body
	case "multipart/mixed":
		if body, err = readMultipart(r.Body, params["boundary"], parts); err != nil {
			return nil, err
		}
	default:
		return nil, invalidf("the Content-Type must be application/json or multipart/mixed, not %s", mt)
	}
	raws, single, err := splitStatements(body)
	if err != nil {
		return nil, err
	}
	if r.StatementID != "" {
		if !single {
			return nil, invalidf("PUT takes one statement, not a list; POST a batch")
		}
		id, err := uuid("statementId", r.StatementID)
		if err != nil {
			return nil, invalidf("%v", err)
		}
		if v, ok := raws[0]["id"]; ok && !strings.EqualFold(fmt.Sprint(v), id) {
			return nil, invalidf("the statement's id %v does not match the statementId parameter %s", v, r.StatementID)
		}
		raws[0]["id"] = id
	}
	used := map[string]bool{}
	out := make([]training.Statement, 0, len(raws))
	for i, o := range raws {
		where := fmt.Sprintf("statement %d", i+1)
		if single {
			where = "the statement"
		}
		if err := noNulls("statement", o); err != nil {
			return nil, invalidf("%s: %s", where, problem(err))
		}
		if err := statementBody("statement", o, false); err != nil {
			return nil, invalidf("%s: %s", where, problem(err))
		}
		if err := checkAttachments(o, mt == "multipart/mixed", parts, used); err != nil {
			return nil, invalidf("%s: %v", where, err)
		}
		if _, ok := o["authority"]; !ok && r.Authority != nil {
			o["authority"] = r.Authority
		}
		st, err := record(o, r.Source)
		if err != nil {
			return nil, invalidf("%s: %v", where, err)
		}
		out = append(out, st)
	}
	for h := range parts {
		if !used[h] {
			return nil, invalidf("an attachment part (X-Experience-API-Hash %s) belongs to no attachment of the statements", h)
		}
	}
	return out, nil
}

// problem says what is wrong inside a statement, from its own property
// ("actor.mbox: …", not "statement.actor.mbox: …").
func problem(err error) string {
	var iv *invalid
	if !errors.As(err, &iv) {
		return err.Error()
	}
	if iv.path == "statement" {
		return iv.msg
	}
	return strings.TrimPrefix(iv.path, "statement.") + ": " + iv.msg
}

func invalidf(format string, args ...any) error {
	return training.Invalidf(format, args...)
}

// splitStatements reads one statement or a list of them.
func splitStatements(body []byte) ([]obj, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false, invalidf("the body is not JSON: %v", err)
	}
	if dec.More() {
		return nil, false, invalidf("the body holds more than one JSON value")
	}
	switch x := v.(type) {
	case obj:
		return []obj{x}, true, nil
	case []any:
		if len(x) == 0 {
			return nil, false, invalidf("the list of statements is empty")
		}
		out := make([]obj, len(x))
		for i, e := range x {
			o, ok := e.(obj)
			if !ok {
				return nil, false, invalidf("statement %d is not a JSON object", i+1)
			}
			out[i] = o
		}
		return out, false, nil
	}
	return nil, false, invalidf("the body must be a statement or a list of statements")
}

// readMultipart reads a multipart/mixed body (1.0.3 Communication 1.5.2):
// the first part is the statements (application/json); each further part
// is an attachment's data, with X-Experience-API-Hash and
// Content-Transfer-Encoding: binary. The data is checked against its
// declared hash and then dropped: Muster keeps the attachment's metadata
// (in the statement), not its content.
func readMultipart(body []byte, boundary string, hashes map[string]bool) ([]byte, error) {
	if boundary == "" {
		return nil, invalidf("the multipart/mixed Content-Type has no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var first []byte
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, invalidf("the multipart body cannot be read: %v", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, invalidf("the multipart body cannot be read: %v", err)
		}
		if i == 0 {
			if mt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); mt != "application/json" {
				return nil, invalidf("the first part of a multipart/mixed body must be the statements, as application/json")
			}
			first = data
			continue
		}
		declared := strings.ToLower(strings.TrimSpace(p.Header.Get("X-Experience-API-Hash")))
		if declared == "" {
			return nil, invalidf("attachment part %d has no X-Experience-API-Hash header", i)
		}
		if !strings.EqualFold(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding")), "binary") {
			return nil, invalidf("attachment part %d must have Content-Transfer-Encoding: binary", i)
		}
		if got := sha2(declared, data); got != declared {
			return nil, invalidf("attachment part %d: its data does not match its X-Experience-API-Hash", i)
		}
		hashes[declared] = true
	}
	if first == nil {
		return nil, invalidf("the multipart/mixed body has no parts")
	}
	return first, nil
}

// sha2 is the hex SHA-2 of data in the length of declared (SHA-256,
// SHA-384 or SHA-512).
func sha2(declared string, data []byte) string {
	var h hash.Hash
	switch len(declared) {
	case 96:
		h = sha512.New384()
	case 128:
		h = sha512.New()
	default:
		h = sha256.New()
	}
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// checkAttachments: in application/json every attachment needs a fileUrl;
// in multipart/mixed each needs a fileUrl or a part with its sha2.
func checkAttachments(o obj, multi bool, parts, used map[string]bool) error {
	list := attachmentList(o)
	if sub, ok := o["object"].(obj); ok && sub["objectType"] == "SubStatement" {
		list = append(list, attachmentList(sub)...)
	}
	for i, a := range list {
		sum, _ := a["sha2"].(string)
		used[strings.ToLower(sum)] = true
		if _, ok := a["fileUrl"]; ok {
			continue
		}
		if !multi {
			return bad(fmt.Sprintf("attachments[%d]", i), "has no fileUrl; send its data in a multipart/mixed request")
		}
		if !parts[strings.ToLower(sum)] {
			return bad(fmt.Sprintf("attachments[%d]", i), "has no fileUrl and no part of the request has its sha2")
		}
	}
	return nil
}

func attachmentList(o obj) []obj {
	l, _ := o["attachments"].([]any)
	out := make([]obj, 0, len(l))
	for _, e := range l {
		if a, ok := e.(obj); ok {
			out = append(out, a)
		}
	}
	return out
}

// record turns a valid statement into what Muster keeps of it.
func record(o obj, src training.Source) (training.Statement, error) {
	now := src.At.UTC()
	id, _ := o["id"].(string)
	if id == "" {
		id = newUUID()
		o["id"] = id
	}
	st := training.Statement{ID: strings.ToLower(id), Source: src}
	arrayContextActivities(o)
	if sub, ok := o["object"].(obj); ok && sub["objectType"] == "SubStatement" {
		arrayContextActivities(sub)
	}
	st.Hash = contentHash(o)
	if _, ok := o["timestamp"]; !ok {
		o["timestamp"] = now.Format("2006-01-02T15:04:05.000Z07:00")
	}
	st.Timestamp, _ = timestamp("timestamp", o["timestamp"])
	o["stored"] = now.Format("2006-01-02T15:04:05.000Z07:00")
	if _, ok := o["version"]; !ok {
		o["version"] = "1.0.0"
	}
	raw, err := json.Marshal(o)
	if err != nil {
		return st, err
	}
	st.Raw = raw

	if a, ok := o["actor"].(obj); ok && a["objectType"] != "Group" {
		if acc, ok := a["account"].(obj); ok {
			st.Actor.HomePage, _ = acc["homePage"].(string)
			st.Actor.Name, _ = acc["name"].(string)
		}
		if m, ok := a["mbox"].(string); ok {
			st.Actor.Email = strings.ToLower(strings.TrimPrefix(m, "mailto:"))
		}
	}
	v := o["verb"].(obj)
	st.Verb, _ = v["id"].(string)
	ob := o["object"].(obj)
	kind, _ := ob["objectType"].(string)
	switch {
	case st.Verb == training.VerbVoided:
		st.Voids, _ = ob["id"].(string)
		st.Voids = strings.ToLower(st.Voids)
	case kind == "" || kind == "Activity":
		st.Activity, _ = ob["id"].(string)
		if def, ok := ob["definition"].(obj); ok {
			st.ActivityName = pickLang(def["name"])
		}
	}
	res, _ := o["result"].(obj)
	st.Completed = st.Verb == training.VerbCompleted || st.Verb == training.VerbPassed ||
		res["completion"] == true || res["success"] == true
	if st.Verb == training.VerbWaived {
		st.Waived, st.Completed = true, false
		if ext, ok := res["extensions"].(obj); ok {
			st.Reason, _ = ext[ReasonExtension].(string)
		}
	}
	return st, nil
}

// arrayContextActivities stores a single context activity as a list of
// one, as the LRS returns them (1.0.3 Data 2.4.6.2).
func arrayContextActivities(o obj) {
	ctx, _ := o["context"].(obj)
	ca, _ := ctx["contextActivities"].(obj)
	for k, v := range ca {
		if a, ok := v.(obj); ok {
			ca[k] = []any{a}
		}
	}
}

// pickLang chooses a language map's English value, else its first by tag.
func pickLang(v any) string {
	m, _ := v.(obj)
	for _, k := range []string{"en-GB", "en", "en-US"} {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	if len(ks) > 0 {
		s, _ := m[ks[0]].(string)
		return s
	}
	return ""
}

// contentHash digests what makes a statement itself (1.0.3 Data 2.3.1):
// without the properties an LRS assigns (id, stored, authority, version),
// the verb's display and activity definitions (not part of the statement),
// and the timestamp as an instant, so a repeat in another time zone or
// with another display is the same statement and anything else is not.
func contentHash(o obj) string {
	c := make(obj, len(o))
	for k, v := range o {
		switch k {
		case "id", "stored", "authority", "version":
			continue
		case "timestamp":
			t, _ := timestamp(k, v)
			c[k] = t.UTC().Format(time.RFC3339Nano)
			continue
		}
		c[k] = v
	}
	c["verb"] = without(c["verb"], "display")
	c["object"] = without(c["object"], "definition")
	b, _ := json.Marshal(c) // maps marshal with sorted keys: a canonical form
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func without(v any, key string) any {
	o, ok := v.(obj)
	if !ok {
		return v
	}
	c := make(obj, len(o))
	for k, e := range o {
		if k != key {
			c[k] = e
		}
	}
	return c
}

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("xapi: crypto/rand failed: " + err.Error())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
