package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/muster-police/muster/training"
)

// samplesDir holds a copy of ../shared/samples, so the test runs from a
// fresh clone alone.
const samplesDir = "testdata/samples"

// fixedNow is the day the samples were exported and the expected figures
// computed: imports date their "completed, no date" cells and first-seen
// dates by it.
var fixedNow = time.Date(2026, 11, 24, 9, 0, 0, 0, training.London)

// cli runs the muster command in-process against one data directory.
type cli struct {
	t   *testing.T
	env map[string]string
	now func() time.Time
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	return &cli{t: t, env: map[string]string{"MUSTER_DATA_DIR": filepath.Join(t.TempDir(), "data")}, now: func() time.Time { return fixedNow }}
}

// run runs one command and returns its exit code, stdout and stderr.
func (c *cli) run(args ...string) (int, string, string) {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, system{getenv: func(k string) string { return c.env[k] }, stdout: &stdout, stderr: &stderr, now: c.now})
	return code, stdout.String(), stderr.String()
}

// must runs a command that must succeed.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != exitOK {
		c.t.Fatalf("muster %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// importSamples imports the four sample files in the order of their README.
func (c *cli) importSamples() {
	c.t.Helper()
	for _, args := range [][]string{
		{"import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx")},
		{"import", filepath.Join(samplesDir, "2_lms_export.csv")},
		{"import", filepath.Join(samplesDir, "3_legacy_export.csv")},
		{"import", "--full", filepath.Join(samplesDir, "4_roster_full_next_month.xlsx")},
	} {
		c.must(args...)
	}
}

// flatten turns a report into path -> course -> counts, the shape of
// expected-2026-11-24.json.
func flatten(n *training.ReportNode, out map[string]map[string]map[string]any) {
	m := map[string]map[string]any{}
	for _, c := range n.Courses {
		var pct any
		if c.Percent != nil {
			pct = c.Percent.Float()
		}
		m[c.Course] = map[string]any{"required": float64(c.Required), "compliant": float64(c.Compliant), "overdue": float64(c.Overdue),
			"due_soon": float64(c.DueSoon), "outstanding": float64(c.Outstanding), "exempt": float64(c.Exempt), "percent": pct}
	}
	out[n.Unit] = m
	for _, u := range n.Units {
		flatten(u, out)
	}
}

// TestSamplesAcceptance is the samples' acceptance test through the real
// command: import the samples, then `report --as-of 2026-11-24 --format
// json` must give exactly the expected figures for every unit and course.
func TestSamplesAcceptance(t *testing.T) {
	acceptance(t, newCLI(t))
}

