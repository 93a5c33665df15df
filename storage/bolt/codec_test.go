package bolt

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

func TestRosterCodecRoundTrip(t *testing.T) {
	full := training.Source{ImportID: "imp-1", File: "Roster – Nov.xlsx", Sheet: "Staff", Row: 1048576,
		By: "hr", At: time.Date(2026, 11, 24, 9, 30, 15, 123456789, time.UTC)}
	officers := []struct {
		name string
		o    training.Officer
	}{
		{"empty", training.Officer{}},
		{"only an ID", training.Officer{ID: "12345"}},
		{"everything", training.Officer{ID: "A12", DisplayID: "a12", Name: "Siân O'Brien-Øster 🚓",
			Email: "sian@police.example", EmailInvalid: true, Rank: "DC", Unit: "North / CID / Team 1",
			LineManager: "manager@police.example", StartDate: training.NewDate(1999, 2, 28),
			FirstSeen: training.NewDate(2026, 1, 2), Leaver: true, LeftOn: training.NewDate(2026, 11, 1),
			Source: full}},
		{"time before 1970", training.Officer{ID: "1", Source: training.Source{At: time.Date(1969, 12, 31, 23, 59, 59, 1, time.UTC)}}},
		{"odd date values kept as given", training.Officer{ID: "1", StartDate: training.DateFrom(-1, 13, 40)}},
	}
	for _, tc := range officers {
		got, err := decodeOfficer(encodeOfficer(tc.o), map[string]string{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, tc.o) {
			t.Fatalf("%s: got %+v, want %+v", tc.name, got, tc.o)
		}
	}

	cs := []training.Completion{
		{OfficerID: "7", CourseID: "cse-recognition", Date: training.NewDate(2024, 2, 29), Source: full},
		{OfficerID: "7", CourseID: "cse-recognition", Date: training.NewDate(2026, 1, 2), DateUnknown: true},
	}
	_, got, err := decodeCompletions("7", encodeCompletions(cs), nil, nil)
	if err != nil || !reflect.DeepEqual(got, cs) {
		t.Fatalf("completions: got %+v, %v", got, err)
	}
	if n := completionCount(encodeCompletions(cs)); n != 2 {
		t.Fatalf("completionCount = %d", n)
	}
	xs := []training.Exemption{{OfficerID: "7", CourseID: "tic", From: training.NewDate(2026, 1, 1), Reason: "maternity leave", Source: full}}
	gotX, err := decodeExemptions("7", encodeExemptions(xs), nil)
	if err != nil || !reflect.DeepEqual(gotX, xs) {
		t.Fatalf("exemptions: got %+v, %v", gotX, err)
	}
}

// TestRosterCodecCorrupt checks that every truncation and a wrong version
// give an error, never a panic or a silently short record.
func TestRosterCodecCorrupt(t *testing.T) {
	o := training.Officer{ID: "1", Name: "A", Unit: "North", Source: training.Source{ImportID: "x", At: time.Unix(1, 0)}}
	records := map[string][]byte{
		"officer":     encodeOfficer(o),
		"completions": encodeCompletions([]training.Completion{{OfficerID: "1", CourseID: "c", Date: training.NewDate(2026, 1, 1)}}),
		"exemptions":  encodeExemptions([]training.Exemption{{OfficerID: "1", CourseID: "c"}}),
	}
	decode := func(kind string, b []byte) error {
		switch kind {
		case "officer":
			_, err := decodeOfficer(b, nil)
			return err
		case "completions":
			_, _, err := decodeCompletions("1", b, nil, nil)
			return err
		}
		_, err := decodeExemptions("1", b, nil)
		return err
	}
	for kind, b := range records {
		for n := range len(b) {
			if err := decode(kind, b[:n]); err == nil {
				t.Errorf("%s truncated to %d of %d bytes: no error", kind, n, len(b))
			}
		}
		if err := decode(kind, append(b[:len(b):len(b)], 0)); err == nil {
			t.Errorf("%s with a trailing byte: no error", kind)
		}
		bad := append([]byte{99}, b[1:]...)
		if err := decode(kind, bad); err == nil {
			t.Errorf("%s with version 99: no error", kind)
		}
	}
}

// officerJSON is what the officer record would be as versioned JSON; the
// benchmarks below are the measurement behind choosing the binary record.
type officerJSON struct {
	V            int             `json:"v"`
	ID           string          `json:"id"`
	DisplayID    string          `json:"display_id"`
	Name         string          `json:"name"`
	Email        string          `json:"email,omitempty"`
	EmailInvalid bool            `json:"email_invalid,omitempty"`
	Rank         string          `json:"rank,omitempty"`
	Unit         string          `json:"unit"`
	LineManager  string          `json:"line_manager,omitempty"`
	StartDate    *dateRec        `json:"start_date,omitempty"`
	FirstSeen    *dateRec        `json:"first_seen,omitempty"`
	Leaver       bool            `json:"leaver,omitempty"`
	LeftOn       *dateRec        `json:"left_on,omitempty"`
	Source       training.Source `json:"source"`
}

func benchOfficersList(b *testing.B) []training.Officer {
	return demo.Force(1, 10000, 200, asOf).Officers
}

func BenchmarkDecodeOfficerBinary(b *testing.B) {
	officers := benchOfficersList(b)
	recs := make([][]byte, len(officers))
	size := 0
	for i, o := range officers {
		recs[i] = encodeOfficer(o)
		size += len(recs[i])
	}
	intern := map[string]string{}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := decodeOfficer(recs[i%len(recs)], intern); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(len(recs)), "bytes/record")
}

func BenchmarkDecodeOfficerJSON(b *testing.B) {
	officers := benchOfficersList(b)
	recs := make([][]byte, len(officers))
	size := 0
	for i, o := range officers {
		recs[i], _ = json.Marshal(officerJSON{V: 1, ID: o.ID, DisplayID: o.DisplayID, Name: o.Name,
			Email: o.Email, EmailInvalid: o.EmailInvalid, Rank: o.Rank, Unit: o.Unit,
			LineManager: o.LineManager, StartDate: toDateRec(o.StartDate), FirstSeen: toDateRec(o.FirstSeen),
			Leaver: o.Leaver, LeftOn: toDateRec(o.LeftOn), Source: o.Source})
		size += len(recs[i])
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var r officerJSON
		if err := json.Unmarshal(recs[i%len(recs)], &r); err != nil {
			b.Fatal(err)
		}
		_ = training.Officer{ID: r.ID, DisplayID: r.DisplayID, Name: r.Name, Email: r.Email,
			EmailInvalid: r.EmailInvalid, Rank: r.Rank, Unit: r.Unit, LineManager: r.LineManager,
			StartDate: r.StartDate.domain(), FirstSeen: r.FirstSeen.domain(), Leaver: r.Leaver,
			LeftOn: r.LeftOn.domain(), Source: r.Source}
	}
	b.ReportMetric(float64(size)/float64(len(recs)), "bytes/record")
}
