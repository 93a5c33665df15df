package redis

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
)

// Roster records (an officer, an officer's completions, an officer's
// exemptions) are read 150,000 at a time for every report and written as
// many by a full import, so they use a compact binary format instead of
// JSON: a format byte, then the fields in a fixed order, strings as a
// uvarint length and bytes, numbers as varints (the primitives are
// storage/internal/varint's, shared with bbolt), dates as yyyymmdd
// (0 = unset) and instants as Unix nanoseconds (0 = unset). A new field
// means a new format byte and a decoder branch for the old one. All other
// records are JSON with "v":1 (records.go).
const (
	fmtOfficerV1     = 0x01
	fmtCompletionsV1 = 0x02
	fmtExemptionsV1  = 0x03
	// fmtMessageV1 is an outbox message (encodeMessage). A reminder run
	// writes about 100,000 of them, and JSON encoding was a third of
	// writing the outbox. Messages stored as JSON before (records.go's
	// messageV1) start with '{' and still decode.
	fmtMessageV1 = 0x04
	// fmtOfficerV2 is an officer with, after fmtOfficerV1's fields, the
	// role, staff type, in-post date and per-course requirement dates
	// (issue 17). Officers stored as fmtOfficerV1 decode with those empty.
	fmtOfficerV2 = 0x05
)

// encoder adds Redis's dates, times and sources to the shared primitives.
type encoder struct{ varint.Writer }

func (w *encoder) date(d training.Date) {
	if d.IsZero() {
		w.Uint(0)
		return
	}
	w.Uint(uint64(d.Year()*10000 + int(d.Month())*100 + d.Day()))
}

func (w *encoder) time(t time.Time) {
	if t.IsZero() {
		w.Int(0)
		return
	}
	w.Int(t.UnixNano())
}

func (w *encoder) source(s training.Source) {
	w.String(s.ImportID)
	w.String(s.File)
	w.String(s.Sheet)
	w.Int(int64(s.Row))
	w.String(s.By)
	w.time(s.At)
}

// decoder decodes a record held in a string. Strings it returns are
// substrings of the record (no copies: a Dataset of 150,000 officers
// allocates per record, not per field). The first error sticks and later
// reads return zero values.
type decoder struct {
	varint.Reader[string]
	intern map[string]string // repeated strings (units, sources, courses) shared
	what   string            // the kind of record, for errors
}

func newDecoder(s string, intern map[string]string) decoder {
	return decoder{Reader: varint.NewReader(s), intern: intern}
}

func (r *decoder) str() string { return r.Raw() }

// shared returns a string that repeats across records, interned so that
// all records share one copy and do not pin their own record text.
func (r *decoder) shared() string {
	v := r.Raw()
	if v == "" {
		// A literal: an empty substring of the record still points into it
		// and would keep the whole record text alive.
		return ""
	}
	if r.intern == nil {
		return v
	}
	if s, ok := r.intern[v]; ok {
		return s
	}
	v = strings.Clone(v)
	r.intern[v] = v
	return v
}

func (r *decoder) date() training.Date {
	v := r.Uint()
	if v == 0 {
		return training.Date{}
	}
	return training.DateFrom(int(v/10000), time.Month(v/100%100), int(v%100))
}

