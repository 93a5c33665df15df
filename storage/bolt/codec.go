package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// The roster (officers, completions, exemptions) is read whole for every
// report, so its records use a compact binary encoding rather than JSON:
// a version byte, then fields in a fixed order as varints and
// length-prefixed strings. Adding a field means a new version byte and a
// decoder branch for the old one.
const rosterV1 = 1

var errCorrupt = errors.New("corrupt record")

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) date(d training.Date) {
	e.int(int64(d.Year))
	e.int(int64(d.Month))
	e.int(int64(d.Day))
}
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// sourceLen is about what encoder.source writes, for sizing buffers.
func sourceLen(s training.Source) int {
	return 40 + len(s.ImportID) + len(s.File) + len(s.Sheet) + len(s.By)
}

func (e *encoder) source(s training.Source) {
	e.str(s.ImportID)
	e.str(s.File)
	e.str(s.Sheet)
	e.int(int64(s.Row))
	e.str(s.By)
	e.time(s.At)
}

// decoder reads what encoder wrote. The first error sticks; strings are
// copied (never aliasing bbolt's memory) and, through intern, shared
// between records that repeat them (units, import IDs, file names).
type decoder struct {
	b      []byte
	err    error
	intern map[string]string
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// count reads the number of items in a list, failing (and returning 0)
// when it cannot fit in what is left of the record: a damaged count must
// not make a decoder allocate gigabytes.
func (d *decoder) count() uint64 {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return n
}

func (d *decoder) raw() []byte {
	n := d.count()
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

// str copies a string out of the record.
func (d *decoder) str() string { return string(d.raw()) }

// istr is str for values that repeat across records.
func (d *decoder) istr() string {
	b := d.raw()
	if len(b) == 0 {
		return ""
	}
	if d.intern == nil {
		return string(b)
	}
	if s, ok := d.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	d.intern[s] = s
	return s
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) date() training.Date {
	y, m, dd := d.int(), d.int(), d.int()
	return training.Date{Year: int(y), Month: time.Month(m), Day: int(dd)}
}

func (d *decoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	sec := d.int()
	nsec := d.uint()
	return time.Unix(sec, int64(nsec)).UTC()
}

func (d *decoder) source() training.Source {
	return training.Source{
		ImportID: d.istr(),
		File:     d.istr(),
		Sheet:    d.istr(),
		Row:      int(d.int()),
		By:       d.istr(),
		At:       d.time(),
	}
}

func (d *decoder) version() {
	if v := d.byte(); v != rosterV1 && d.err == nil {
		d.err = fmt.Errorf("record version %d not understood", v)
	}
}

func (d *decoder) done(what string) error {
	if d.err == nil && len(d.b) != 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return fmt.Errorf("decode %s: %w", what, d.err)
	}
	return nil
}

func encodeOfficer(o training.Officer) []byte {
	e := encoder{b: make([]byte, 0, 96+len(o.ID)+len(o.DisplayID)+len(o.Name)+len(o.Email)+
		len(o.Rank)+len(o.Unit)+len(o.LineManager)+sourceLen(o.Source))}
	e.b = append(e.b, rosterV1)
	e.str(o.ID)
	e.str(o.DisplayID)
	e.str(o.Name)
	e.str(o.Email)
	e.bool(o.EmailInvalid)
	e.str(o.Rank)
	e.str(o.Unit)
	e.str(o.LineManager)
	e.date(o.StartDate)
	e.date(o.FirstSeen)
	e.bool(o.Leaver)
	e.date(o.LeftOn)
	e.source(o.Source)
	return e.b
}

func decodeOfficer(b []byte, intern map[string]string) (training.Officer, error) {
	d := decoder{b: b, intern: intern}
	d.version()
	// The officer's own strings share one allocation: a Dataset holds
	// 150,000 officers and every allocation costs again at each GC.
	var parts [5][]byte
	size := 0
	for i := range 4 {
		parts[i] = d.raw()
		size += len(parts[i])
	}
	o := training.Officer{EmailInvalid: d.bool(), Rank: d.istr(), Unit: d.istr()}
	parts[4] = d.raw()
	size += len(parts[4])
	o.StartDate, o.FirstSeen, o.Leaver, o.LeftOn = d.date(), d.date(), d.bool(), d.date()
	o.Source = d.source()
	if d.err != nil {
		return o, d.done("officer")
	}
	var sb strings.Builder
	sb.Grow(size)
	for _, p := range parts {
		sb.Write(p)
	}
	all := sb.String()
	var strs [5]string
	for i, p := range parts {
		strs[i], all = all[:len(p)], all[len(p):]
	}
	o.ID, o.DisplayID, o.Name, o.Email, o.LineManager = strs[0], strs[1], strs[2], strs[3], strs[4]
	return o, d.done("officer")
}

// encodeCompletions writes all completions of one officer; the officer ID
// is the key, so it is not repeated.
func encodeCompletions(cs []training.Completion) []byte {
	size := 8
	for _, c := range cs {
		size += 24 + len(c.CourseID) + sourceLen(c.Source)
	}
	e := encoder{b: make([]byte, 0, size)}
	e.b = append(e.b, rosterV1)
	e.uint(uint64(len(cs)))
	for _, c := range cs {
		e.str(c.CourseID)
		e.date(c.Date)
		e.bool(c.DateUnknown)
		e.source(c.Source)
	}
	return e.b
}

// completionCount returns the number of completions in a record without
// decoding them, so that a Dataset can allocate them all at once.
func completionCount(b []byte) int {
	if len(b) < 2 || b[0] != rosterV1 {
		return 0
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || n > uint64(len(b)) {
		return 0
	}
	return int(n)
}

// decodeCompletions appends to dst (one backing array for a whole
// Dataset keeps allocations down) and returns the new part.
func decodeCompletions(officerID string, b []byte, intern map[string]string, dst []training.Completion) ([]training.Completion, []training.Completion, error) {
	d := decoder{b: b, intern: intern}
	d.version()
	n := d.count()
	start := len(dst)
	for i := uint64(0); i < n && d.err == nil; i++ {
		dst = append(dst, training.Completion{
			OfficerID:   officerID,
			CourseID:    d.istr(),
			Date:        d.date(),
			DateUnknown: d.bool(),
			Source:      d.source(),
		})
	}
	return dst, dst[start:len(dst):len(dst)], d.done("completions")
}

func encodeExemptions(xs []training.Exemption) []byte {
	e := encoder{b: make([]byte, 0, 8+len(xs)*64)}
	e.b = append(e.b, rosterV1)
	e.uint(uint64(len(xs)))
	for _, x := range xs {
		e.str(x.CourseID)
		e.date(x.From)
		e.date(x.Until)
		e.str(x.Reason)
		e.source(x.Source)
	}
	return e.b
}

func decodeExemptions(officerID string, b []byte, intern map[string]string) ([]training.Exemption, error) {
	d := decoder{b: b, intern: intern}
	d.version()
	n := d.count()
	xs := make([]training.Exemption, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		xs = append(xs, training.Exemption{
			OfficerID: officerID,
			CourseID:  d.istr(),
			From:      d.date(),
			Until:     d.date(),
			Reason:    d.str(),
			Source:    d.source(),
		})
	}
	return xs, d.done("exemptions")
}
