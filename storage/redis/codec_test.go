package redis

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

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

func TestMessageCodec(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 0, 123456789, time.UTC)
	msgs := []training.Message{
		{},
		{ID: "m1", MessageID: "<m1@muster>", LedgerKeys: []string{"remind|1|tic|due|2026-12-01", "remind|1|cse|overdue|2026-11-01"},
			Kind: "reminder", To: "a@x.example", Subject: "Training — due", Text: "Hello\n", HTML: "<p>Hello</p>",
			State: training.MessageFailed, Attempts: 3, LastError: "550 no such user", Created: at,
			NextAttempt: at.Add(time.Hour), Sent: time.Unix(0, 0).UTC(), RunID: "run-7"},
		{ID: "m2", State: training.MessageQueued, Created: time.Date(1500, 1, 1, 0, 0, 0, 1, time.UTC), NextAttempt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, m := range msgs {
		rec := encodeMessage(m)
		if rec[0] != fmtMessageV1 {
			t.Fatalf("record starts with %#x, want the format byte", rec[0])
		}
		got, err := decodeMessage(rec)
		if err != nil || !reflect.DeepEqual(got, m) {
			t.Fatalf("message round trip:\n got %+v, %v\nwant %+v", got, err, m)
		}
	}
	// A time in another zone comes back as the same instant in UTC, as
	// the JSON records did.
	local := at.In(time.FixedZone("BST", 3600))
	got, err := decodeMessage(encodeMessage(training.Message{ID: "z", Created: local}))
	if err != nil || !got.Created.Equal(local) || got.Created.Location() != time.UTC {
		t.Fatalf("zoned time: %v, %v", got.Created, err)
	}

	good := encodeMessage(msgs[1])
	for name, rec := range map[string]string{
		"empty":          "",
		"truncated":      good[:len(good)-2],
		"trailing bytes": good + "x",
		"unknown format": "\x09" + good[1:],
		"huge count":     string([]byte{fmtMessageV1, 0, 0, 0xff, 0xff, 0x03}),
		"bad JSON":       `{"v":1,`,
		"JSON version 2": `{"v":2,"id":"m"}`,
	} {
		if _, err := decodeMessage(rec); err == nil || !strings.Contains(err.Error(), "message record") {
			t.Errorf("%s: got %v, want an error about a message record", name, err)
		}
	}
}

// TestMessageOldJSON checks that messages stored as JSON by an older
// Muster still read, and that updating one rewrites it in the new format.
func TestMessageOldJSON(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 30, 0, 5, time.UTC)
	old := training.Message{ID: "m1", MessageID: "<m1@muster>", LedgerKeys: []string{"remind|1|tic|due|2026-12-01"},
		Kind: "reminder", To: "a@x.example", Subject: "S", Text: "T", HTML: "<p>H</p>", State: training.MessageQueued,
		Attempts: 1, LastError: "timeout", Created: at, NextAttempt: at.Add(time.Minute), RunID: "run-1"}
	rec := encode(toMessageRec(old))
	if got, err := decodeMessage(rec); err != nil || !reflect.DeepEqual(got, old) {
		t.Fatalf("old JSON record:\n got %+v, %v\nwant %+v", got, err, old)
	}

	m := miniredis.RunT(t)
	s := openTest(t, "redis://"+m.Addr(), "")
	if err := s.rdb.HSet(t.Context(), s.keys.messages, old.ID, rec).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Message(t.Context(), old.ID); err != nil || !reflect.DeepEqual(got, old) {
		t.Fatalf("Message on an old JSON record:\n got %+v, %v\nwant %+v", got, err, old)
	}
	sent := at.Add(time.Hour)
	if err := s.UpdateMessage(t.Context(), old.ID, func(m *training.Message) error {
		m.State, m.Sent = training.MessageSent, sent
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	raw, err := s.rdb.HGet(t.Context(), s.keys.messages, old.ID).Result()
	if err != nil || raw == "" || raw[0] != fmtMessageV1 {
		t.Fatalf("updated record %q, %v: want the binary format", raw, err)
	}
	want := old
	want.State, want.Sent = training.MessageSent, sent
	if got, err := s.Message(t.Context(), old.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after update:\n got %+v, %v\nwant %+v", got, err, want)
	}
}
