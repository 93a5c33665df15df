//go:build unix

package bolt

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (all threads, GC
// included): on a busy machine it says more about a benchmark than the
// wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
