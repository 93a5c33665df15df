package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/muster-police/muster/internal/registers"
)

// TestRegistersCLI: add previews without --yes and saves nothing; with
// --yes the figures move; withdraw restores them exactly; list shows it.
func TestRegistersCLI(t *testing.T) {
	c := newCLI(t)
	c.importSamples()
	before := c.must("report", "--as-of", "2026-11-24", "--format", "json")
	var pending []struct {
		Officer struct {
			ID string `json:"id"`
		} `json:"officer"`
	}
	if err := json.Unmarshal([]byte(c.must("officers", "list", "--as-of", "2026-11-24", "--status", "overdue", "--course", "trauma-informed-communication", "--format", "json")), &pending); err != nil || len(pending) < 2 {
		t.Fatalf("overdue people: %v %d", err, len(pending))
	}
	ids := pending[0].Officer.ID + "," + pending[1].Officer.ID
	args := []string{"registers", "add", "--course", "TIC", "--date", "2026-11-20", "--place", "Room 4", ids, "NO-SUCH"}
	out := c.must(args...)
	if !strings.Contains(out, "unknown ID") || !strings.Contains(out, "nothing saved") {
		t.Errorf("preview:\n%s", out)
	}
	if c.must("report", "--as-of", "2026-11-24", "--format", "json") != before {
		t.Fatal("the preview changed the figures")
	}
	out = c.must(append(args, "--yes")...)
	if !strings.Contains(out, "2 completions added") {
		t.Errorf("save:\n%s", out)
	}
	if c.must("report", "--as-of", "2026-11-24", "--format", "json") == before {
		t.Fatal("the register did not change the figures")
	}
	var list []registers.Entry
	if err := json.Unmarshal([]byte(c.must("registers", "list", "--format", "json")), &list); err != nil || len(list) != 1 {
		t.Fatalf("list: %v %+v", err, list)
	}
	c.must("registers", "withdraw", list[0].ID)
	if after := c.must("report", "--as-of", "2026-11-24", "--format", "json"); after != before {
		t.Error("the figures after the withdrawal differ from before")
	}
	if code, _, _ := c.run("registers", "withdraw", list[0].ID); code == exitOK {
		t.Error("a second withdrawal succeeded")
	}
}
