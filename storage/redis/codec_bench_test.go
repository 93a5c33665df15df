package redis

import (
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// benchRoster is the records of a 10,000-officer demo force.
func benchRoster() (officers, completions []string, ids []string) {
	ds := demo.Force(1, 10000, 200, training.NewDate(2026, 11, 24))
	by := map[string][]training.Completion{}
	for _, c := range ds.Completions {
		by[c.OfficerID] = append(by[c.OfficerID], c)
	}
	for _, o := range ds.Officers {
		officers = append(officers, encodeOfficer(o))
		completions = append(completions, encodeCompletions(by[o.ID]))
		ids = append(ids, o.ID)
	}
	return officers, completions, ids
}

// BenchmarkDecodeRoster decodes one officer and their completions per
// iteration, as Dataset does for 150,000 of them.
func BenchmarkDecodeRoster(b *testing.B) {
	officers, completions, ids := benchRoster()
	intern := map[string]string{}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % len(officers)
		if _, err := decodeOfficer(officers[k], intern); err != nil {
			b.Fatal(err)
		}
		if _, err := decodeCompletions(ids[k], completions[k], intern); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeOfficerFormats decodes the same officers as stored
// before issue 17 (format 0x01) and with their posts (format 0x05), to
// compare in one run what the new fields cost a Dataset read.
func BenchmarkDecodeOfficerFormats(b *testing.B) {
	ds := demo.Force(1, 10000, 200, training.NewDate(2026, 11, 24))
	var v1, v2 []string
	for _, o := range ds.Officers {
		v1 = append(v1, encodeOfficerV1(o))
		v2 = append(v2, encodeOfficer(o))
	}
	for _, tc := range []struct {
		name string
		recs []string
	}{{"v1", v1}, {"v2", v2}} {
		b.Run(tc.name, func(b *testing.B) {
			intern := map[string]string{}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := decodeOfficer(tc.recs[i%len(tc.recs)], intern); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
