package importers_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/importers/rostergen"
	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// partsRoster is a roster of 10,000 officers: its plan goes to the store
// in several parts (importers keep 4,096 records a chunk).
func partsRoster(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rostergen.WriteXLSXShared(&buf, demo.Force(3, 10_000, 400, benchAsOf), training.DefaultCourses()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importBytes(ctx context.Context, st training.Store, b []byte) (*importers.Report, error) {
	return importers.Run(ctx, st, importers.Source{Name: "roster.xlsx", R: bytes.NewReader(b), Size: int64(len(b))},
		importers.Options{Full: true, By: "hr", Now: benchAsOf.Time().Add(9 * time.Hour)})
}

// TestImportInPartsBothStores: a roster whose plan takes several parts
// gives the same data on bolt and on Redis, and the same as its report.
func TestImportInPartsBothStores(t *testing.T) {
	file := partsRoster(t)
	rs, err := redis.Open(t.Context(), "redis://"+miniredis.RunT(t).Addr()+"?read_timeout=30s", redis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Close() })
	var got []*training.Dataset
	for _, st := range []training.Store{openBolt(t), rs} {
		rep, err := importBytes(t.Context(), st, file)
		if err != nil || rep.Outcome != training.OutcomeApplied {
			t.Fatalf("import: %v %+v", err, rep)
		}
		ds, err := st.Dataset(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		comps := 0
		for _, cs := range ds.Completions {
			comps += len(cs)
		}
		if len(ds.Officers) != rep.Summary.Added || rep.Summary.Added != 10_000 || comps != rep.Summary.Completions || comps <= 4096 {
			t.Fatalf("stored %d officers and %d completions; the report says %d added and %d completions",
				len(ds.Officers), comps, rep.Summary.Added, rep.Summary.Completions)
		}
		// Each import has an ID of its own: it must be on every record,
		// and is left out of the comparison.
		for id, o := range ds.Officers {
			if o.Source.ImportID != rep.ImportID {
				t.Fatalf("officer %s from import %q, want %q", id, o.Source.ImportID, rep.ImportID)
			}
			o.Source.ImportID = ""
			ds.Officers[id] = o
		}
		for _, cs := range ds.Completions {
			for i := range cs {
				if cs[i].Source.ImportID != rep.ImportID {
					t.Fatalf("completion %+v, want import %q", cs[i], rep.ImportID)
				}
				cs[i].Source.ImportID = ""
			}
		}
		for _, xs := range ds.Exemptions {
			for i := range xs {
				if xs[i].Source.ImportID != rep.ImportID {
					t.Fatalf("exemption %+v, want import %q", xs[i], rep.ImportID)
				}
				xs[i].Source.ImportID = ""
			}
		}
		got = append(got, ds)
	}
	if !reflect.DeepEqual(got[0].Officers, got[1].Officers) || !reflect.DeepEqual(got[0].Completions, got[1].Completions) ||
		!reflect.DeepEqual(got[0].Exemptions, got[1].Exemptions) {
		t.Errorf("bolt and Redis hold different data after the same import")
	}
}

// cancelMidway is a store whose import is cancelled once its first part
// has been put, as a client going away would.
type cancelMidway struct {
	training.Store
	cancel context.CancelFunc
	parts  int
}

func (c *cancelMidway) ApplyChangeParts(ctx context.Context, head training.ChangeSet, parts training.ChangeParts) (int64, error) {
	return c.Store.ApplyChangeParts(ctx, head, func(put func(training.ChangeSet) error) error {
		return parts(func(p training.ChangeSet) error {
			c.parts++
			if c.parts == 2 {
				c.cancel()
			}
			return put(p)
		})
	})
}

// TestImportCancelledMidwayChangesNothing: an import stopped after some of
// its parts were written leaves the store as it was, and logs the attempt.
func TestImportCancelledMidwayChangesNothing(t *testing.T) {
	st := openBolt(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	cm := &cancelMidway{Store: st, cancel: cancel}
	rep, err := importBytes(ctx, cm, partsRoster(t))
	if !errors.Is(err, context.Canceled) || rep.Outcome != training.OutcomeFailed {
		t.Fatalf("import: %v, outcome %s", err, rep.Outcome)
	}
	if cm.parts < 2 {
		t.Fatalf("the import was cancelled after %d parts, want 2", cm.parts)
	}
	ds, err := st.Dataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if ds.Revision != 0 || len(ds.Officers) != 0 || len(ds.Completions) != 0 {
		t.Errorf("revision %d, %d officers, %d with completions after a cancelled import", ds.Revision, len(ds.Officers), len(ds.Completions))
	}
	imps, err := st.Imports(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(imps) != 1 || imps[0].Outcome != training.OutcomeFailed {
		t.Errorf("import log %+v, want the one failed attempt", imps)
	}
}
