package redis

import (
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// FuzzRecords feeds arbitrary bytes to the binary decoders (officer,
// completions, exemptions, outbox message, the last also in its old JSON
// form): a damaged record must give an error, never a panic or a huge
// allocation, and what decodes must survive a round trip.
func FuzzRecords(f *testing.F) {
	src := training.Source{ImportID: "imp", File: "f.xlsx", Row: 3, At: time.Unix(1700000000, 5)}
	f.Add(encodeOfficer(training.Officer{ID: "1", Name: "A", Unit: "N / T", StartDate: training.NewDate(2020, 1, 2), Source: src}))
	f.Add(encodeOfficer(training.Officer{ID: "2", Role: "PCSO", StaffType: training.StaffPCSO, InPostSince: training.NewDate(2025, 1, 2),
		RequiredSince: map[string]training.Date{"c": training.NewDate(2025, 1, 2), "d": training.NewDate(2026, 3, 4)}, Source: src}))
	f.Add(encodeOfficerV1(training.Officer{ID: "1", Name: "A", Unit: "N / T", StartDate: training.NewDate(2020, 1, 2), Source: src}))
	f.Add(encodeCompletions([]training.Completion{{OfficerID: "1", CourseID: "c", Date: training.NewDate(2026, 1, 1), Source: src}}))
	f.Add(encodeExemptions([]training.Exemption{{OfficerID: "1", CourseID: "c", Reason: "r", Source: src}}))
	f.Add(encodeMessage(training.Message{ID: "m", LedgerKeys: []string{"k"}, State: training.MessageQueued, Created: time.Unix(1700000000, 5)}))
	f.Add(encode(toMessageRec(training.Message{ID: "m", LedgerKeys: []string{"k"}, State: training.MessageQueued})))
	f.Add(string([]byte{fmtCompletionsV1, 0xff, 0xff, 0xff, 0xff, 0x0f}))
	f.Fuzz(func(t *testing.T, s string) {
		intern := map[string]string{}
		if o, err := decodeOfficer(s, intern); err == nil {
			if got, err := decodeOfficer(encodeOfficer(o), nil); err != nil || !reflect.DeepEqual(got, o) {
				t.Fatalf("officer does not survive a round trip: %+v, %v; want %+v", got, err, o)
			}
		}
		if cs, err := decodeCompletions("1", s, intern); err == nil {
			if got, err := decodeCompletions("1", encodeCompletions(cs), nil); err != nil || !reflect.DeepEqual(got, cs) {
				t.Fatalf("completions do not survive a round trip: %+v, %v; want %+v", got, err, cs)
			}
		}
		if xs, err := decodeExemptions("1", s, intern); err == nil {
			if got, err := decodeExemptions("1", encodeExemptions(xs), nil); err != nil || !reflect.DeepEqual(got, xs) {
				t.Fatalf("exemptions do not survive a round trip: %+v, %v; want %+v", got, err, xs)
			}
		}
		// An old JSON message may hold zoned times, which the binary
		// record keeps as the same instant in UTC; only binary ones must
		// come back equal.
		if m, err := decodeMessage(s); err == nil && s[0] == fmtMessageV1 {
			if got, err := decodeMessage(encodeMessage(m)); err != nil || !reflect.DeepEqual(got, m) {
				t.Fatalf("message does not survive a round trip:\n got %+v, %v\nwant %+v", got, err, m)
			}
		}
	})
}
