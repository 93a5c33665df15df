package importers

// Read against the reference it must stay close to: excelize's raw
// streaming reader over the same file, doing nothing with the cells.
//
//	go test ./importers -run '^$' -bench 'ReadXLSX|RawRows|ReadCSV' -benchmem
//
// (importers/bench_test.go measures whole imports, with peak memory.)

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/importers/rostergen"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
	"github.com/xuri/excelize/v2"
)

const readBenchRows = 50_000

// readBenchFile returns a generated roster (xlsx or csv), cached on disk
// because generating it takes longer than reading it.
func readBenchFile(b *testing.B, ext string) []byte {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "muster-read-bench")
	path := filepath.Join(dir, "roster-"+strconv.Itoa(readBenchRows)+"."+ext)
	if data, err := os.ReadFile(path); err == nil {
		return data
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	cs := demo.Force(1, readBenchRows, readBenchRows/25, sampleToday)
	var buf bytes.Buffer
	var err error
	if ext == "xlsx" {
		err = rostergen.WriteXLSX(&buf, cs, training.DefaultCourses())
	} else {
		err = rostergen.WriteCSV(&buf, cs, training.DefaultCourses())
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// cpuTime is this process's user+system CPU time: steadier than wall time
// on a shared machine, and it counts the garbage collector's work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ms/op metric to a benchmark.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

func BenchmarkRawRows(b *testing.B) {
	data := readBenchFile(b, "xlsx")
	b.SetBytes(int64(len(data)))
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Roster")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			n += len(cells)
		}
		if err := rows.Close(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	opts := ReadOptions{Courses: training.DefaultCourses(), Today: sampleToday}
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		n := 0
		det, _, err := Read(bytes.NewReader(data), int64(len(data)), "roster", opts, func(Record) error { n++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		if n < readBenchRows*9/10 || det.Layout != LayoutWide {
			b.Fatalf("%d records, layout %s", n, det.Layout)
		}
	}
}

func BenchmarkReadXLSX(b *testing.B) { benchRead(b, readBenchFile(b, "xlsx")) }

func BenchmarkReadCSV(b *testing.B) { benchRead(b, readBenchFile(b, "csv")) }

// BenchmarkScanParts is the byte budget's pass alone (xlsx_budget.go) over
// the same file: compare with BenchmarkReadXLSX in the same run.
func BenchmarkScanParts(b *testing.B) {
	data := readBenchFile(b, "xlsx")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		if err := scanParts(zr); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}
