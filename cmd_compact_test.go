package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/storage/bolt"
)

// TestCompactCommand: `muster compact` rewrites the store offline, keeps
// its data, and refuses while another process holds the file.
func TestCompactCommand(t *testing.T) {
	c := newCLI(t)
	c.importSamples()
	before := c.must("report", "--as-of", "2026-11-24", "--format", "json")
	if out := c.must("compact"); !strings.Contains(out, "Compacted") {
		t.Errorf("compact: %s", out)
	}
	if after := c.must("report", "--as-of", "2026-11-24", "--format", "json"); after != before {
		t.Errorf("the report changed after compaction")
	}
	st, err := bolt.Open(filepath.Join(c.env["MUSTER_DATA_DIR"], "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, stderr := c.run("compact")
	if code != exitFail || !strings.Contains(stderr, "in use") {
		t.Errorf("compact while the store is open: exit %d %s", code, stderr)
	}
}
