package importers_test

// Import speed and memory against the reference: excelize's raw streaming
// reader over the same file (the aim: end-to-end import within 1.25× of
// the raw read, peak memory within 1.5×).
//
//	go test ./importers -run '^$' -bench 'RawRead|Import|Pandas' -benchtime 3x
//
// The rosters (10k, 50k, 150k rows) are generated once with demo.Force and
// rostergen.WriteXLSXShared (text in a shared-strings table, as Excel saves
// a workbook: the reference then holds that table too) into $MUSTER_BENCH_DIR (default: a muster-bench
// directory in the system temp dir) and reused by later runs: generating
// 150,000 rows takes longer than reading them. Peak memory and CPU time
// are measured in a child process (this test binary re-run for one read or
// import) from its rusage (peak resident set, user+system CPU), so the
// benchmarks' own allocations and the generator's do not count.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/importers/rostergen"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
	"github.com/xuri/excelize/v2"
)

var benchSizes = []int{10_000, 50_000, 150_000}

var benchAsOf = training.DateFrom(2026, 11, 24)

// rawSecondsPerRow remembers the raw read's speed per size, so the import
// benchmark can report its ratio to it when both run in one go.
var (
	rawMu            sync.Mutex
	rawSecondsPerRow = map[int]float64{}
	rawPeakMB        = map[int]float64{}
	rawCPU           = map[int]float64{}
	importPerRow     = map[int]float64{}
)

// benchRoster returns the path of a generated roster of n officers,
// writing it on first use.
func benchRoster(b *testing.B, n int) string {
	b.Helper()
	dir := os.Getenv("MUSTER_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "muster-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, fmt.Sprintf("roster-v2-shared-%d.xlsx", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	cs := demo.Force(1, n, max(n/25, 1), benchAsOf)
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := rostergen.WriteXLSXShared(w, cs, training.DefaultCourses()); err != nil {
		f.Close()
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// rawRead reads every cell of the roster's sheet with excelize's streaming
// reader and raw values: the reference.
func rawRead(path string) (rows, cells int, err error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 500 << 20})
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	rs, err := f.Rows("Roster")
	if err != nil {
		return 0, 0, err
	}
	defer rs.Close()
	size := 0
	for rs.Next() {
		cols, err := rs.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return 0, 0, err
		}
		rows++
		for _, c := range cols {
			cells++
			size += len(c)
		}
	}
	if size == 0 {
		return rows, cells, fmt.Errorf("no data read")
	}
	return rows, cells, rs.Error()
}

// importOnce imports the roster into a fresh bolt store in dir, within
// lim (zero: the defaults).
func importOnce(path, dir string, lim importers.Limits) (*importers.Report, error) {
	st, err := bolt.Open(filepath.Join(dir, "muster.db"), bolt.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	rep, err := importers.Run(context.Background(), st, importers.Source{Name: filepath.Base(path), R: f, Size: fi.Size()},
		importers.Options{Full: true, By: "bench", Now: benchAsOf.Time().Add(9 * time.Hour), Limits: lim})
	if err != nil {
		return nil, err
	}
	if rep.Outcome != training.OutcomeApplied {
		return nil, fmt.Errorf("outcome %s: %s", rep.Outcome, rep.Message)
	}
	return rep, nil
}

func BenchmarkRawRead(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			path := benchRoster(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, _, err := rawRead(path); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			perRow := b.Elapsed().Seconds() / float64(b.N) / float64(n)
			peak, cpu := childUsage(b, "raw", path)
			b.ReportMetric(1/perRow, "rows/s")
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(cpu, "cpu-s")
			rawMu.Lock()
			rawSecondsPerRow[n], rawPeakMB[n], rawCPU[n] = perRow, peak, cpu
			rawMu.Unlock()
		})
	}
}

