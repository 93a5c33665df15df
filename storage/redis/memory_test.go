package redis

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
	"unsafe"

	"github.com/muster-police/muster/training"
)

// BenchmarkDatasetHeap is what one Dataset of the 150,000-officer force
// costs in Go heap on each backend, per person: the heap in use after a
// collection with the Dataset held, less the same after it is dropped
// (storage/bolt's BenchmarkDatasetHeap150k explains how to profile it).
// Run with -benchtime=1x.
func BenchmarkDatasetHeap(b *testing.B) {
	cs := benchForce()
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
				b.Fatal(err)
			}
			var held, dropped runtime.MemStats
			for b.Loop() {
				ds, err := s.Dataset(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				if len(ds.Officers) != benchOfficers {
					b.Fatalf("%d officers", len(ds.Officers))
				}
				heapAfterGC(&held)
				if path := os.Getenv("MUSTER_HEAP_PROFILE"); path != "" {
					f, err := os.Create(path)
					if err != nil {
						b.Fatal(err)
					}
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
				runtime.KeepAlive(ds)
				heapAfterGC(&dropped)
			}
			heap := float64(held.HeapAlloc) - float64(dropped.HeapAlloc)
			b.ReportMetric(heap/benchOfficers, "heap-B/person")
			b.ReportMetric(heap/(1<<20), "heap-MiB")
		})
	}
}

// heapAfterGC reads the memory statistics after two collections (the
// second finishes the sweep of the first).
func heapAfterGC(m *runtime.MemStats) {
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(m)
}

// TestDecodedOfficerKeepsNoRecord checks that an officer read from its
// record holds no string pointing into the record text (an empty
// substring would too), so that a Dataset does not keep 150,000 records
// alive beside the officers decoded from them.
func TestDecodedOfficerKeepsNoRecord(t *testing.T) {
	o := training.Officer{ID: "A12", DisplayID: "A12", Name: "Ann Smith", Unit: "North / Team 1", Rank: "PC",
		StartDate: training.NewDate(2020, 1, 2),
		Source:    training.Source{ImportID: "imp-1", File: "roster.xlsx", Row: 4, At: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}}
	for _, tc := range []struct {
		name   string
		intern map[string]string
	}{{"interned", map[string]string{}}, {"single read", nil}} {
		rec := encodeOfficer(o)
		got, err := decodeOfficer(rec, tc.intern)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != o.ID || got.Name != o.Name || got.Email != "" || got.Source.ImportID != o.Source.ImportID {
			t.Fatalf("%s: decoded %+v", tc.name, got)
		}
		start := uintptr(unsafe.Pointer(unsafe.StringData(rec)))
		for field, s := range map[string]string{"ID": got.ID, "DisplayID": got.DisplayID, "Name": got.Name,
			"Email": got.Email, "LineManager": got.LineManager, "Unit": got.Unit, "Rank": got.Rank, "Role": got.Role,
			"Source.File": got.Source.File, "Source.Sheet": got.Source.Sheet, "Source.By": got.Source.By} {
			if tc.intern == nil && field != "Email" && field != "LineManager" && field != "Source.Sheet" && field != "Source.By" && field != "Role" {
				continue // a single officer read may share its record; only empty strings must not
			}
			p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
			if p >= start && p <= start+uintptr(len(rec)) {
				t.Errorf("%s: %s points into the record", tc.name, field)
			}
		}
	}
}
