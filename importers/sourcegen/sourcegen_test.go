package sourcegen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// testOfficers is a generated force's active officers.
func testOfficers(t *testing.T, n int) []Officer {
	t.Helper()
	cs := demo.Force(7, n, 12, training.DateFrom(2026, 11, 1))
	var out []Officer
	for _, o := range cs.Officers {
		if o.Leaver {
			continue
		}
		f, s := SplitName(o.Name)
		out = append(out, Officer{ID: o.DisplayID, Surname: s, Forename: f, Email: o.Email, Unit: o.Unit,
			LineManager: o.LineManager, StartDate: o.StartDate})
	}
	return out
}

func generate(t *testing.T, seed uint64) []Fixture {
	t.Helper()
	fx, err := Generate(t.TempDir(), Input{Officers: testOfficers(t, 150), Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return fx
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b, c := generate(t, 42), generate(t, 42), generate(t, 43)
	if len(a) != len(Layouts()) {
		t.Fatalf("%d fixtures, want one per layout (%d)", len(a), len(Layouts()))
	}
	differs := false
	for i := range a {
		if filepath.Base(a[i].Path) != filepath.Base(b[i].Path) {
			t.Errorf("%s: file names differ for one seed: %s, %s", a[i].Layout, a[i].Path, b[i].Path)
		}
		ba, bb, bc := read(t, a[i].Path), read(t, b[i].Path), read(t, c[i].Path)
		if !bytes.Equal(ba, bb) {
			t.Errorf("%s: bytes differ for one seed", a[i].Layout)
		}
		if !reflect.DeepEqual(a[i].Expect, b[i].Expect) {
			t.Errorf("%s: expectations differ for one seed", a[i].Layout)
		}
		differs = differs || !bytes.Equal(ba, bc)
	}
	if !differs {
		t.Error("seeds 42 and 43 gave the same files")
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decode reads a fixture with its declared format, encoding and delimiter.
func decode(t *testing.T, f Fixture) [][]string {
	t.Helper()
	b := read(t, f.Path)
	if f.Format == "xlsx" {
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: not an xlsx: %v", f.Layout, err)
		}
		defer x.Close()
		rows, err := x.GetRows(x.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	switch f.Encoding {
	case EncUTF8:
		if bytes.HasPrefix(b, []byte(utf8BOM)) {
			t.Fatalf("%s: declared UTF-8 without BOM, has a BOM", f.Layout)
		}
	case EncUTF8BOM:
		if !bytes.HasPrefix(b, []byte(utf8BOM)) {
			t.Fatalf("%s: declared UTF-8 with BOM, has none", f.Layout)
		}
		b = b[len(utf8BOM):]
	case EncUTF16LE:
		if !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
			t.Fatalf("%s: declared UTF-16LE, no FF FE BOM", f.Layout)
		}
		var err error
		b, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			t.Fatalf("%s: %v", f.Layout, err)
		}
	default:
		t.Fatalf("%s: unknown encoding %q", f.Layout, f.Encoding)
	}
	if bytes.Contains(b, []byte("\r")) {
		t.Errorf("%s: CR in file; the sources write LF only", f.Layout)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = rune(f.Delimiter[0])
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: does not parse as %q-separated: %v", f.Layout, f.Delimiter, err)
	}
	return recs
}

func TestFilesDecodeWithTheirEncodingAndHeaders(t *testing.T) {
	for _, f := range generate(t, 1) {
		t.Run(f.Layout, func(t *testing.T) {
			rows := decode(t, f)
			if len(rows) < 2 {
				t.Fatalf("%d rows", len(rows))
			}
			if want := Headers(f.Layout); !reflect.DeepEqual(rows[0], want) {
				t.Errorf("header\n got %q\nwant %q", rows[0], want)
			}
			if f.Expect.Refused {
				return
			}
			n := 0
			for _, c := range f.Expect.Rows {
				n += c
			}
			if n != len(rows)-1 {
				t.Errorf("expectation accounts for %d rows, file has %d data rows: %v", n, len(rows)-1, f.Expect.Rows)
			}
		})
	}
}

// TestMoodleTraps checks the traps the importer is tested against are in
// the files: the internal ID beside the ID number, completed activities in
// courses not complete, a BOM-less UTF-16 header whose first cell is empty.
func TestMoodleTraps(t *testing.T) {
	fx := generate(t, 5)
	byLayout := map[string]Fixture{}
	for _, f := range fx {
		byLayout[f.Layout] = f
	}
	rows := decode(t, byLayout["moodle-course-completion-csv"])
	activityOnly := 0
	for _, r := range rows[1:] {
		if r[0] == r[2] {
			t.Errorf("internal ID %q equals ID number", r[0])
		}
		if r[4] == mdlCompleted && r[8] == "" {
			activityOnly++
		}
	}
	if activityOnly == 0 {
		t.Error("no learner has an activity completed without the course")
	}
	raw := read(t, byLayout["moodle-activity-completion-excelcsv"].Path)
	if !bytes.HasPrefix(raw, []byte{0xFF, 0xFE, '\t', 0, '"', 0}) {
		t.Errorf("Excel CSV must start BOM, TAB, quote (empty first header cell): % x", raw[:8])
	}
	if name := filepath.Base(byLayout["moodle-course-completion-excelcsv"].Path); name != "completion-tic-2026-20261102_0931-comma_separated.csv" {
		t.Errorf("file name %q", name)
	}
}

// TestDocQuotesHeaders keeps docs/sources.md and Headers one source of
// truth: every layout has a "headers" block equal to its list.
func TestDocQuotesHeaders(t *testing.T) {
	doc, err := os.Open(filepath.Join("..", "..", "docs", "sources.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	blocks := map[string][]string{}
	var cur string
	var lines []string
	in := false
	sc := bufio.NewScanner(doc)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !in && strings.HasPrefix(line, "```headers "):
			in, cur, lines = true, strings.TrimPrefix(line, "```headers "), []string{}
		case in && line == "```":
			in = false
			blocks[cur] = lines
		case in:
			lines = append(lines, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, l := range Layouts() {
		got, ok := blocks[l]
		if !ok {
			t.Errorf("docs/sources.md has no ```headers %s block", l)
			continue
		}
		if want := Headers(l); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: docs/sources.md quotes\n%q\nthe generator writes\n%q", l, got, want)
		}
		delete(blocks, l)
	}
	for l := range blocks {
		t.Errorf("docs/sources.md has a headers block for %q, which the generator does not write", l)
	}
}

func TestPHPCSVQuotesLikeFputcsv(t *testing.T) {
	got := string(phpCSV([][]string{{"ID", "Course complete", "a,b", `say "hi"`, "", "O'Brien"}}, false))
	want := "ID,\"Course complete\",\"a,b\",\"say \"\"hi\"\"\",,O'Brien\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTooFewOfficersIsAnError(t *testing.T) {
	if _, err := Generate(t.TempDir(), Input{Officers: testOfficers(t, 10)}); err == nil {
		t.Error("no error for 10 officers")
	}
}
