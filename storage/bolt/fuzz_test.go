package bolt

import (
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// FuzzRosterRecords feeds arbitrary bytes to the roster and outbox
// message decoders: a damaged file must give an error, never a panic or a
// huge allocation.
func FuzzRosterRecords(f *testing.F) {
	src := training.Source{ImportID: "imp", File: "f.xlsx", Row: 3, At: time.Unix(1700000000, 5)}
	f.Add(encodeOfficer(training.Officer{ID: "1", Name: "A", Unit: "N / T", StartDate: training.NewDate(2020, 1, 2), Source: src}))
	f.Add(encodeOfficer(training.Officer{ID: "2", Role: "PCSO", StaffType: training.StaffPCSO, InPostSince: training.NewDate(2025, 1, 2),
		RequiredSince: map[string]training.Date{"c": training.NewDate(2025, 1, 2), "d": training.NewDate(2026, 3, 4)}, Source: src}))
	f.Add(encodeOfficerV1(training.Officer{ID: "1", Name: "A", Unit: "N / T", StartDate: training.NewDate(2020, 1, 2), Source: src}))
	f.Add(encodeCompletions([]training.Completion{{OfficerID: "1", CourseID: "c", Date: training.NewDate(2026, 1, 1), Source: src}}))
	f.Add(encodeExemptions([]training.Exemption{{OfficerID: "1", CourseID: "c", Reason: "r", Source: src}}))
	f.Add(encodeMessage(training.Message{ID: "m", LedgerKeys: []string{"k"}, State: training.MessageQueued, Created: time.Unix(1700000000, 5)}))
	f.Add([]byte{rosterV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		intern := map[string]string{}
		if o, err := decodeOfficer(b, intern); err == nil {
			if got, err := decodeOfficer(encodeOfficer(o), nil); err != nil || !reflect.DeepEqual(got, o) {
				t.Fatalf("officer does not survive a round trip: %+v, %v", got, err)
			}
		}
		if _, cs, err := decodeCompletions("1", b, intern, nil); err == nil && len(cs) != completionCount(b) {
			t.Fatalf("completionCount = %d, decoded %d", completionCount(b), len(cs))
		}
		_, _ = decodeExemptions("1", b, intern)
		if m, err := decodeMessage(b); err == nil && b[0] == messageV2 {
			if got, err := decodeMessage(encodeMessage(m)); err != nil || !reflect.DeepEqual(got, m) {
				t.Fatalf("message does not survive a round trip:\n got %+v, %v\nwant %+v", got, err, m)
			}
		}
	})
}
