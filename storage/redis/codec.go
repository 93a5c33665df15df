package redis

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// Roster records (an officer, an officer's completions, an officer's
// exemptions) are read 150,000 at a time for every report and written as
// many by a full import, so they use a compact binary format instead of
// JSON: a format byte, then the fields in a fixed order, strings as a
// uvarint length and bytes, numbers as varints, dates as yyyymmdd
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
)

type writer struct{ b []byte }

func (w *writer) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *writer) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *writer) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *writer) date(d training.Date) {
	if d.IsZero() {
		w.uint(0)
		return
	}
	w.uint(uint64(d.Year*10000 + int(d.Month)*100 + d.Day))
}
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.int(0)
		return
	}
	w.int(t.UnixNano())
}
func (w *writer) source(s training.Source) {
	w.str(s.ImportID)
	w.str(s.File)
	w.str(s.Sheet)
	w.int(int64(s.Row))
	w.str(s.By)
	w.time(s.At)
}

// instant writes a time that may be zero or outside the range of Unix
// nanoseconds (0 = unset, else 1, seconds, nanoseconds), so that every
// time round-trips, the Unix epoch included.
func (w *writer) instant(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(1)
	w.int(t.Unix())
	w.uint(uint64(t.Nanosecond()))
}

// reader decodes a record held in a string. Strings it returns are
// substrings of the record (no copies: a Dataset of 150,000 officers
// allocates per record, not per field). The first error sticks and later
// reads return zero values.
type reader struct {
	b      string
	err    error
	intern map[string]string // repeated strings (units, sources, courses) shared
	what   string            // the kind of record, for errors
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = fmt.Errorf("redis store: a stored %s record is damaged", r.what)
	}
	r.b = ""
}

