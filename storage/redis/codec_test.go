package redis

import (
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

func TestCodecRoundTrip(t *testing.T) {
	src := training.Source{ImportID: "imp-1", File: "roster.xlsx", Sheet: "Staff", Row: 12, By: "hr", At: time.Date(2026, 11, 24, 9, 30, 0, 5, time.UTC)}
	officers := []training.Officer{
		{},
		{ID: "12345", DisplayID: "0012345", Name: "Siobhán O'Brien", Email: "s@x.example", EmailInvalid: true, Rank: "PC",
			Unit: "North / Alpha", LineManager: "900", StartDate: training.NewDate(2020, 2, 29), FirstSeen: training.NewDate(2026, 1, 2),
			Leaver: true, LeftOn: training.NewDate(2026, 10, 1), Source: src},
	}
	for _, o := range officers {
		got, err := decodeOfficer(encodeOfficer(o), map[string]string{})
		if err != nil || !reflect.DeepEqual(got, o) {
			t.Fatalf("officer round trip: %+v, %v; want %+v", got, err, o)
		}
	}
	comps := []training.Completion{
		{OfficerID: "1", CourseID: "cse-recognition", Date: training.NewDate(2024, 3, 1), Source: src},
		{OfficerID: "1", CourseID: "cse-recognition", Date: training.NewDate(2024, 3, 1), DateUnknown: true},
	}
	gotC, err := decodeCompletions("1", encodeCompletions(comps), nil)
	if err != nil || !reflect.DeepEqual(gotC, comps) {
		t.Fatalf("completions round trip: %+v, %v", gotC, err)
	}
	exs := []training.Exemption{{OfficerID: "1", CourseID: "tic", From: training.NewDate(2026, 1, 1), Reason: "sick", Source: src}, {OfficerID: "1", CourseID: "x"}}
	gotE, err := decodeExemptions("1", encodeExemptions(exs), nil)
	if err != nil || !reflect.DeepEqual(gotE, exs) {
		t.Fatalf("exemptions round trip: %+v, %v", gotE, err)
	}
}

func TestCodecDamaged(t *testing.T) {
	good := encodeOfficer(training.Officer{ID: "1", Name: "A"})
	tests := []struct{ name, rec, says string }{
		{"empty", "", "format -1"},
		{"JSON", `{"v":1}`, "format 123"},
		{"completions as officer", encodeCompletions(nil), "format 2"},
		{"truncated", good[:len(good)-3], "damaged"},
		{"trailing bytes", good + "x", "damaged"},
		{"huge length", string([]byte{fmtOfficerV1, 0xff, 0xff, 0x03}), "damaged"},
	}
	for _, tc := range tests {
		_, err := decodeOfficer(tc.rec, nil)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: got %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
	if _, err := decodeCompletions("1", string([]byte{fmtCompletionsV1, 0xff, 0xff, 0x03}), nil); err == nil {
		t.Error("completions with a huge count decoded")
	}
}

// TestVarints checks the reader's varints against encoding/binary's.
func TestVarints(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 300, 1 << 35, 1<<63 + 5, ^uint64(0)} {
		r := reader{b: string(binary.AppendUvarint(nil, v))}
		if got := r.uint(); got != v || r.err != nil || r.b != "" {
			t.Errorf("uvarint %d: got %d, %v, rest %q", v, got, r.err, r.b)
		}
	}
	for _, v := range []int64{0, -1, 1, -64, 64, math.MinInt64, math.MaxInt64, time.Now().UnixNano()} {
		r := reader{b: string(binary.AppendVarint(nil, v))}
		if got := r.int(); got != v || r.err != nil {
			t.Errorf("varint %d: got %d, %v", v, got, r.err)
		}
	}
	for _, bad := range []string{"", "\x80", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"} {
		r := reader{b: bad}
		if r.uint(); r.err == nil {
			t.Errorf("uvarint %q decoded", bad)
		}
	}
}
