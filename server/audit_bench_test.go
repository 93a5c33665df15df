package server

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// BenchmarkAudit measures what the audit trail costs on each store: one
// append (done on every officer view), against a small write that was
// already there (PutSetting) as the reference, and a search for one
// officer's events among 10,000 that must all be read.
//
//	go test -run '^$' -bench Audit -benchtime 200x ./server/
func BenchmarkAudit(b *testing.B) {
	stores := map[string]func(b *testing.B) training.Store{
		"bolt": func(b *testing.B) training.Store {
			st, err := bolt.Open(filepath.Join(b.TempDir(), "muster.db"), bolt.Options{Timeout: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		},
		"redis": func(b *testing.B) training.Store {
			url := "redis://" + redistest.Start(b, "--save", "", "--appendonly", "no").Addr()
			st, err := redis.Open(context.Background(), url, redis.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { st.Close() })
			return st
		},
	}
	for name, open := range stores {
		b.Run(name, func(b *testing.B) {
			st := open(b)
			ctx := context.Background()
			now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
			b.Run("append", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					e := training.NewAuditEvent(now.Add(time.Duration(i)*time.Millisecond), "hr", training.AuditOfficerViewed, training.TargetOfficer, fmt.Sprint(i), "", "page")
					if err := st.AppendAudit(ctx, e); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("put-setting-reference", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					if err := st.PutSetting(ctx, "bench", fmt.Sprintf("officer_viewed hr officer %d page %s", i, now)); err != nil {
						b.Fatal(err)
					}
				}
			})
			for i := range 10_000 {
				e := training.NewAuditEvent(now.Add(-time.Duration(i+1)*time.Hour), "hr", training.AuditOfficerViewed, training.TargetOfficer, fmt.Sprint(100000+i), "", "page")
				if err := st.AppendAudit(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("search-one-officer-in-10k", func(b *testing.B) {
				for b.Loop() {
					page, err := st.Audit(ctx, training.AuditQuery{TargetKind: training.TargetOfficer, TargetID: "105000", Limit: 50})
					if err != nil || len(page.Events) != 1 {
						b.Fatal(err, len(page.Events))
					}
				}
			})
		})
	}
}