func (r *decoder) time() time.Time {
	v := r.Int()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func (r *decoder) source() training.Source {
	return training.Source{ImportID: r.shared(), File: r.shared(), Sheet: r.shared(), Row: int(r.Int()), By: r.shared(), At: r.time()}
}

// format reads the format byte, which must be want.
func (r *decoder) format(want byte, what string) {
	r.what = what
	got := -1
	if r.Len() > 0 {
		got = int(r.Byte())
	}
	if got != int(want) {
		r.Fail(fmt.Errorf("redis store: a stored %s record has format %d; this Muster reads format %d", what, got, want))
	}
}

// done returns the first error, saying which kind of record is damaged.
func (r *decoder) done() error {
	err := r.Done()
	if errors.Is(err, varint.ErrDamaged) {
		return fmt.Errorf("redis store: a stored %s record is damaged", r.what)
	}
	return err
}

const (
	flagEmailInvalid = 1 << iota
	flagLeaver
	flagDateUnknown
)

func encodeOfficer(o training.Officer) string {
	w := encoder{varint.Writer{B: make([]byte, 0, 176+len(o.Name)+len(o.Email)+len(o.Unit)+len(o.Role)+len(o.Source.File)+24*len(o.RequiredSince))}}
	w.Byte(fmtOfficerV2)
	w.String(o.ID)
	w.String(o.DisplayID)
	w.String(o.Name)
	w.String(o.Email)
	var flags uint64
	if o.EmailInvalid {
		flags |= flagEmailInvalid
	}
	if o.Leaver {
		flags |= flagLeaver
	}
	w.Uint(flags)
	w.String(o.Rank)
	w.String(o.Unit)
	w.String(o.LineManager)
	w.date(o.StartDate)
	w.date(o.FirstSeen)
	w.date(o.LeftOn)
	w.source(o.Source)
	w.String(o.Role)
	w.String(string(o.StaffType))
	w.date(o.InPostSince)
	// Courses in order, so that one officer is always the same bytes.
	w.Uint(uint64(len(o.RequiredSince)))
	for _, c := range slices.Sorted(maps.Keys(o.RequiredSince)) {
		w.String(c)
		w.date(o.RequiredSince[c])
	}
	// Approved extensions (training.Extension), only when there are any,
	// so that an officer without one keeps the bytes written before them.
	if len(o.Extensions) > 0 {
		w.Uint(uint64(len(o.Extensions)))
		for _, c := range slices.Sorted(maps.Keys(o.Extensions)) {
			x := o.Extensions[c]
			w.String(c)
			w.date(x.Until)
			w.String(x.By)
			w.String(x.RequestID)
			w.time(x.At)
		}
	}
	return string(w.B)
}

func decodeOfficer(s string, intern map[string]string) (training.Officer, error) {
	r := newDecoder(s, intern)
	v := fmtOfficerV2
	if len(s) > 0 && s[0] == fmtOfficerV1 {
		v = fmtOfficerV1
	}
	r.format(byte(v), "officer")
	o := training.Officer{}
	o.ID, o.DisplayID, o.Name, o.Email = ownStrings(r.str(), r.str(), r.str(), r.str())
	flags := r.Uint()
	o.EmailInvalid, o.Leaver = flags&flagEmailInvalid != 0, flags&flagLeaver != 0
	o.Rank, o.Unit, o.LineManager = r.shared(), r.shared(), r.shared()
	o.StartDate, o.FirstSeen, o.LeftOn = r.date(), r.date(), r.date()
	o.Source = r.source()
	if v == fmtOfficerV2 {
		o.Role, o.StaffType, o.InPostSince = r.shared(), training.StaffType(r.shared()), r.date()
		if n := r.Count(); n > 0 {
			o.RequiredSince = make(map[string]training.Date, n)
			for range n {
				c := r.shared()
				o.RequiredSince[c] = r.date()
			}
		}
		if r.Len() > 0 {
			// Written only when there is at least one: zero is damage.
			n := r.Count()
			if n == 0 {
				r.Fail(varint.ErrDamaged)
			}
			o.Extensions = make(map[string]training.Extension, n)
			for range n {
				c := r.shared()
				o.Extensions[c] = training.Extension{Until: r.date(), By: r.str(), RequestID: r.str(), At: r.time()}
			}
		}
	}
	return o, r.done()
}

// ownStrings copies an officer's own strings out of the record into one
// allocation (the DisplayID, most often the ID itself, shared with it),
// so that the officer does not pin the whole record text, which also
// holds its interned unit, rank and source strings again: a Dataset holds
// 150,000 officers.
func ownStrings(id, display, name, email string) (string, string, string, string) {
	same := display == id
	n := len(id) + len(name) + len(email)
	if !same {
		n += len(display)
	}
	if n == 0 {
		return "", "", "", ""
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(id)
	if !same {
		b.WriteString(display)
	}
	b.WriteString(name)
	b.WriteString(email)
	all := b.String()
	cut := func(k int) string {
		v := all[:k]
		all = all[k:]
		return v
	}
	id = cut(len(id))
	if same {
		display = id
	} else {
		display = cut(len(display))
	}
	return id, display, cut(len(name)), cut(len(email))
}

func encodeCompletions(cs []training.Completion) string {
	w := encoder{varint.Writer{B: make([]byte, 0, 16+64*len(cs))}}
	w.Byte(fmtCompletionsV1)
	w.Uint(uint64(len(cs)))
	for _, c := range cs {
		w.String(c.CourseID)
		w.date(c.Date)
		var flags uint64
		if c.DateUnknown {
			flags |= flagDateUnknown
		}
		w.Uint(flags)
		w.source(c.Source)
	}
	return string(w.B)
}

func decodeCompletions(officerID, s string, intern map[string]string) ([]training.Completion, error) {
	r := newDecoder(s, intern)
	r.format(fmtCompletionsV1, "completions")
	n := r.Count()
	out := make([]training.Completion, n)
	for i := range out {
		c := &out[i]
		c.OfficerID, c.CourseID, c.Date = officerID, r.shared(), r.date()
		c.DateUnknown = r.Uint()&flagDateUnknown != 0
		c.Source = r.source()
	}
	return out, r.done()
}

func encodeExemptions(es []training.Exemption) string {
	w := encoder{varint.Writer{B: make([]byte, 0, 16+80*len(es))}}
	w.Byte(fmtExemptionsV1)
	w.Uint(uint64(len(es)))
	for _, e := range es {
		w.String(e.CourseID)
		w.date(e.From)
		w.date(e.Until)
		w.String(e.Reason)
		w.source(e.Source)
	}
	return string(w.B)
}

func decodeExemptions(officerID, s string, intern map[string]string) ([]training.Exemption, error) {
	r := newDecoder(s, intern)
	r.format(fmtExemptionsV1, "exemptions")
	n := r.Count()
	out := make([]training.Exemption, n)
	for i := range out {
		e := &out[i]
		e.OfficerID, e.CourseID, e.From, e.Until, e.Reason = officerID, r.shared(), r.date(), r.date(), r.shared()
		e.Source = r.source()
	}
	return out, r.done()
}

func encodeMessage(m training.Message) string { return string(appendMessage(nil, m)) }

// appendMessage appends m's record to b.
func appendMessage(b []byte, m training.Message) []byte {
	n := 48 + len(m.ID) + len(m.MessageID) + len(m.Kind) + len(m.To) + len(m.Subject) + len(m.Text) +
		len(m.HTML) + len(m.State) + len(m.LastError) + len(m.RunID)
	for _, k := range m.LedgerKeys {
		n += 2 + len(k)
	}
	w := encoder{varint.Writer{B: slices.Grow(b, n)}}
	w.Byte(fmtMessageV1)
	w.String(m.ID)
	w.String(m.MessageID)
	w.Uint(uint64(len(m.LedgerKeys)))
	for _, k := range m.LedgerKeys {
		w.String(k)
	}
	w.String(m.Kind)
	w.String(m.To)
	w.String(m.Subject)
	w.String(m.Text)
	w.String(m.HTML)
	w.String(string(m.State))
	w.Int(int64(m.Attempts))
	w.String(m.LastError)
	w.Instant(m.Created)
	w.Instant(m.NextAttempt)
	w.Instant(m.Sent)
	w.String(m.RunID)
	return w.B
}

// decodeMessage reads a message in either format: binary (fmtMessageV1)
// or the JSON record written before it (messageV1).
func decodeMessage(s string) (training.Message, error) {
	if len(s) > 0 && s[0] == '{' {
		rec, err := decode[messageV1]("message", s)
		return rec.domain(), err
	}
	r := newDecoder(s, nil)
	r.format(fmtMessageV1, "message")
	m := training.Message{ID: r.str(), MessageID: r.str()}
	if n := r.Count(); n > 0 {
		m.LedgerKeys = make([]string, n)
		for i := range m.LedgerKeys {
			m.LedgerKeys[i] = r.str()
		}
	}
	m.Kind, m.To, m.Subject, m.Text, m.HTML = r.str(), r.str(), r.str(), r.str(), r.str()
	m.State = training.MessageState(r.str())
	m.Attempts = int(r.Int())
	m.LastError = r.str()
	m.Created, m.NextAttempt, m.Sent = r.Instant(), r.Instant(), r.Instant()
	m.RunID = r.str()
	if err := r.done(); err != nil {
		return training.Message{}, err
	}
	return m, nil
}
