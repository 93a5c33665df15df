// Package curve is what the cost-curve benchmarks share (README, "The cost
// curve"; scripts/curve.sh runs them): the sizes they are measured at, the
// shape of the generated force at each size, and the memory a benchmark
// process reports. Each curve benchmark has one sub-benchmark per size,
// named people=N; the script runs each in a process of its own, so that a
// process's peak memory is that one size's.
package curve

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Sizes returns the numbers of people the curve is measured at: a small
// force, a large force (150,000: the figures the README quotes elsewhere)
// and a national scale. MUSTER_CURVE_SIZES (comma-separated) narrows them
// for a quick look.
func Sizes() []int {
	all := []int{15_000, 150_000, 1_000_000}
	want := os.Getenv("MUSTER_CURVE_SIZES")
	if want == "" {
		return all
	}
	var out []int
	for _, n := range all {
		for _, w := range strings.Split(want, ",") {
			if strings.TrimSpace(w) == fmt.Sprint(n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// Name is the sub-benchmark's name for n people.
func Name(n int) string { return fmt.Sprintf("people=%d", n) }

// Units is how many teams n people are spread over: 75 a team at every
// size, so that only the number of people changes along the curve.
func Units(n int) int { return max(n/75, 1) }

// Step is one curve benchmark's measured step: Start it after the set-up,
// Report after the loop.
type Step struct{ cpu time.Duration }

// Start marks the end of a benchmark's set-up: it collects the set-up's
// garbage, returns it to the system and restarts the peak resident memory
// (Linux's clear_refs "5") from what the process holds now, the step's
// inputs, so that peak-MB is the step's own peak with its inputs.
func Start(b *testing.B) *Step {
	b.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("peak memory not reset (%v): peak-MB includes the set-up", err)
	}
	b.ResetTimer()
	return &Step{cpu: CPU()}
}

// Report adds to b the CPU time per op (cpu-s/op: this process's, all
// goroutines and the collector; a busy machine disturbs it less than wall
// time) and the memory: peak-MB, the resident high-water mark since Start
// (inputs included: a step cannot run without them), and held-MB, the Go
// heap still reachable after a collection (what the step's inputs and
// results keep).
func (s *Step) Report(b *testing.B) {
	b.Helper()
	b.StopTimer()
	b.ReportMetric((CPU()-s.cpu).Seconds()/float64(max(b.N, 1)), "cpu-s/op")
	if kb := PeakKB(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-MB")
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "held-MB")
}

// CPU is the CPU time this process has used (user and system).
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakKB is this process's peak resident memory in kB (Linux's VmHWM), or
// 0 where /proc does not say.
func PeakKB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb); err == nil {
				return kb
			}
		}
	}
	return 0
}
