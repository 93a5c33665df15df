package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCoursesEscalateAfterDays: escalate_after_days is read from a
// courses file, shown by courses list (table, json, and the yaml that
// apply reads back), and a value out of range is refused naming the field.
func TestCoursesEscalateAfterDays(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c.must("courses", "apply", "--yes", write("esc.yaml", "courses:\n  - id: cse-recognition\n    title: CSE recognition\n    deadline: 2026-03-31\n    escalate_after_days: 90\n"))
	if out := c.must("courses", "list"); !strings.Contains(out, "escalated after 90 days overdue") {
		t.Errorf("courses list does not say when the course escalates:\n%s", out)
	}
	if out := c.must("courses", "list", "--format", "json"); !strings.Contains(out, `"escalate_after_days": 90`) {
		t.Errorf("json:\n%s", out)
	}
	y := c.must("courses", "list", "--format", "yaml")
	if !strings.Contains(y, "escalate_after_days: 90") {
		t.Errorf("yaml:\n%s", y)
	}
	c.must("courses", "apply", "--yes", write("back.yaml", y))
	if out := c.must("courses", "list", "--format", "json"); !strings.Contains(out, `"escalate_after_days": 90`) {
		t.Errorf("after applying the listed yaml:\n%s", out)
	}
	code, _, errOut := c.run("courses", "apply", "--yes", write("bad.yaml", "courses:\n  - id: cse-recognition\n    title: CSE recognition\n    escalate_after_days: -1\n"))
	if code == exitOK || !strings.Contains(errOut, "escalate_after_days") {
		t.Errorf("a negative escalate_after_days was not refused: exit %d, %s", code, errOut)
	}
}
