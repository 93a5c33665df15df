package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourcesDir holds the known-source fixtures (importers/sourcegen).
var sourcesDir = filepath.Join("importers", "testdata", "sources")

// TestImportKnownSourceCLI: the command names the recognised source, says
// why each column was mapped, and takes a Moodle report's course from the
// file name.
func TestImportKnownSourceCLI(t *testing.T) {
	c := newCLI(t)
	c.must("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	out := squash(c.must("import", "--dry-run", filepath.Join(sourcesDir, "completion-cse-20261102_0930-comma_separated.csv")))
	for _, want := range []string{
		"source Moodle course completion report",
		"course cse-recognition",
		`A ID -> (ignored) — Moodle course completion report: Moodle's internal user id`,
		"C ID number -> id — Moodle course completion report",
		`named by the file name "completion-cse-20261102_0930-comma_separated.csv"`,
		`status "(blank)"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Without ID number the report says what to ask Moodle's administrator.
	code, _, errOut := c.run("import", filepath.Join(sourcesDir, "completion-cse-20261102_0932-comma_separated.csv"))
	if code != exitFail || !strings.Contains(errOut, `without the "ID number" column`) {
		t.Errorf("no ID number: exit %d: %s", code, errOut)
	}
}

// TestImportMappingCLI: --map reads a file nobody recognises, --save-mapping
// keeps the choice, a later file with the same headers is read with it,
// mappings list shows it and mappings delete forgets it.
func TestImportMappingCLI(t *testing.T) {
	c := newCLI(t)
	c.must("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	dir := t.TempDir()
	first := filepath.Join(dir, "extract-oct.csv")
	later := filepath.Join(dir, "extract-nov.csv")
	if err := os.WriteFile(first, []byte("Ref,CSE done\n0016885,01/10/2026\n0114039,02/10/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(later, []byte("Ref,CSE done\n0200020,03/10/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := c.run("import", first)
	if code != exitFail || !strings.Contains(errOut, "No header row was found") {
		t.Fatalf("unmapped: exit %d: %s", code, errOut)
	}
	out := squash(c.must("import", "--map", "Ref=id", "--map", "CSE done=course:cse-recognition", "--save-mapping", "LMS extract", first))
	if !strings.Contains(out, "Ref -> id — your mapping") || !strings.Contains(out, `Saved the column mapping "LMS extract"`) || !strings.Contains(out, "completions recorded 2") {
		t.Errorf("mapped import:\n%s", out)
	}
	out = squash(c.must("import", later))
	if !strings.Contains(out, `mapping the saved mapping "LMS extract"`) || !strings.Contains(out, "completions recorded 1") {
		t.Errorf("later file:\n%s", out)
	}
	out = c.must("mappings", "list")
	if !strings.Contains(out, "LMS extract (saved by") || !strings.Contains(out, "CSE done -> course:cse-recognition") {
		t.Errorf("mappings list:\n%s", out)
	}
	code, _, errOut = c.run("import", "--map", "Ref=warrant", first)
	if code != exitFail || !strings.Contains(errOut, `"warrant" is not something a column can hold`) {
		t.Errorf("bad --map: exit %d: %s", code, errOut)
	}
	c.must("mappings", "delete", "LMS extract")
	if code, _, errOut := c.run("mappings", "delete", "LMS extract"); code != exitFail || !strings.Contains(errOut, "not found") {
		t.Errorf("deleting twice: exit %d: %s", code, errOut)
	}
}

// squash folds runs of white space, so that checks do not depend on column widths.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
