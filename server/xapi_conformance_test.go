package server

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/testenv"
)

var updateConformance = flag.Bool("update-conformance", false, "rewrite testdata/xapi/conformance-1.0.3.txt from this run")

// conformanceResult is one leaf test of the suite's run log.
type conformanceResult struct {
	section, title, status, err string
}

// TestXAPIConformanceSuite runs ADL's LRS conformance suite (xAPI 1.0.3,
// server/testdata/lrs-conformance, Node) against Muster with HTTP Basic
// and an API token, as an LRS client would. Muster is a statements-only
// endpoint: testdata/xapi/conformance-1.0.3.txt lists the tests expected
// to fail, grouped by the reason (docs/xapi.md); any other failure fails
// here, and a listed test that passes is reported so the list can shrink.
func TestXAPIConformanceSuite(t *testing.T) {
	suite := filepath.Join("testdata", "lrs-conformance")
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Need(t, "node is not installed", "apt-get install -y nodejs npm")
	}
	if _, err := os.Stat(filepath.Join(suite, "node_modules", "mocha")); err != nil {
		testenv.Need(t, "the conformance suite's dependencies are not installed", "cd server/testdata/lrs-conformance && npm ci")
	}
	e := newTestEnv(t, func(c *Config) { c.Clock = time.Now })
	srv := httptest.NewServer(e.s.Handler())
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "bin/console_runner.js", "-x", "1.0.3", "-e", srv.URL+"/xapi",
		"-a", "-u", "hr", "-p", e.bearer["token"])
	cmd.Dir = suite
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`Full run log written to (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("the suite wrote no run log (%v):\n%s", err, clip(string(out)))
	}
	logPath := string(m[1])
	defer os.Remove(logPath)
	results, summary := readConformanceLog(t, logPath)
	t.Logf("conformance suite: %s", summary)

	expectFile := filepath.Join("testdata", "xapi", "conformance-1.0.3.txt")
	if *updateConformance {
		writeConformanceList(t, expectFile, results, summary)
		return
	}
	expected := readConformanceList(t, expectFile)
	for _, r := range results {
		key := r.section + " | " + r.title
		switch _, listed := expected[key]; {
		case r.status != "passed" && !listed:
			t.Errorf("failed, and not a listed exception: %s\n    %s", key, r.err)
		case r.status == "passed" && listed:
			t.Logf("passes now, though listed as an exception: %s", key)
		}
	}
	if len(results) < 1300 {
		t.Errorf("the suite ran %d tests; expected about 1,360", len(results))
	}
}

func readConformanceLog(t *testing.T, path string) ([]conformanceResult, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Summary map[string]any `json:"summary"`
		Log     node           `json:"log"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("run log: %v", err)
	}
	var out []conformanceResult
	var walk func(n node, path []string)
	walk = func(n node, path []string) {
		if len(n.Tests) == 0 && n.Status != "" {
			section := ""
			if len(path) > 1 {
				section = path[1]
			}
			msg, _ := n.Error.(string)
			msg, _, _ = strings.Cut(msg, "\n")
			out = append(out, conformanceResult{section, strings.TrimSpace(n.Title), n.Status, msg})
		}
		for _, k := range n.Tests {
			walk(k, append(slices.Clone(path), n.Title))
		}
	}
	walk(doc.Log, nil)
	return out, fmt.Sprint(doc.Summary)
}

type node struct {
	Title  string `json:"title"`
	Status string `json:"status"`
	Error  any    `json:"error"`
	Tests  []node `json:"tests"`
}

// readConformanceList reads the expected failures: "section | title"
// lines; lines starting with # are reasons and comments.
func readConformanceList(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	return out
}

func writeConformanceList(t *testing.T, path string, results []conformanceResult, summary string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# ADL's LRS conformance suite (xAPI 1.0.3) against Muster: the tests expected to fail.\n")
	b.WriteString("# Written by: go test ./server -run TestXAPIConformanceSuite -update-conformance\n")
	b.WriteString("# Last run: " + summary + "\n# Why each section does not apply: docs/xapi.md (\"Conformance run\").\n")
	last := ""
	for _, r := range results {
		if r.status == "passed" {
			continue
		}
		if r.section != last {
			b.WriteString("\n# " + r.section + "\n")
			last = r.section
		}
		b.WriteString(r.section + " | " + r.title + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