// acceptance imports the samples with c and checks the report.
func acceptance(t *testing.T, c *cli) {
	t.Helper()
	c.importSamples()
	out := c.must("report", "--as-of", "2026-11-24", "--format", "json")

	var r training.Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("report JSON does not match the contract: %v\n%s", err, out)
	}
	if r.AsOf.String() != "2026-11-24" || r.Unit != "" {
		t.Errorf("as_of %q unit %q", r.AsOf, r.Unit)
	}
	got := map[string]map[string]map[string]any{}
	flatten(&r.ReportNode, got)

	b, err := os.ReadFile(filepath.Join(samplesDir, "expected-2026-11-24.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]map[string]map[string]any
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for path, courses := range want {
		for course, counts := range courses {
			g := got[path][course]
			if g == nil {
				t.Errorf("%q %s: missing from the report", path, course)
				continue
			}
			for k, v := range counts {
				if fmt.Sprint(g[k]) != fmt.Sprint(v) {
					t.Errorf("%q %s %s = %v, want %v", path, course, k, g[k], v)
				}
			}
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("unexpected unit %q in the report", path)
		}
	}

	// The raw JSON keeps percent with one decimal and null for nothing required.
	if !strings.Contains(out, `"percent": 38.1`) {
		t.Errorf("percent not encoded as in COMPLIANCE.md:\n%.400s", out)
	}

	// --unit roots the report there.
	out = c.must("report", "--as-of", "2026-11-24", "--format", "json", "--unit", "Frontline Policing/Central West")
	var sub training.Report
	if err := json.Unmarshal([]byte(out), &sub); err != nil {
		t.Fatal(err)
	}
	if sub.Unit != "Frontline Policing / Central West" || len(sub.Units) == 0 || sub.Courses[0].Required != 52 {
		t.Errorf("--unit report: unit %q, %d children, required %d", sub.Unit, len(sub.Units), sub.Courses[0].Required)
	}

	// Re-importing a file changes nothing, says so, and exits non-zero.
	code, stdout, stderr := c.run("import", filepath.Join(samplesDir, "2_lms_export.csv"))
	if code != exitFail || !strings.Contains(stdout, "No change") {
		t.Errorf("re-import: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestImportOutput checks what import prints: detection, mapping, counts
// and located errors.
func TestImportOutput(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("import", "--dry-run", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	if code != exitOK {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		`sheet       "Roster"`,
		"header row  4",
		"layout      A roster with a column per course",
		"Employee ID",
		"-> id",
		"-> completion of cse-recognition",
		"-> (ignored)  — no field uses this header",
		"— a usual header for the officer ID",
		"Rows (",
		"Would change (dry run, nothing saved):",
		"officers added",
		"rows rejected",
		"cells in error",
		"Errors (",
		"sheet Roster, row 33, column CSE awareness (date) (M), value \"15/13/2024\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	// A dry run saved nothing.
	out = c.must("report", "--as-of", "2026-11-24", "--format", "json")
	if !strings.Contains(out, `"required": 0`) {
		t.Errorf("dry run changed the store:\n%.300s", out)
	}

	// The 20% guard: a full roster that drops most officers is refused
	// without --yes and applied with it.
	c.must("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	small := filepath.Join(t.TempDir(), "small.csv")
	if err := os.WriteFile(small, []byte("Warrant No,Name,Unit\n1,A Person,X / Y\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = c.run("import", "--full", small)
	if code != exitFail || !strings.Contains(errOut, "--yes") {
		t.Errorf("guard: exit %d, stderr %q\n%s", code, errOut, out)
	}
	c.must("import", "--full", "--confirm", small) // --confirm: the same as --yes

	c.env["USER"] = "hr.tester"
	code, out, _ = c.run("import", "--format", "json", "--dry-run", filepath.Join(samplesDir, "2_lms_export.csv"))
	var rep map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &rep) != nil || rep["detection"] == nil || rep["by"] != "cli:hr.tester" {
		t.Errorf("--format json: exit %d, by %v\n%.300s", code, rep["by"], out)
	}
}

// TestErrors: bad input gives exactly one plain line on stderr and a
// non-zero exit, never a stack trace.
func TestErrors(t *testing.T) {
	c := newCLI(t)
	c.must("import", "--full", filepath.Join(samplesDir, "1_roster_full.xlsx"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, exitUsage, "Usage:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `muster: unknown command "frobnicate"`},
		{"unknown flag", []string{"report", "--colour"}, exitUsage, "muster: report: flag provided but not defined"},
		{"missing file", []string{"import", "nope.xlsx"}, exitFail, "muster: nope.xlsx: no such file"},
		{"no file", []string{"import"}, exitUsage, "muster: import: name one file"},
		{"xls", []string{"import", "testdata/legacy.xls"}, exitFail, "Save As"},
		{"unknown course", []string{"report", "--course", "basket-weaving"}, exitFail, `muster: there is no course with id "basket-weaving"`},
		{"bad date", []string{"report", "--as-of", "24/11/2026"}, exitUsage, `muster: report: --as-of: "24/11/2026" is not a date`},
		{"bad format", []string{"report", "--format", "pdf"}, exitUsage, `--format "pdf"`},
		{"unknown unit", []string{"report", "--unit", "Nowhere"}, exitFail, `muster: there is no unit "Nowhere"`},
		{"unknown officer", []string{"officers", "show", "99999999"}, exitFail, "muster: officer 99999999: "},
		{"bad status", []string{"officers", "list", "--status", "late"}, exitUsage, `--status "late"`},
		{"courses missing", []string{"courses", "apply", "none.yaml"}, exitFail, "muster: none.yaml: no such file"},
		{"bad config", []string{"--log-level", "loud", "report"}, exitUsage, `MUSTER_LOG_LEVEL "loud"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := c.run(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr %q lacks %q", errOut, tt.want)
			}
			if tt.want != "Usage:" && strings.Count(strings.TrimRight(errOut, "\n"), "\n") != 0 {
				t.Errorf("stderr is not one line:\n%s", errOut)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, ".go:") {
				t.Errorf("stderr shows internals:\n%s", errOut)
			}
		})
	}
	// An unreadable file gets its one sentence and nothing else: no empty
	// detection or zero counts on stdout.
	if code, out, _ := c.run("import", "testdata/legacy.xls"); code != exitFail || out != "" {
		t.Errorf("import of an .xls: exit %d, stdout %q, want 1 and nothing", code, out)
	}
	if code, out, _ := c.run("help"); code != exitOK || !strings.Contains(out, "report") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
	if code, out, _ := c.run("version"); code != exitOK || !strings.HasPrefix(out, "muster ") {
		t.Errorf("version: exit %d %q", code, out)
	}
	if code, out, _ := c.run("report", "-h"); code != exitOK || !strings.Contains(out, "--as-of") && !strings.Contains(out, "-as-of") {
		t.Errorf("report -h: exit %d\n%s", code, out)
	}
}

// TestSecretsNotPrinted: config dump, %v, %+v, %#v and slog never show a secret.
func TestSecretsNotPrinted(t *testing.T) {
	c := newCLI(t)
	secrets := map[string]string{
		"MUSTER_SECRET":         "s3cret-signing-key-0123456789",
		"MUSTER_ADMIN_PASSWORD": "hunter2-admin-pass",
		"MUSTER_SMTP_PASSWORD":  "smtp-pass-xyzzy",
		"MUSTER_REDIS_URL":      "redis://muster:redis-pass-plugh@127.0.0.1:6399/2",
	}
	for k, v := range secrets {
		c.env[k] = v
	}
	c.env["MUSTER_SMTP_HOST"] = "smtp.example.org"
	c.env["MUSTER_SMTP_FROM"] = "training@example.org"
	code, out, errOut := c.run("config")
	if code != exitOK {
		t.Fatalf("config: exit %d: %s", code, errOut)
	}
	cfg := defaultConfig()
	if err := cfg.fromEnv(func(k string) string { return c.env[k] }); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("start", "config", cfg)
	jsonCfg, _ := json.Marshal(cfg)
	dumps := map[string]string{
		"config command": out,
		"%v":             fmt.Sprintf("%v", cfg),
		"%+v":            fmt.Sprintf("%+v", cfg),
		"%#v":            fmt.Sprintf("%#v", cfg),
		"slog":           logged.String(),
		"json":           string(jsonCfg),
	}
	for name, dump := range dumps {
		for _, pw := range []string{"s3cret-signing-key", "hunter2", "smtp-pass-xyzzy", "redis-pass-plugh"} {
			if strings.Contains(dump, pw) {
				t.Errorf("%s shows a secret:\n%s", name, dump)
			}
		}
	}
	for _, want := range []string{"MUSTER_SECRET [redacted]", "redis://muster:xxxxx@127.0.0.1:6399/2", "smtp.example.org"} {
		if !strings.Contains(squash(out), want) {
			t.Errorf("config output lacks %q:\n%s", want, out)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string // "" = valid
	}{
		{nil, ""},
		{map[string]string{"MUSTER_SMTP_TLS": "ssl"}, "MUSTER_SMTP_TLS"},
		{map[string]string{"MUSTER_SMTP_PORT": "99999"}, "MUSTER_SMTP_PORT"},
		{map[string]string{"MUSTER_SMTP_PORT": "twenty"}, "MUSTER_SMTP_PORT"},
		{map[string]string{"MUSTER_SMTP_HOST": "smtp.example.org"}, "MUSTER_SMTP_FROM"},
		{map[string]string{"MUSTER_MAX_UPLOAD_MB": "0"}, "MUSTER_MAX_UPLOAD_MB"},
		{map[string]string{"MUSTER_SECRET": "short"}, "MUSTER_SECRET"},
		{map[string]string{"MUSTER_BASE_URL": "muster.example.org"}, "MUSTER_BASE_URL"},
		{map[string]string{"MUSTER_SCHEDULE_REMINDERS": "every morning"}, "MUSTER_SCHEDULE_REMINDERS"},
		{map[string]string{"MUSTER_SCHEDULE_DIGESTS": "off"}, ""},
		{map[string]string{"MUSTER_COOKIE_SECURE": "yes please"}, "MUSTER_COOKIE_SECURE"},
		{map[string]string{"MUSTER_SMTP_MAX_PER_MINUTE": "-1"}, "MUSTER_SMTP_MAX_PER_MINUTE"},
		{map[string]string{"MUSTER_SMTP_MAX_PER_MINUTE": "60", "MUSTER_SMTP_MAX_PER_DAY": "30"}, "per-day limit"},
		{map[string]string{"MUSTER_SMTP_CONNECTIONS": "40"}, "MUSTER_SMTP_CONNECTIONS"},
		{map[string]string{"MUSTER_SMTP_MAX_PER_MINUTE": "30", "MUSTER_SMTP_MAX_PER_DAY": "10000", "MUSTER_SMTP_CONNECTIONS": "3"}, ""},
		{map[string]string{"MUSTER_LOG_LEVEL": "debug", "MUSTER_BASE_URL": "https://muster.example.org"}, ""},
	}
	for _, tt := range tests {
		cfg := defaultConfig()
		err := cfg.fromEnv(func(k string) string { return tt.env[k] })
		if err == nil {
			err = cfg.Validate()
		}
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", tt.env, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: error %v, want one naming %s", tt.env, err, tt.want)
		}
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"redis://localhost:6379/0", "redis://localhost:6379/0"},
		{"redis://:pw@localhost:6379", "redis://:xxxxx@localhost:6379"},
		{"rediss://user:p%40ss@h:6380/1", "rediss://user:xxxxx@h:6380/1"},
		{"redis://u:pw@h1:7000,h2:7001?sentinel_password=sp&master_name=m", "redis://u:xxxxx@h1:7000,h2:7001?sentinel_password=xxxxx&master_name=m"},
		{"not a url", "[not a URL]"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCoursesApply(t *testing.T) {
	c := newCLI(t)
	tests := []struct {
		file string
		want string
	}{
		{"bad_date.yaml", `course "first-aid": deadline "2027-02-30" is not a date`},
		{"bad_id.yaml", `course "First Aid": course id "First Aid" must be lower-case`},
		{"negative.yaml", `course "first-aid": valid_for_months must not be negative`},
		{"unknown_field.yaml", "field valid_months not found"},
		{"clash.yaml", `the name "CSE" is already used by course "cse-recognition"`},
		{"no_title.yaml", `course "first-aid" has no title`},
	}
	for _, tt := range tests {
		code, _, errOut := c.run("courses", "apply", filepath.Join("testdata/courses", tt.file))
		if code != exitFail || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d, stderr %q, want one line with %q", tt.file, code, errOut, tt.want)
		}
	}
	out := c.must("courses", "apply", "testdata/courses/good.yaml")
	if !strings.Contains(out, "new      first-aid") || !strings.Contains(out, "1 new, 0 changed, 1 unchanged") {
		t.Errorf("apply output:\n%s", out)
	}
	out = c.must("courses", "apply", "testdata/courses/good.yaml")
	if !strings.Contains(out, "Nothing to change") {
		t.Errorf("second apply:\n%s", out)
	}
	out = c.must("courses", "list", "--format", "json")
	var cs []training.Course
	if err := json.Unmarshal([]byte(out), &cs); err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[1].ID != "first-aid" || cs[1].ValidForMonths != 12 || cs[1].DueWithinDays != 90 || cs[1].Deadline.String() != "2027-01-31" {
		t.Errorf("courses after apply: %+v", cs)
	}
	// The yaml listing round-trips through apply.
	yml := filepath.Join(t.TempDir(), "all.yaml")
	if err := os.WriteFile(yml, []byte(c.must("courses", "list", "--format", "yaml")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := c.must("courses", "apply", yml); !strings.Contains(out, "Nothing to change") {
		t.Errorf("round trip:\n%s", out)
	}
}

func TestReportAndOfficerFormats(t *testing.T) {
	c := newCLI(t)
	c.importSamples()
	dir := t.TempDir()

	table := c.must("report", "--as-of", "2026-11-24")
	for _, want := range []string{"CSE recognition (cse-recognition) as of 2026-11-24", "Whole force", "38.1%", "\n  Frontline Policing ", "\n    Central West "} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%.600s", want, table)
		}
	}
	csvOut := c.must("report", "--as-of", "2026-11-24", "--format", "csv", "--course", "cse-recognition")
	if !strings.HasPrefix(csvOut, `"as_of","unit","depth","course"`) || !strings.Contains(csvOut, `"2026-11-24","","0","cse-recognition","CSE recognition","38.1","302","115","179","5","3","11"`) {
		t.Errorf("csv:\n%.400s", csvOut)
	}

	xlsx := filepath.Join(dir, "report.xlsx")
	c.must("report", "--as-of", "2026-11-24", "--out", xlsx)
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 4 || sheets[0] != "Summary" {
		t.Errorf("sheets %q", sheets)
	}
	if v, _ := f.GetCellValue("Summary", "D4"); v != "302" {
		t.Errorf("Summary!D4 = %q, want 302", v)
	}
	rows, _ := f.GetRows(sheets[2])
	if len(rows) != 2+179 {
		t.Errorf("overdue CSE sheet has %d rows, want 2 + 179", len(rows))
	}
	f.Close()
	if fi, err := os.Stat(xlsx); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v (%v), want 0600", fi.Mode(), err)
	}

	list := c.must("officers", "list", "--as-of", "2026-11-24", "--status", "overdue", "--course", "cse-recognition", "--format", "json")
	var os1 []training.OfficerStatus
	if err := json.Unmarshal([]byte(list), &os1); err != nil {
		t.Fatal(err)
	}
	if len(os1) != 179 {
		t.Errorf("overdue on CSE: %d officers, want 179", len(os1))
	}
	id := os1[0].Officer.ID
	show := c.must("officers", "show", "--as-of", "2026-11-24", id)
	for _, want := range []string{id, "Unit:", "CSE recognition: Overdue — ", "due "} {
		if !strings.Contains(show, want) {
			t.Errorf("officers show lacks %q:\n%s", want, show)
		}
	}
	c.must("officers", "list", "--unit", "Met Operations", "--out", filepath.Join(dir, "o.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "o.csv"))
	if !strings.HasPrefix(string(b), `"officer_id","name"`) {
		t.Errorf("officers csv: %.200s", b)
	}
}

func TestBackup(t *testing.T) {
	c := newCLI(t)
	c.must("courses", "apply", "testdata/courses/good.yaml")
	if fi, err := os.Stat(c.env["MUSTER_DATA_DIR"]); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v (%v), want 0700", fi.Mode(), err)
	}
	dst := filepath.Join(t.TempDir(), "copy.db")
	out := c.must("backup", dst)
	if !strings.Contains(out, "Backed up") {
		t.Errorf("backup: %s", out)
	}
	// The copy is a working store.
	c2 := newCLI(t)
	if err := os.MkdirAll(c2.env["MUSTER_DATA_DIR"], 0o700); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dst)
	if err := os.WriteFile(filepath.Join(c2.env["MUSTER_DATA_DIR"], "muster.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := c2.must("courses", "list"); !strings.Contains(out, "first-aid") {
		t.Errorf("restored store lacks the course:\n%s", out)
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	fs := flagSet("x", "")
	full := fs.Bool("full", false, "")
	sheet := fs.String("sheet", "", "")
	pos, _, ok := parseFlags(fs, []string{"a.xlsx", "--full", "--sheet", "Roster", "--", "-b"}, &bytes.Buffer{}, &bytes.Buffer{})
	if !ok || !*full || *sheet != "Roster" || strings.Join(pos, "|") != "a.xlsx|-b" {
		t.Errorf("pos %q full %v sheet %q ok %v", pos, *full, *sheet, ok)
	}
}

// TestStoreUnavailable: an unreachable Redis is one plain line and exit 1.
func TestStoreUnavailable(t *testing.T) {
	c := newCLI(t)
	c.env["MUSTER_REDIS_URL"] = "redis://127.0.0.1:1/0"
	code, _, stderr := c.run("report")
	if code != exitFail || !strings.HasPrefix(stderr, "muster: ") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	c.env["MUSTER_REDIS_URL"] = "http://127.0.0.1:1"
	if code, _, stderr := c.run("report"); code != exitFail || !strings.Contains(stderr, "unknown scheme") {
		t.Errorf("bad URL: exit %d, stderr %q", code, stderr)
	}
}
