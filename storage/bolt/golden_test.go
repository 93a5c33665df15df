package bolt

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden from the current encoders")

// goldenRecords is one value of every record kind the bbolt store writes.
// Their encodings, as written by the Muster that stored them, are kept in
// testdata/golden: a file written by an older Muster must still read,
// and a record written now must be the same bytes.
func goldenRecords() []struct {
	name, kind string
	v          any
} {
	at := time.Date(2026, 11, 24, 9, 30, 15, 123456789, time.UTC)
	odd := "A&B <x> \"q\" \\ é 🚓 \u2028 \n\t\x01\x7f end"
	src := training.Source{ImportID: "imp-1", File: "Roster " + odd + ".xlsx", Sheet: "Staff", Row: 1048576, By: "hr", At: at}
	return []struct {
		name, kind string
		v          any
	}{
		{"officer-v1-empty", "officer-v1", training.Officer{}},
		{"officer-v1-full", "officer-v1", training.Officer{ID: "A12", DisplayID: "a12", Name: "Siân " + odd, Email: "s@x.example",
			EmailInvalid: true, Rank: "DC", Unit: "North / CID", LineManager: "900", StartDate: training.NewDate(1999, 2, 28),
			FirstSeen: training.NewDate(2026, 1, 2), Leaver: true, LeftOn: training.NewDate(2026, 11, 1), Source: src}},
		{"officer-v1-before-1970", "officer-v1", training.Officer{ID: "1", StartDate: training.DateFrom(0, 13, 40),
			Source: training.Source{At: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}}},
		{"officer-empty", "officer", training.Officer{}},
		{"officer-full", "officer", training.Officer{ID: "A12", DisplayID: "a12", Name: "Siân " + odd, Email: "s@x.example",
			EmailInvalid: true, Rank: "DC", Unit: "North / CID", LineManager: "900", StartDate: training.NewDate(1999, 2, 28),
			Role: "Call Handler " + odd, StaffType: training.StaffPCSO, InPostSince: training.NewDate(2025, 3, 1),
			RequiredSince: map[string]training.Date{"tic": training.NewDate(2025, 3, 1), "cse-recognition": training.NewDate(2026, 2, 28), "z": {}},
			FirstSeen:     training.NewDate(2026, 1, 2), Leaver: true, LeftOn: training.NewDate(2026, 11, 1), Source: src}},
		{"completions-none", "completions", []training.Completion(nil)},
		{"completions-two", "completions", []training.Completion{
			{OfficerID: "7", CourseID: "cse-recognition", Date: training.NewDate(2024, 2, 29), Source: src},
			{OfficerID: "7", CourseID: "tic", Date: training.NewDate(2026, 1, 2), DateUnknown: true}}},
		{"exemptions-two", "exemptions", []training.Exemption{
			{OfficerID: "7", CourseID: "tic", From: training.NewDate(2026, 1, 1), Until: training.NewDate(2026, 6, 30), Reason: odd, Source: src},
			{OfficerID: "7", CourseID: "x"}}},
		{"course", "course", training.Course{ID: "cse", Title: odd, Aliases: []string{"CSE"}, Deadline: training.NewDate(2026, 12, 31),
			DueWithinDays: 30, ValidForMonths: 36, DueSoonDays: 14, URL: "https://x.example/?a=1&b=2", Retired: true}},
		{"user", "user", training.User{Username: "amy", PasswordHash: "h", Role: training.RoleHR, Units: []string{"North"}, Created: at}},
		{"message-bin-empty", "message-bin", training.Message{}},
		{"message-bin-full", "message-bin", training.Message{ID: "m1", MessageID: "<m1@muster>", LedgerKeys: []string{"k1", "k2"},
			Kind: "reminder", To: "a@x.example", Subject: odd, Text: "Hello\n", HTML: "<p>" + odd + "</p>", State: training.MessageFailed,
			Attempts: 3, LastError: "550", Created: at, NextAttempt: at.Add(time.Hour), Sent: time.Unix(0, 0).UTC(), RunID: "run-7"}},
		{"message", "message", training.Message{ID: "m1", LedgerKeys: []string{"k"}, Subject: odd, HTML: "<p>x</p>",
			State: training.MessageQueued, Created: at}},
	}
}

func goldenEncode(kind string, v any) []byte {
	switch kind {
	case "officer":
		return encodeOfficer(v.(training.Officer))
	case "officer-v1":
		return encodeOfficerV1(v.(training.Officer))
	case "completions":
		return encodeCompletions(v.([]training.Completion))
	case "exemptions":
		return encodeExemptions(v.([]training.Exemption))
	case "message-bin":
		return encodeMessage(v.(training.Message))
	case "course":
		return encodeJSON(toCourseRec(v.(training.Course)))
	case "user":
		return encodeJSON(toUserRec(v.(training.User)))
	case "message":
		return encodeJSON(toMessageRec(v.(training.Message)))
	}
	panic("goldenEncode: unknown kind " + kind)
}

func goldenDecode(kind string, b []byte) (any, error) {
	switch kind {
	case "officer", "officer-v1":
		return decodeOfficer(b, map[string]string{})
	case "completions":
		_, cs, err := decodeCompletions("7", b, nil, nil)
		return cs, err
	case "exemptions":
		return decodeExemptions("7", b, nil)
	case "course":
		var r courseRec
		err := decodeJSON(b, &r, kind)
		return r.domain(), err
	case "user":
		var r userRec
		err := decodeJSON(b, &r, kind)
		return r.domain(), err
	case "message-bin":
		return decodeMessage(b)
	case "message":
		var r messageRec
		err := decodeJSON(b, &r, kind)
		return r.domain(), err
	}
	panic("goldenDecode: unknown kind " + kind)
}

// TestGoldenRecords checks that every record kind encodes to the bytes an
// earlier Muster stored (testdata/golden) and that those bytes decode to
// the same value. Run with -update only when a format is meant to change.
func TestGoldenRecords(t *testing.T) {
	for _, tc := range goldenRecords() {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "golden", tc.name)
			if *updateGolden {
				if err := os.WriteFile(path, goldenEncode(tc.kind, tc.v), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := goldenEncode(tc.kind, tc.v); string(got) != string(want) {
				t.Errorf("encoding changed:\n got %q\nwant %q", got, want)
			}
			got, err := goldenDecode(tc.kind, want)
			if err != nil {
				t.Fatalf("decoding the stored bytes: %v", err)
			}
			if !reflect.DeepEqual(got, tc.v) {
				t.Errorf("stored bytes decode to\n %+v\nwant\n %+v", got, tc.v)
			}
		})
	}
}
