package varint

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
)

// TestVarints checks the Reader's varints against encoding/binary's.
func TestVarints(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 300, 1 << 35, 1<<63 + 5, math.MaxUint64} {
		r := NewReader(string(binary.AppendUvarint(nil, v)))
		if got := r.Uint(); got != v || r.Done() != nil {
			t.Errorf("uvarint %d: got %d, %v", v, got, r.Err())
		}
	}
	for _, v := range []int64{0, -1, 1, -64, 64, math.MinInt64, math.MaxInt64, time.Now().UnixNano()} {
		r := NewReader(binary.AppendVarint(nil, v))
		if got := r.Int(); got != v || r.Done() != nil {
			t.Errorf("varint %d: got %d, %v", v, got, r.Err())
		}
	}
	for _, bad := range []string{"", "\x80", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"} {
		r := NewReader(bad)
		if r.Uint(); !errors.Is(r.Err(), ErrDamaged) {
			t.Errorf("uvarint %q: got %v, want ErrDamaged", bad, r.Err())
		}
	}
}

func TestRoundTrip(t *testing.T) {
	instants := []time.Time{{}, time.Unix(0, 0).UTC(), time.Date(1500, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(3000, 12, 31, 23, 59, 59, 999999999, time.UTC)}
	var w Writer
	w.Uint(math.MaxUint64)
	w.Int(math.MinInt64)
	w.Byte(0xfe)
	w.String("")
	w.String("Siân 🚓")
	for _, at := range instants {
		w.Instant(at)
	}
	r := NewReader(string(w.B))
	got := []any{r.Uint(), r.Int(), r.Byte(), string(r.Raw()), string(r.Raw())}
	for range instants {
		got = append(got, r.Instant())
	}
	want := []any{uint64(math.MaxUint64), int64(math.MinInt64), byte(0xfe), "", "Siân 🚓"}
	for _, at := range instants {
		want = append(want, at)
	}
	if err := r.Done(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, %v\nwant %v", got, err, want)
	}
	// A zoned instant comes back as the same instant in UTC.
	w = Writer{}
	bst := time.Date(2026, 6, 1, 9, 0, 0, 5, time.FixedZone("BST", 3600))
	w.Instant(bst)
	r2 := NewReader(w.B)
	if at := r2.Instant(); !at.Equal(bst) || at.Location() != time.UTC {
		t.Fatalf("zoned instant: %v", at)
	}
}

func TestDamaged(t *testing.T) {
	tests := map[string]struct {
		rec  string
		read func(*Reader[string])
	}{
		"trailing bytes":   {"\x01\x02", func(r *Reader[string]) { r.Uint() }},
		"huge count":       {"\xff\xff\x03x", func(r *Reader[string]) { r.Count() }},
		"string too long":  {"\x05abc", func(r *Reader[string]) { r.Raw() }},
		"no byte":          {"", func(r *Reader[string]) { r.Byte() }},
		"instant tag 2":    {"\x02\x00\x00", func(r *Reader[string]) { r.Instant() }},
		"instant nsec 1e9": {"\x01\x00\x80\x94\xeb\xdc\x03", func(r *Reader[string]) { r.Instant() }},
		"instant cut":      {"\x01\x02", func(r *Reader[string]) { r.Instant() }},
	}
	for name, tc := range tests {
		r := NewReader(tc.rec)
		tc.read(&r)
		if err := r.Done(); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: got %v, want ErrDamaged", name, err)
		}
		if r.Len() != 0 || r.Uint() != 0 {
			t.Errorf("%s: a failed reader still reads", name)
		}
	}
	r := NewReader("\x80")
	custom := errors.New("first")
	r.Fail(custom)
	r.Uint()
	if r.Err() != custom {
		t.Errorf("the first error does not stick: %v", r.Err())
	}
}

// op is one read, so that the fuzz target can run the same reads over a
// string and over a []byte.
func ops[T ~string | ~[]byte](r *Reader[T], plan []byte) []any {
	var out []any
	for _, op := range plan {
		switch op % 6 {
		case 0:
			out = append(out, r.Uint())
		case 1:
			out = append(out, r.Int())
		case 2:
			out = append(out, r.Byte())
		case 3:
			out = append(out, r.Count())
		case 4:
			out = append(out, string(r.Raw()))
		case 5:
			out = append(out, r.Instant())
		}
	}
	return append(out, r.Len(), r.Err())
}

// FuzzReader checks the Reader against encoding/binary on any input, and
// that reading a string and reading a []byte give the same values: both
// backends' decoders (storage/bolt over []byte, storage/redis over
// strings) rest on these, and each has its own fuzz target for its
// record layouts.
func FuzzReader(f *testing.F) {
	var w Writer
	w.Uint(300)
	w.Int(-5)
	w.String("unit")
	w.Instant(time.Date(2026, 11, 24, 9, 30, 0, 5, time.UTC))
	f.Add(w.B, []byte{0, 1, 4, 5})
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), []byte{0})
	f.Add([]byte("\x01\x00\x80\x94\xeb\xdc\x03"), []byte{5, 3, 2})
	f.Fuzz(func(t *testing.T, b, plan []byte) {
		if len(plan) > 64 {
			plan = plan[:64]
		}
		r := NewReader(b)
		wantU, nU := binary.Uvarint(b)
		if got := r.Uint(); (nU > 0) != (r.Err() == nil) || (nU > 0 && (got != wantU || r.Len() != len(b)-nU)) {
			t.Fatalf("Uint = %d, %v, %d left; binary.Uvarint = %d, %d", got, r.Err(), r.Len(), wantU, nU)
		}
		r = NewReader(b)
		wantI, nI := binary.Varint(b)
		if got := r.Int(); (nI > 0) != (r.Err() == nil) || (nI > 0 && got != wantI) {
			t.Fatalf("Int = %d, %v; binary.Varint = %d, %d", got, r.Err(), wantI, nI)
		}
		rs, rb := NewReader(string(b)), NewReader(b)
		if s, bs := ops(&rs, plan), ops(&rb, plan); !reflect.DeepEqual(s, bs) {
			t.Fatalf("string and []byte readers differ:\n%v\n%v", s, bs)
		}
	})
}
