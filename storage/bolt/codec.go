package bolt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
)

// The roster (officers, completions, exemptions) is read whole for every
// report, so its records use a compact binary encoding rather than JSON:
// a version byte, then fields in a fixed order as varints and
// length-prefixed strings (storage/internal/varint, shared with Redis).
// Adding a field means a new version byte and a decoder branch for the
// old one.
const rosterV1 = 1

// officerV2 is an officer record with, after the fields of rosterV1, the
// role, staff type, in-post date and the per-course requirement dates
// (issue 17). Records written before it decode with those empty.
const officerV2 = 2

var errCorrupt = errors.New("corrupt record")

// encoder adds bbolt's booleans, dates and sources to the shared
// primitives (storage/internal/varint).
type encoder struct{ varint.Writer }

func (e *encoder) bool(v bool) {
	if v {
		e.Byte(1)
	} else {
		e.Byte(0)
	}
}

func (e *encoder) date(d training.Date) {
	e.Int(int64(d.Year()))
	e.Int(int64(d.Month()))
	e.Int(int64(d.Day()))
}

// sourceLen is about what encoder.source writes, for sizing buffers.
func sourceLen(s training.Source) int {
	return 40 + len(s.ImportID) + len(s.File) + len(s.Sheet) + len(s.By)
}

func (e *encoder) source(s training.Source) {
	e.String(s.ImportID)
	e.String(s.File)
	e.String(s.Sheet)
	e.Int(int64(s.Row))
	e.String(s.By)
	e.Instant(s.At)
}

// decoder reads what encoder wrote. The first error sticks; strings are
// copied (never aliasing bbolt's memory) and, through intern, shared
// between records that repeat them (units, import IDs, file names).
type decoder struct {
	varint.Reader[[]byte]
	intern map[string]string
}

func newDecoder(b []byte, intern map[string]string) decoder {
	return decoder{Reader: varint.NewReader(b), intern: intern}
}

// str copies a string out of the record.
func (d *decoder) str() string { return string(d.Raw()) }

