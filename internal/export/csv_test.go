package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// TestCSVGuardsEveryPiece: however a program splits a line (",", ";",
// tab, "|"), no piece starts a formula, and a CSV reader still gets the
// fields back.
func TestCSVGuardsEveryPiece(t *testing.T) {
	hostile := []string{"Smith;=HYPERLINK(\"http://evil.test\",\"x\")", "a,=1+1", "b\t@SUM(A1)", "c|+1", "line\n-2", "=top", `say "hi"`, "2026-01-05"}
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	if err := w.Write(hostile); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 1 || len(recs[0]) != len(hostile) {
		t.Fatalf("read back: %v %q", err, recs)
	}
	if recs[0][7] != "2026-01-05" || recs[0][6] != `say "hi"` {
		t.Errorf("harmless fields changed: %q", recs[0])
	}
	for _, sep := range []string{",", ";", "\t", "|", "\n"} {
		for _, piece := range strings.Split(out, sep) {
			p := strings.TrimLeft(piece, `"`)
			if p != "" && strings.ContainsRune("=+-@", rune(p[0])) {
				t.Errorf("split on %q, a piece starts a formula: %q", sep, piece)
			}
		}
	}
	if !strings.HasPrefix(out, `"`) || !strings.HasSuffix(out, "\"\n") || !strings.Contains(out, `"2026-01-05"`) {
		t.Errorf("not every field is quoted: %s", out)
	}
}

// TestOfficersCSVSemicolonLocale: the officer export of a name with a
// ";=" inside is safe in a ";" locale (the attack).
func TestOfficersCSVSemicolonLocale(t *testing.T) {
	o := training.Officer{ID: "A1", DisplayID: "A1", Name: "Ann;=HYPERLINK(\"http://evil.test\")", Unit: "North"}
	var buf bytes.Buffer
	if err := OfficersCSV(&buf, []training.OfficerStatus{{Officer: o}}, nil); err != nil {
		t.Fatal(err)
	}
	for _, piece := range strings.Split(buf.String(), ";") {
		if p := strings.TrimLeft(piece, `"`); strings.HasPrefix(p, "=") {
			t.Fatalf("a ';' split starts a formula: %q in %s", piece, buf.String())
		}
	}
}
