package main

import (
	"context"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// watchHeapPeak writes a heap profile to path each time the Go heap live
// after a collection reaches a new high, until ctx ends (diagnostic:
// MUSTER_HEAP_PROFILE, README "The first start's catch-up").
func watchHeapPeak(ctx context.Context, path string) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var high uint64
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		metrics.Read(sample)
		if v := sample[0].Value.Uint64(); v > high {
			high = v
			f, err := os.Create(path)
			if err != nil {
				return
			}
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
}