// istr is str for values that repeat across records.
func (d *decoder) istr() string {
	b := d.Raw()
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

func (d *decoder) bool() bool { return d.Byte() == 1 }

func (d *decoder) date() training.Date {
	y, m, dd := d.Int(), d.Int(), d.Int()
	return training.DateFrom(int(y), time.Month(m), int(dd))
}

func (d *decoder) source() training.Source {
	return training.Source{
		ImportID: d.istr(),
		File:     d.istr(),
		Sheet:    d.istr(),
		Row:      int(d.Int()),
		By:       d.istr(),
		At:       d.Instant(),
	}
}

func (d *decoder) version() {
	if v := d.Byte(); v != rosterV1 && d.Err() == nil {
		d.Fail(fmt.Errorf("record version %d not understood", v))
	}
}

func (d *decoder) done(what string) error {
	err := d.Done()
	if errors.Is(err, varint.ErrDamaged) {
		err = errCorrupt
	}
	if err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return nil
}

func encodeOfficer(o training.Officer) []byte {
	return appendOfficer(make([]byte, 0, officerSize(o)), o)
}

// officerSize is room enough for o's record with the longest varints
// (its extensions aside, which are rare: append grows the buffer for them).
func officerSize(o training.Officer) int {
	return 112 + len(o.ID) + len(o.DisplayID) + len(o.Name) + len(o.Email) +
		len(o.Rank) + len(o.Unit) + len(o.LineManager) + len(o.Role) + sourceLen(o.Source) + 24*len(o.RequiredSince)
}

// appendOfficer appends o's record to b.
func appendOfficer(b []byte, o training.Officer) []byte {
	e := encoder{varint.Writer{B: b}}
	e.Byte(officerV2)
	e.String(o.ID)
	e.String(o.DisplayID)
	e.String(o.Name)
	e.String(o.Email)
	e.bool(o.EmailInvalid)
	e.String(o.Rank)
	e.String(o.Unit)
	e.String(o.LineManager)
	e.date(o.StartDate)
	e.date(o.FirstSeen)
	e.bool(o.Leaver)
	e.date(o.LeftOn)
	e.source(o.Source)
	e.String(o.Role)
	e.String(string(o.StaffType))
	e.date(o.InPostSince)
	// Courses in order, so that one officer is always the same bytes.
	e.Uint(uint64(len(o.RequiredSince)))
	for _, c := range slices.Sorted(maps.Keys(o.RequiredSince)) {
		e.String(c)
		e.date(o.RequiredSince[c])
	}
	// Approved extensions (training.Extension), only when there are any,
	// so that an officer without one keeps the bytes written before them.
	if len(o.Extensions) > 0 {
		e.Uint(uint64(len(o.Extensions)))
		for _, c := range slices.Sorted(maps.Keys(o.Extensions)) {
			x := o.Extensions[c]
			e.String(c)
			e.date(x.Until)
			e.String(x.By)
			e.String(x.RequestID)
			e.Instant(x.At)
		}
	}
	return e.B
}

func decodeOfficer(b []byte, intern map[string]string) (training.Officer, error) {
	d := newDecoder(b, intern)
	v := d.Byte()
	if v != rosterV1 && v != officerV2 && d.Err() == nil {
		d.Fail(fmt.Errorf("record version %d not understood", v))
	}
	// The officer's own strings share one allocation: a Dataset holds
	// 150,000 officers and every allocation costs again at each GC.
	var parts [5][]byte
	size := 0
	for i := range 4 {
		parts[i] = d.Raw()
		if i != 1 || !bytes.Equal(parts[1], parts[0]) { // DisplayID is most often the ID itself
			size += len(parts[i])
		}
	}
	o := training.Officer{EmailInvalid: d.bool(), Rank: d.istr(), Unit: d.istr()}
	parts[4] = d.Raw()
	size += len(parts[4])
	o.StartDate, o.FirstSeen, o.Leaver, o.LeftOn = d.date(), d.date(), d.bool(), d.date()
	o.Source = d.source()
	if v == officerV2 {
		o.Role, o.StaffType, o.InPostSince = d.istr(), training.StaffType(d.istr()), d.date()
		if n := d.Count(); n > 0 {
			o.RequiredSince = make(map[string]training.Date, n)
			for range n {
				c := d.istr()
				o.RequiredSince[c] = d.date()
			}
		}
		if d.Len() > 0 {
			// Written only when there is at least one: zero is damage.
			n := d.Count()
			if n == 0 {
				d.Fail(varint.ErrDamaged)
			}
			o.Extensions = make(map[string]training.Extension, n)
			for range n {
				c := d.istr()
				o.Extensions[c] = training.Extension{Until: d.date(), By: d.str(), RequestID: d.str(), At: d.Instant()}
			}
		}
	}
	if d.Err() != nil {
		return o, d.done("officer")
	}
	same := bytes.Equal(parts[1], parts[0])
	var sb strings.Builder
	sb.Grow(size)
	for i, p := range parts {
		if i != 1 || !same {
			sb.Write(p)
		}
	}
	all := sb.String()
	var strs [5]string
	for i, p := range parts {
		if i == 1 && same {
			strs[1] = strs[0]
			continue
		}
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
	e := encoder{varint.Writer{B: make([]byte, 0, size)}}
	e.Byte(rosterV1)
	e.Uint(uint64(len(cs)))
	for _, c := range cs {
		e.String(c.CourseID)
		e.date(c.Date)
		e.bool(c.DateUnknown)
		e.source(c.Source)
	}
	return e.B
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
	d := newDecoder(b, intern)
	d.version()
	n := d.Count()
	start := len(dst)
	for i := uint64(0); i < n && d.Err() == nil; i++ {
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
	e := encoder{varint.Writer{B: make([]byte, 0, 8+len(xs)*64)}}
	e.Byte(rosterV1)
	e.Uint(uint64(len(xs)))
	for _, x := range xs {
		e.String(x.CourseID)
		e.date(x.From)
		e.date(x.Until)
		e.String(x.Reason)
		e.source(x.Source)
	}
	return e.B
}

func decodeExemptions(officerID string, b []byte, intern map[string]string) ([]training.Exemption, error) {
	d := newDecoder(b, intern)
	d.version()
	n := d.Count()
	xs := make([]training.Exemption, 0, n)
	for i := uint64(0); i < n && d.Err() == nil; i++ {
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