func BenchmarkImport(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			path := benchRoster(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := b.TempDir()
				b.StartTimer()
				rep, err := importOnce(path, dir, importers.Limits{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Summary.Added < n*9/10 {
					b.Fatalf("only %d officers added", rep.Summary.Added)
				}
			}
			b.StopTimer()
			perRow := b.Elapsed().Seconds() / float64(b.N) / float64(n)
			peak, cpu := childUsage(b, "import", path)
			b.ReportMetric(1/perRow, "rows/s")
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(cpu, "cpu-s")
			rawMu.Lock()
			defer rawMu.Unlock()
			importPerRow[n] = perRow
			if raw, ok := rawSecondsPerRow[n]; ok {
				b.ReportMetric(perRow/raw, "x-raw-time")
				b.ReportMetric(cpu/rawCPU[n], "x-raw-cpu")
				b.ReportMetric(peak/rawPeakMB[n], "x-raw-peak")
			}
		})
	}
}

// BenchmarkPandasReadExcel reads the same rosters with pandas.read_excel
// (scripts/pandas_read.py), the tool analysts use today, and reports how
// many times faster the import is (x-import-faster) when BenchmarkImport
// ran first in the same run. It needs a python3 with pandas and openpyxl
// (Debian: python3-pandas python3-openpyxl) and is skipped without one.
func BenchmarkPandasReadExcel(b *testing.B) {
	python := ""
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import pandas, openpyxl").Run() == nil {
			python = p
			break
		}
	}
	if python == "" {
		b.Skip("no python3 with pandas and openpyxl (Debian: apt-get install python3-pandas python3-openpyxl)")
	}
	script, err := filepath.Abs(filepath.Join("..", "scripts", "pandas_read.py"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			path := benchRoster(b, n)
			var peak, cpu float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(python, script, path)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("pandas: %v\n%s", err, out)
				}
				cpu += (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
				if i := bytes.Index(out, []byte("vmhwm-kB: ")); i >= 0 {
					var kb float64
					if _, err := fmt.Sscan(string(out[i+len("vmhwm-kB: "):]), &kb); err == nil && kb/1024 > peak {
						peak = kb / 1024
					}
				}
			}
			b.StopTimer()
			perRow := b.Elapsed().Seconds() / float64(b.N) / float64(n)
			b.ReportMetric(1/perRow, "rows/s")
			b.ReportMetric(peak, "peak-MB")
			b.ReportMetric(cpu/float64(b.N), "cpu-s")
			rawMu.Lock()
			defer rawMu.Unlock()
			if imp, ok := importPerRow[n]; ok {
				b.ReportMetric(perRow/imp, "x-import-faster")
			}
		})
	}
}

// childUsage runs one read or import in a child process (this test binary)
// and returns its peak resident memory in MB and the CPU seconds it used
// (user + system): on a shared machine CPU time compares more fairly than
// wall time.
func childUsage(b *testing.B, op, path string) (peakMB, cpuSeconds float64) {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestBenchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MUSTER_BENCH_CHILD="+op, "MUSTER_BENCH_FILE="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", op, err, out)
	}
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	// The child's own high-water mark (VmHWM), which exec starts afresh:
	// rusage's maxrss also counts the parent's pages at fork, so a parent
	// grown large (generating a roster) would be reported for every child.
	if i := bytes.Index(out, []byte("vmhwm-kB: ")); i >= 0 {
		var kb float64
		if _, err := fmt.Sscan(string(out[i+len("vmhwm-kB: "):]), &kb); err == nil {
			return kb / 1024, cpu
		}
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return float64(ru.Maxrss) / 1024, cpu // Linux reports kB
	}
	return 0, cpu
}

// vmHWM is this process's peak resident memory in kB (Linux), or 0.
func vmHWM() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb
		}
	}
	return 0
}

// TestBenchChild is the child process of peakMB; it does nothing in a
// normal test run.
func TestBenchChild(t *testing.T) {
	op, path := os.Getenv("MUSTER_BENCH_CHILD"), os.Getenv("MUSTER_BENCH_FILE")
	if op == "" {
		t.Skip("only run as the child process of the import benchmarks")
	}
	var err error
	switch op {
	case "raw":
		_, _, err = rawRead(path)
	case "import":
		_, err = importOnce(path, t.TempDir(), importers.Limits{})
	case "import-curve":
		_, err = importOnce(path, t.TempDir(), curveLimits)
	default:
		err = fmt.Errorf("unknown op %q", op)
	}
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("vmhwm-kB: %d\n", vmHWM())
}
