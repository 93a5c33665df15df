package server

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPagesColumnMapping: HR maps the columns of a file Muster does not
// recognise on the upload form, changes one on the preview page and saves
// the choices; a later file with the same columns is read with them and the
// page says so; confirming imports what the preview showed.
func TestPagesColumnMapping(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("hr")
	dir := t.TempDir()
	file := filepath.Join(dir, "extract.csv")
	if err := os.WriteFile(file, []byte("Ref,Person,CSE done\n101,A,01/10/2026\n102,B,02/10/2026\n103,C,03/10/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Unrecognised: the file is kept, and its page says why, lists the
	// headers found with a pick list each, and offers nothing to confirm.
	status, loc, _ := c.upload("/upload", file, map[string]string{"full": "0"})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/upload/imp-") {
		t.Fatalf("unmapped upload: %d %s", status, loc)
	}
	_, body := c.get(loc)
	for _, want := range []string{"No header row was found", "There is a problem", `name="col_field_0"`, `name="col_field_2"`, "CSE done", "You do not need to choose the file again"} {
		if !strings.Contains(body, want) {
			t.Errorf("the kept attempt's page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="confirm"`) {
		t.Error("a file that could not be read offers Confirm")
	}
	// A mapping typed on the form.
	status, loc, _ = c.upload("/upload", file, map[string]string{"full": "0", "map_lines": "Ref=id\nCSE done=course:cse-recognition"})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/upload/imp-") {
		t.Fatalf("mapped upload: %d %s", status, loc)
	}
	_, body = c.get(loc)
	for _, want := range []string{`id="remap-form"`, "your mapping", `name="col_field_1"`, "completion date of CSE recognition"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	// Changed on the preview page (Person is the name) and saved.
	id := strings.TrimPrefix(loc, "/upload/")
	status, loc, _ = c.post("/upload/"+id+"/remap", url.Values{
		"col_header_0": {"Ref"}, "col_field_0": {"id"},
		"col_header_1": {"Person"}, "col_field_1": {"ignore"},
		"col_header_2": {"CSE done"}, "col_field_2": {"course:cse-recognition"},
		"save_mapping": {"Extract"},
	})
	if status != http.StatusSeeOther || loc == "/upload/"+id || !strings.HasPrefix(loc, "/upload/imp-") {
		t.Fatalf("remap: %d %s", status, loc)
	}
	ms, err := f.store.Mappings(context.Background())
	if err != nil || len(ms) != 1 || ms[0].Name != "Extract" || len(ms[0].Rules) != 3 {
		t.Fatalf("saved mappings %+v %v", ms, err)
	}
	if _, err := f.store.Preview(context.Background(), id, webNow); err == nil {
		t.Error("the replaced preview is still kept")
	}
	newID := strings.TrimPrefix(loc, "/upload/")
	if _, loc, _ := c.post("/upload/"+newID+"/confirm", nil); loc != "/" {
		t.Fatalf("confirm went to %s", loc)
	}
	ds, err := f.store.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ds.Completions["103"]); n != 1 {
		t.Errorf("officer 103 has %d completions, want the one from the file", n)
	}
	// A later file with the same columns is read with the saved choices.
	later := filepath.Join(dir, "later.csv")
	if err := os.WriteFile(later, []byte("Ref,Person,CSE done\nZB202,Y,04/10/2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, loc, _ = c.upload("/upload", later, map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("later upload: %d", status)
	}
	if _, body := c.get(loc); !strings.Contains(body, `id="det-mapping">the saved choices “Extract”`) {
		t.Errorf("the preview does not say the saved choices were used")
	}
}
