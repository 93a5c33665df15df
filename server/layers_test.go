package server

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestServerLayers keeps the split of server/ (docs/ARCHITECTURE.md): web
// imports neither api, ui nor server; api and ui import web, never each
// other or server. The compiler refuses only cycles, so a page calling an
// API handler (or the API a page's helper) would otherwise go unnoticed.
func TestServerLayers(t *testing.T) {
	const mod = "github.com/muster-police/muster/server"
	forbidden := map[string][]string{
		"web": {mod, mod + "/api", mod + "/ui"},
		"api": {mod, mod + "/ui"},
		"ui":  {mod, mod + "/api"},
	}
	for dir, banned := range forbidden {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range af.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range banned {
					if path == b {
						t.Errorf("%s imports %s: server/%s must not import it (docs/ARCHITECTURE.md)", f, path, dir)
					}
				}
			}
		}
	}
}
