package sourcegen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/importers/sourcegen"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

var update = flag.Bool("update", false, "rewrite importers/testdata/sources from the sample roster")

// sampleSeed is the seed of the committed fixtures.
const sampleSeed = 1

// sampleOfficers imports testdata/samples/1_roster_full.xlsx into a fresh
// store, as `muster import --full` does on 1 November 2026, and returns its
// active officers.
func sampleOfficers(t *testing.T) []sourcegen.Officer {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "samples", "1_roster_full.xlsx")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, training.London)
	rep, err := importers.Run(context.Background(), st, importers.Source{Name: filepath.Base(path), R: bytes.NewReader(b),
		Size: int64(len(b))}, importers.Options{Full: true, Now: at})
	if err != nil || rep.Outcome != training.OutcomeApplied {
		t.Fatalf("importing the sample roster: %v (%s)", err, rep.Message)
	}
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sourcegen.FromDataset(ds)
}

// TestSampleFixturesAreCurrent regenerates the fixtures committed in
// importers/testdata/sources and fails when they differ; run with -update
// to rewrite them:
//
//	go test ./importers/sourcegen -run TestSampleFixturesAreCurrent -update
func TestSampleFixturesAreCurrent(t *testing.T) {
	fx, err := sourcegen.Generate(t.TempDir(), sourcegen.Input{Officers: sampleOfficers(t), Seed: sampleSeed})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "testdata", "sources")
	expect := map[string]sourcegen.Fixture{}
	for _, f := range fx {
		name := filepath.Base(f.Path)
		got, err := os.ReadFile(f.Path)
		f.Path = name // the temporary directory is not part of the record
		expect[name] = f
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(filepath.Join(dir, name), got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/sources/%s is missing or stale: regenerate with -update", name)
		}
	}
	js, err := json.MarshalIndent(expect, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	js = append(js, '\n')
	jsonPath := filepath.Join(dir, "expectations.json")
	if *update {
		if err := os.WriteFile(jsonPath, js, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want, err := os.ReadFile(jsonPath); err != nil || !bytes.Equal(js, want) {
		t.Error("testdata/sources/expectations.json is missing or stale: regenerate with -update")
	}
}
