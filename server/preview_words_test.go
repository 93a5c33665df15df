package server

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPreviewWords: the preview's counts add up with one term per thing,
// a row's problem names the person (ID and name), and the file's
// encoding is not mentioned when nothing was wrong with it.
func TestPreviewWords(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("hr")
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, []byte("\ufeffWarrant No,Name,Unit,CSE recognition\nA1,Ann Alpha,Alpha / Team 1,01/10/2026\nA2,Bea Alpha,Alpha / Team 2,31/02/2026\nZ9,Zed New,Alpha / Team 1,02/10/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, loc, _ := c.upload("/upload", file, map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("upload: %d", status)
	}
	_, body := c.get(loc)
	onRoster := regexp.MustCompile(`id="sum-completions">(\d+)<`).FindStringSubmatch(body)
	listed := regexp.MustCompile(`Completions for people on the roster \((\d+)\)`).FindStringSubmatch(body)
	if onRoster == nil || listed == nil || onRoster[1] != listed[1] {
		t.Errorf("completions for people on the roster: summary %v, list %v", onRoster, listed)
	}
	if !strings.Contains(body, `<td data-label="Person">A2 Bea Alpha</td>`) {
		t.Error("the problem of row 3 does not name the person")
	}
	_, main, _ := strings.Cut(body, "<main")
	for _, jargon := range []string{"utf-8", "delimiter"} {
		if strings.Contains(strings.ToLower(main), jargon) {
			t.Errorf("the preview says %q about a file with nothing wrong in its encoding", jargon)
		}
	}
}
