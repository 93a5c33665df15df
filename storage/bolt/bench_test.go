package bolt

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// The benchmarks use the size of the largest force Muster is built for:
// 150,000 officers in 2,000 units.
const (
	benchOfficers = 150000
	benchUnits    = 2000
)

// cpuMeter adds up the CPU time of the measured parts of a benchmark.
type cpuMeter struct {
	total time.Duration
	start time.Duration
	n     int
}

func (m *cpuMeter) begin() { m.start = cpuTime() }
func (m *cpuMeter) end()   { m.total += cpuTime() - m.start; m.n++ }

func (m *cpuMeter) report(b *testing.B) {
	if m.n > 0 {
		b.ReportMetric(float64(m.total.Milliseconds())/float64(m.n), "cpu-ms/op")
	}
}

func benchStore(b *testing.B, cs training.ChangeSet) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "muster.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if cs.Import.ID != "" {
		if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkDataset150k(b *testing.B) {
	s := benchStore(b, demo.Force(1, benchOfficers, benchUnits, asOf))
	var cpu cpuMeter
	b.ReportAllocs()
	for b.Loop() {
		cpu.begin()
		ds, err := s.Dataset(b.Context())
		cpu.end()
		if err != nil {
			b.Fatal(err)
		}
		if len(ds.Officers) != benchOfficers {
			b.Fatalf("%d officers", len(ds.Officers))
		}
	}
	cpu.report(b)
	if fi, err := os.Stat(s.db.Path()); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
	}
}

// BenchmarkReport150k is what a force-wide report costs end to end: read
// the dataset, evaluate every officer and course.
func BenchmarkReport150k(b *testing.B) {
	s := benchStore(b, demo.Force(1, benchOfficers, benchUnits, asOf))
	var cpu cpuMeter
	b.ReportAllocs()
	for b.Loop() {
		cpu.begin()
		ds, err := s.Dataset(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := training.BuildReport(ds, asOf, training.ReportOptions{}); err != nil {
			b.Fatal(err)
		}
		cpu.end()
	}
	cpu.report(b)
}

func BenchmarkApplyChanges150k(b *testing.B) {
	cs := demo.Force(1, benchOfficers, benchUnits, asOf)
	var cpu cpuMeter
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := benchStore(b, training.ChangeSet{})
		b.StartTimer()
		cpu.begin()
		if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
			b.Fatal(err)
		}
		cpu.end()
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	cpu.report(b)
}

// BenchmarkApplyChangesUpdate150k re-applies a full roster over itself, as
// a monthly full upload does.
func BenchmarkApplyChangesUpdate150k(b *testing.B) {
	cs := demo.Force(1, benchOfficers, benchUnits, asOf)
	s := benchStore(b, cs)
	var cpu cpuMeter
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		cpu.begin()
		rev, err := s.Revision(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		cs.BaseRevision = rev
		cs.Import.ID = "bench-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
			b.Fatal(err)
		}
		cpu.end()
	}
	cpu.report(b)
}

func BenchmarkOfficer150k(b *testing.B) {
	s := benchStore(b, demo.Force(1, benchOfficers, benchUnits, asOf))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Officer(b.Context(), "175000"); err != nil {
			b.Fatal(err)
		}
	}
}
