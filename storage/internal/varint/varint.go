// Package varint holds the primitives of the storage backends' binary
// records (storage/bolt's and storage/redis's roster records, Redis's
// outbox messages): unsigned and zig-zag signed varints in
// encoding/binary's format, length-prefixed strings and instants. Each
// backend keeps its own record layouts and format bytes on top of these.
//
// A Reader reads from a string (Redis returns values as strings, and
// substrings of a record cost no copy) or from a []byte (bbolt's pages),
// with the same code for both.
package varint

import (
	"encoding/binary"
	"errors"
	"time"
)

// ErrDamaged is the error of a Reader that met bytes no Writer writes:
// a truncated varint, a length longer than what is left, an unknown tag.
var ErrDamaged = errors.New("damaged record")

// Writer appends primitives to B.
type Writer struct{ B []byte }

// Uint appends an unsigned varint.
func (w *Writer) Uint(v uint64) { w.B = binary.AppendUvarint(w.B, v) }

// Int appends a signed (zig-zag) varint.
func (w *Writer) Int(v int64) { w.B = binary.AppendVarint(w.B, v) }

// Byte appends one byte as is.
func (w *Writer) Byte(c byte) { w.B = append(w.B, c) }

// String appends s's length as an unsigned varint, then s.
func (w *Writer) String(s string) {
	w.Uint(uint64(len(s)))
	w.B = append(w.B, s...)
}

// Instant appends a time that may be zero or outside the range of Unix
// nanoseconds: a byte 0 when t is zero, else a byte 1, the Unix seconds
// (signed) and the nanoseconds (unsigned), so that every instant
// round-trips, the Unix epoch included. The location is not kept.
func (w *Writer) Instant(t time.Time) {
	if t.IsZero() {
		w.Byte(0)
		return
	}
	w.Byte(1)
	w.Int(t.Unix())
	w.Uint(uint64(t.Nanosecond()))
}

// Reader reads primitives from the front of a record. The first error
// sticks: later reads return zero values, so a decoder reads every field
// and checks Err (or Done) once.
type Reader[T ~string | ~[]byte] struct {
	b   T
	err error
}

// NewReader returns a Reader over b.
func NewReader[T ~string | ~[]byte](b T) Reader[T] { return Reader[T]{b: b} }

// Fail records err (the first one sticks) and empties the reader.
func (r *Reader[T]) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = r.b[:0]
}

// Err returns the first error met, or nil.
func (r *Reader[T]) Err() error { return r.err }

// Len returns the number of bytes not read yet.
func (r *Reader[T]) Len() int { return len(r.b) }

// Done returns the first error met, or ErrDamaged when bytes are left
// over: a record is read whole or not at all.
func (r *Reader[T]) Done() error {
	if r.err == nil && len(r.b) != 0 {
		r.Fail(ErrDamaged)
	}
	return r.err
}

// Uint reads an unsigned varint, failing exactly where
// encoding/binary.Uvarint does (truncation, more than 64 bits).
func (r *Reader[T]) Uint() uint64 {
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
	r.Fail(ErrDamaged)
	return 0
}

// Int reads a signed (zig-zag) varint.
func (r *Reader[T]) Int() int64 {
	u := r.Uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// Byte reads one byte.
func (r *Reader[T]) Byte() byte {
	if len(r.b) == 0 {
		r.Fail(ErrDamaged)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// Count reads the number of items in a list, failing (and returning 0)
// when that many items, of at least a byte each, cannot fit in what is
// left: a damaged count must not make a decoder allocate gigabytes.
func (r *Reader[T]) Count() uint64 {
	n := r.Uint()
	if n > uint64(len(r.b)) {
		r.Fail(ErrDamaged)
		return 0
	}
	return n
}

// Raw reads what String wrote, as a part of the record (no copy).
func (r *Reader[T]) Raw() T {
	n := r.Count()
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

// Instant reads what Writer.Instant wrote, in UTC.
func (r *Reader[T]) Instant() time.Time {
	switch r.Byte() {
	case 0:
		return time.Time{}
	case 1:
	default:
		r.Fail(ErrDamaged)
		return time.Time{}
	}
	sec := r.Int()
	nsec := r.Uint()
	if nsec >= 1e9 {
		r.Fail(ErrDamaged)
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
