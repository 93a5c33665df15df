package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Who people are, through the command line: a roster with role, staff
// type and in-post date columns is read, shown, changed in a preview, and
// a file with no ID column is refused with the way to name one, which
// then works.
func TestCLIPostColumns(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("roster.csv", "Warrant No,Name,Unit,Job title,Staff type,Date in post\n"+
		"1001,Ann Able,Frontline / North,Response Officer,Police Officer,01/03/2024\n"+
		"1002,Ben Bold,Frontline / North,Call Handler,Police Staff,15/06/2025\n")
	c.must("import", "--full", first)
	show := c.must("officers", "show", "1001")
	for _, want := range []string{"Role:          Response Officer", "Staff type:    officer", "In post since: 2024-03-01"} {
		if !strings.Contains(show, want) {
			t.Errorf("officers show lacks %q:\n%s", want, show)
		}
	}

	moved := write("roster2.csv", "Warrant No,Name,Unit,Job title,Staff type,Date in post\n"+
		"1001,Ann Able,Frontline / North,Call Handler,Police Staff,02/11/2026\n"+
		"1002,Ben Bold,Frontline / North,Call Handler,Contractor,15/06/2025\n")
	_, out, _ := c.run("import", "--dry-run", "--full", moved)
	for _, want := range []string{"changed post", "Muster does not know \"Contractor\"", "\"Police Officer\""} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}

	noID := write("hr.csv", "Emp Ref,Name,Unit,Staff type\nX9,Cat Calm,Frontline / South,PCSO\n")
	code, out, errOut := c.run("import", noID)
	if code == exitOK || !strings.Contains(out+errOut, `--map "Emp Ref=id"`) {
		t.Fatalf("no-ID file: exit %d, output lacks the --map advice:\n%s%s", code, out, errOut)
	}
	c.must("import", "--map", "Emp Ref=id", noID)
	if show := c.must("officers", "show", "X9"); !strings.Contains(show, "Staff type:    pcso") {
		t.Errorf("officers show X9:\n%s", show)
	}
}