// uint reads an unsigned varint (encoding/binary's format).
func (r *reader) uint() uint64 {
	var v uint64
	for i := 0; i < len(r.b) && i < binary.MaxVarintLen64; i++ {
		c := r.b[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // overflow
			}
			r.b = r.b[i+1:]
			return v | uint64(c)<<(7*i)
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	r.fail()
	return 0
}

// int reads a signed (zig-zag) varint.
func (r *reader) int() int64 {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// count reads the number of items in a list, failing (and returning 0)
// when it cannot fit in what is left of the record: a damaged count must
// not make a decoder allocate gigabytes.
func (r *reader) count() uint64 {
	n := r.uint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return n
}

func (r *reader) str() string {
	n := r.count()
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// shared returns a string that repeats across records, interned so that
// all records share one copy and do not pin their own record text.
func (r *reader) shared() string {
	v := r.str()
	if v == "" || r.intern == nil {
		return v
	}
	if s, ok := r.intern[v]; ok {
		return s
	}
	v = strings.Clone(v)
	r.intern[v] = v
	return v
}

func (r *reader) date() training.Date {
	v := r.uint()
	if v == 0 {
		return training.Date{}
	}
	return training.Date{Year: int(v / 10000), Month: time.Month(v / 100 % 100), Day: int(v % 100)}
}

func (r *reader) time() time.Time {
	v := r.int()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func (r *reader) instant() time.Time {
	if r.uint() == 0 {
		return time.Time{}
	}
	sec := r.int()
	nsec := r.uint()
	if nsec >= 1e9 {
		r.fail()
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *reader) source() training.Source {
	return training.Source{ImportID: r.shared(), File: r.shared(), Sheet: r.shared(), Row: int(r.int()), By: r.shared(), At: r.time()}
}

func (r *reader) format(want byte, what string) {
	r.what = what
	if len(r.b) == 0 || r.b[0] != want {
		if r.err == nil {
			got := -1
			if len(r.b) > 0 {
				got = int(r.b[0])
			}
			r.err = fmt.Errorf("redis store: a stored %s record has format %d; this Muster reads format %d", what, got, want)
		}
		r.b = ""
		return
	}
	r.b = r.b[1:]
}

func (r *reader) done() error {
	if r.err == nil && len(r.b) != 0 {
		r.fail()
	}
	return r.err
}

const (
	flagEmailInvalid = 1 << iota
	flagLeaver
	flagDateUnknown
)

func encodeOfficer(o training.Officer) string {
	w := writer{b: make([]byte, 0, 160+len(o.Name)+len(o.Email)+len(o.Unit)+len(o.Source.File))}
	w.b = append(w.b, fmtOfficerV1)
	w.str(o.ID)
	w.str(o.DisplayID)
	w.str(o.Name)
	w.str(o.Email)
	var flags uint64
	if o.EmailInvalid {
		flags |= flagEmailInvalid
	}
	if o.Leaver {
		flags |= flagLeaver
	}
	w.uint(flags)
	w.str(o.Rank)
	w.str(o.Unit)
	w.str(o.LineManager)
	w.date(o.StartDate)
	w.date(o.FirstSeen)
	w.date(o.LeftOn)
	w.source(o.Source)
	return string(w.b)
}

func decodeOfficer(s string, intern map[string]string) (training.Officer, error) {
	r := reader{b: s, intern: intern}
	r.format(fmtOfficerV1, "officer")
	o := training.Officer{ID: r.str(), DisplayID: r.str(), Name: r.str(), Email: r.str()}
	flags := r.uint()
	o.EmailInvalid, o.Leaver = flags&flagEmailInvalid != 0, flags&flagLeaver != 0
	o.Rank, o.Unit, o.LineManager = r.shared(), r.shared(), r.shared()
	o.StartDate, o.FirstSeen, o.LeftOn = r.date(), r.date(), r.date()
	o.Source = r.source()
	return o, r.done()
}

func encodeCompletions(cs []training.Completion) string {
	w := writer{b: make([]byte, 0, 16+64*len(cs))}
	w.b = append(w.b, fmtCompletionsV1)
	w.uint(uint64(len(cs)))
	for _, c := range cs {
		w.str(c.CourseID)
		w.date(c.Date)
		var flags uint64
		if c.DateUnknown {
			flags |= flagDateUnknown
		}
		w.uint(flags)
		w.source(c.Source)
	}
	return string(w.b)
}

func decodeCompletions(officerID, s string, intern map[string]string) ([]training.Completion, error) {
	r := reader{b: s, intern: intern}
	r.format(fmtCompletionsV1, "completions")
	n := r.count()
	out := make([]training.Completion, n)
	for i := range out {
		c := &out[i]
		c.OfficerID, c.CourseID, c.Date = officerID, r.shared(), r.date()
		c.DateUnknown = r.uint()&flagDateUnknown != 0
		c.Source = r.source()
	}
	return out, r.done()
}

func encodeExemptions(es []training.Exemption) string {
	w := writer{b: make([]byte, 0, 16+80*len(es))}
	w.b = append(w.b, fmtExemptionsV1)
	w.uint(uint64(len(es)))
	for _, e := range es {
		w.str(e.CourseID)
		w.date(e.From)
		w.date(e.Until)
		w.str(e.Reason)
		w.source(e.Source)
	}
	return string(w.b)
}

func decodeExemptions(officerID, s string, intern map[string]string) ([]training.Exemption, error) {
	r := reader{b: s, intern: intern}
	r.format(fmtExemptionsV1, "exemptions")
	n := r.count()
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
	w := writer{b: slices.Grow(b, n)}
	w.b = append(w.b, fmtMessageV1)
	w.str(m.ID)
	w.str(m.MessageID)
	w.uint(uint64(len(m.LedgerKeys)))
	for _, k := range m.LedgerKeys {
		w.str(k)
	}
	w.str(m.Kind)
	w.str(m.To)
	w.str(m.Subject)
	w.str(m.Text)
	w.str(m.HTML)
	w.str(string(m.State))
	w.int(int64(m.Attempts))
	w.str(m.LastError)
	w.instant(m.Created)
	w.instant(m.NextAttempt)
	w.instant(m.Sent)
	w.str(m.RunID)
	return w.b
}

// decodeMessage reads a message in either format: binary (fmtMessageV1)
// or the JSON record written before it (messageV1).
func decodeMessage(s string) (training.Message, error) {
	if len(s) > 0 && s[0] == '{' {
		rec, err := decode[messageV1]("message", s)
		return rec.domain(), err
	}
	r := reader{b: s}
	r.format(fmtMessageV1, "message")
	m := training.Message{ID: r.str(), MessageID: r.str()}
	if n := r.count(); n > 0 {
		m.LedgerKeys = make([]string, n)
		for i := range m.LedgerKeys {
			m.LedgerKeys[i] = r.str()
		}
	}
	m.Kind, m.To, m.Subject, m.Text, m.HTML = r.str(), r.str(), r.str(), r.str(), r.str()
	m.State = training.MessageState(r.str())
	m.Attempts = int(r.int())
	m.LastError = r.str()
	m.Created, m.NextAttempt, m.Sent = r.instant(), r.instant(), r.instant()
	m.RunID = r.str()
	if err := r.done(); err != nil {
		return training.Message{}, err
	}
	return m, nil
}
