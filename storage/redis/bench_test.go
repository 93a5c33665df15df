package redis

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// Benchmarks: bolt and a real redis-server in the same run, on the same
// generated force (150,000 officers in 2,000 units):
//
//	go test -run '^$' -bench . -benchtime 3x ./storage/redis/
//
// The Redis apply benchmark also reports the time the Lua move held Redis
// (lua-ms/op) and the memory per 10,000 officers (INFO used_memory).

const (
	benchOfficers = 150000
	benchUnits    = 2000
)

var benchForce = sync.OnceValue(func() training.ChangeSet {
	return demo.Force(1, benchOfficers, benchUnits, training.DateOf(demo.Now()))
})

// benchBackend opens a fresh, empty store of one kind.
type benchBackend struct {
	name string
	open func(b *testing.B) training.Store
}

func benchBackends() []benchBackend {
	return []benchBackend{
		{"bolt", func(b *testing.B) training.Store {
			s, err := bolt.Open(filepath.Join(b.TempDir(), "muster.db"), bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			return s
		}},
		{"redis", func(b *testing.B) training.Store {
			url := singleURL(b)
			s, err := Open(b.Context(), url, Options{Prefix: nextPrefix()})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { dropPrefix(b, s); s.Close() })
			return s
		}},
	}
}

// dropPrefix removes a benchmark store's data so the shared server does
// not fill up.
func dropPrefix(b *testing.B, s *Store) {
	k := s.keys
	err := s.rdb.Unlink(context.Background(), k.rev, k.officers, k.completions, k.exemptions, k.courses,
		k.imports, k.importsByTime, k.importByHash, k.stages, k.applyLock).Err()
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkApply imports the 150k force into an empty store.
func BenchmarkApply(b *testing.B) {
	cs := benchForce()
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			var luaTotal time.Duration
			var memTotal int64
			for i := range b.N {
				b.StopTimer()
				s := be.open(b)
				rs, _ := s.(*Store)
				var before int64
				var moveStart time.Time
				if rs != nil {
					before = usedMemory(b, rs)
					rs.afterStep = func(step string) {
						if step == "staged" {
							moveStart = time.Now()
						}
					}
				}
				c := cs
				c.Import.ID = fmt.Sprintf("bench-%d", i)
				startSlowlog(b, rs)
				b.StartTimer()
				if _, err := s.ApplyChanges(b.Context(), c); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if rs != nil {
					luaTotal += time.Since(moveStart)
					memTotal += usedMemory(b, rs) - before
					reportSlowlog(b, rs)
				}
				b.StartTimer()
			}
			if luaTotal > 0 {
				b.ReportMetric(float64(luaTotal.Microseconds())/1000/float64(b.N), "lua-ms/op")
				b.ReportMetric(float64(memTotal)/float64(b.N)/(benchOfficers/10000)/(1<<20), "MiB/10k-officers")
			}
		})
	}
}

// BenchmarkReapply applies the whole force again on top of itself: every
// officer replaced, every completion list rewritten.
func BenchmarkReapply(b *testing.B) {
	benchApplyOnTop(b, func(cs training.ChangeSet, i int) training.ChangeSet {
		cs.Import.ID, cs.Import.FileHash = fmt.Sprintf("again-%d", i), ""
		return cs
	})
}

// BenchmarkPartialApply applies a typical partial import to the 150k
// roster: 5,000 officers updated, each with a new completion.
func BenchmarkPartialApply(b *testing.B) {
	benchApplyOnTop(b, func(cs training.ChangeSet, i int) training.ChangeSet {
		c := training.ChangeSet{Import: cs.Import}
		c.Import.ID, c.Import.FileHash, c.Import.Kind = fmt.Sprintf("partial-%d", i), "", training.ImportPartial
		for j := range 5000 {
			o := cs.Officers[(i*5000+j*29)%len(cs.Officers)]
			o.Rank = fmt.Sprintf("R%d", i)
			c.Officers = append(c.Officers, o)
			c.Completions = append(c.Completions, training.Completion{OfficerID: o.ID, CourseID: "cse-recognition",
				Date: training.NewDate(2026, 1, 1).AddDays(i), Source: o.Source})
		}
		return c
	})
}

// benchApplyOnTop imports the force, then times applying change(force, i)
// on top of it. For Redis it reports how long the Lua step held the
// server (lua-ms/op) and the longest command of all (max-block-ms).
func benchApplyOnTop(b *testing.B, change func(cs training.ChangeSet, i int) training.ChangeSet) {
	cs := benchForce()
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			rev, err := s.ApplyChanges(b.Context(), cs)
			if err != nil {
				b.Fatal(err)
			}
			rs, _ := s.(*Store)
			var luaTotal time.Duration
			var moveStart time.Time
			if rs != nil {
				rs.afterStep = func(step string) {
					if step == "staged" {
						moveStart = time.Now()
					}
				}
			}
			startSlowlog(b, rs)
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				c := change(cs, i)
				c.BaseRevision = rev
				b.StartTimer()
				if rev, err = s.ApplyChanges(b.Context(), c); err != nil {
					b.Fatal(err)
				}
				luaTotal += time.Since(moveStart)
			}
			if rs != nil {
				b.ReportMetric(float64(luaTotal.Microseconds())/1000/float64(b.N), "lua-ms/op")
				reportSlowlog(b, rs)
			}
		})
	}
}

// startSlowlog makes Redis log every command over 1 ms, so that the
// benchmark can report the longest time one command held the server.
func startSlowlog(b *testing.B, s *Store) {
	if s == nil {
		return
	}
	ctx := context.Background()
	if err := s.rdb.ConfigSet(ctx, "slowlog-log-slower-than", "1000").Err(); err != nil {
		b.Fatal(err)
	}
	s.rdb.ConfigSet(ctx, "slowlog-max-len", "1024")
	s.rdb.Do(ctx, "SLOWLOG", "RESET")
}

// reportSlowlog reports the longest command since startSlowlog.
func reportSlowlog(b *testing.B, s *Store) {
	logs, err := s.rdb.SlowLogGet(context.Background(), 1024).Result()
	if err != nil {
		b.Fatal(err)
	}
	var worst time.Duration
	name := "none over 1 ms"
	for _, l := range logs {
		if l.Duration > worst && len(l.Args) > 0 {
			worst, name = l.Duration, l.Args[0]
		}
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-block-ms")
	b.Logf("longest command while applying: %s, %v (%d commands over 1 ms)", name, worst, len(logs))
}

// BenchmarkDataset reads the whole 150k roster (what a force-wide report needs).
func BenchmarkDataset(b *testing.B) {
	cs := benchForce()
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				ds, err := s.Dataset(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				if len(ds.Officers) != benchOfficers {
					b.Fatalf("%d officers", len(ds.Officers))
				}
			}
		})
	}
}

// BenchmarkOfficer reads one officer of the 150k roster.
func BenchmarkOfficer(b *testing.B) {
	cs := benchForce()
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s := be.open(b)
			if _, err := s.ApplyChanges(b.Context(), cs); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Officer(b.Context(), cs.Officers[i%len(cs.Officers)].ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// usedMemory reads INFO memory used_memory.
func usedMemory(b *testing.B, s *Store) int64 {
	info, err := s.rdb.Info(b.Context(), "memory").Result()
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	b.Fatal("no used_memory in INFO")
	return 0
}
