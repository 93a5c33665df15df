package bolt

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// BenchmarkDatasetHeap150k measures what the roster costs in memory: the
// Go heap one Dataset of the 150,000-officer force holds (what the live
// model and the jobs hold), per person: the heap in use after a
// collection with the Dataset held, less the same after it is dropped.
// Run with -benchtime=1x; for a breakdown by allocation site, add
// -memprofilerate=64 and MUSTER_HEAP_PROFILE=FILE (the heap profile taken
// while the Dataset is held), then
// go tool pprof -sample_index=inuse_space -top FILE.
func BenchmarkDatasetHeap150k(b *testing.B) {
	s := benchStore(b, demo.Force(1, benchOfficers, benchUnits, asOf))
	var held, dropped runtime.MemStats
	comps := 0
	for b.Loop() {
		ds, err := s.Dataset(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		comps = countCompletions(ds)
		heapAfterGC(&held)
		if path := os.Getenv("MUSTER_HEAP_PROFILE"); path != "" {
			writeHeapProfile(b, path)
		}
		runtime.KeepAlive(ds)
		heapAfterGC(&dropped)
	}
	heap := float64(held.HeapAlloc) - float64(dropped.HeapAlloc)
	b.ReportMetric(heap/benchOfficers, "heap-B/person")
	b.ReportMetric(heap/(1<<20), "heap-MiB")
	b.ReportMetric(float64(comps)/benchOfficers, "completions/person")
}

func countCompletions(ds *training.Dataset) int {
	n := 0
	for _, cs := range ds.Completions {
		n += len(cs)
	}
	return n
}

// heapAfterGC reads the memory statistics after two collections (the
// second finishes the sweep of the first).
func heapAfterGC(m *runtime.MemStats) {
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(m)
}

func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
