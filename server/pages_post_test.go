package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

// An officer's role, staff type and in-post date show on the officer
// page and in the officer JSON of the API.
func TestOfficerPostShown(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	ctx := context.Background()
	rec, err := f.store.Officer(ctx, "103")
	if err != nil {
		t.Fatal(err)
	}
	o := rec.Officer
	o.Role, o.StaffType, o.InPostSince = "Call Handler", training.StaffStaff, training.NewDate(2025, 3, 1)
	rev, err := f.store.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev, Officers: []training.Officer{o},
		Import: training.ImportRecord{ID: "post", Kind: training.ImportAPI, By: "test", At: webNow, Outcome: training.OutcomeApplied}}); err != nil {
		t.Fatal(err)
	}
	hr := f.login("hr")
	_, body := hr.get("/officers/103")
	for _, want := range []string{`<dd id="officer-role">Call Handler</dd>`, `<dd id="officer-staff-type">staff</dd>`, "01/03/2025"} {
		if !strings.Contains(body, want) {
			t.Errorf("/officers/103 lacks %s", want)
		}
	}
	if _, body := hr.get("/officers/102"); strings.Contains(body, "officer-role") {
		t.Error("/officers/102 shows a role it does not have")
	}
	_, body = hr.get("/api/v1/officers/103")
	var got struct {
		Officer struct {
			Role        string `json:"role"`
			StaffType   string `json:"staff_type"`
			InPostSince string `json:"in_post_since"`
		} `json:"officer"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	if got.Officer.Role != "Call Handler" || got.Officer.StaffType != "staff" || got.Officer.InPostSince != "2025-03-01" {
		t.Errorf("API officer %+v in %s", got.Officer, body)
	}
}

// The web preview lists changes of post, and a file without an ID column
// comes back with the way to name one on the upload form.
func TestPagesPreviewPostChanges(t *testing.T) {
	f := newWebFixture(t, false)
	f.seed()
	c := f.login("hr")
	dir := t.TempDir()
	file := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(file, []byte("Warrant No,Name,Job title,Staff type,In post since\n"+
		"103,Alice Able,Call Handler,Police Staff,01/03/2025\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, loc, _ := c.upload("/upload", file, map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("upload: %d", status)
	}
	_, body := c.get(loc)
	for _, want := range []string{`id="post-changes"`, "Changes of post (1)", "— → Call Handler", "— → staff", "— → 01/03/2025"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}

	noID := filepath.Join(dir, "hr.csv")
	if err := os.WriteFile(noID, []byte("Emp Ref,Name,Unit\nX9,Cat Calm,Unit A / Team 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	status, loc, _ = c.upload("/upload", noID, map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("upload without an ID column: %d", status)
	}
	_, body = c.get(loc)
	for _, want := range []string{`--map &#34;Emp Ref=id&#34;`, "choose &#34;officer ID&#34; for it in the list of the headers found", `name="col_field_0"`, "Emp Ref"} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused file's page lacks %q", want)
		}
	}
	if strings.Contains(body, `id="confirm"`) {
		t.Error("a refused file can be confirmed")
	}
	// Choosing the ID in the pick list reads the file.
	status, loc2, _ := c.post(loc+"/remap", url.Values{"col_header_0": {"Emp Ref"}, "col_field_0": {"id"}})
	if status != http.StatusSeeOther || loc2 == loc {
		t.Fatalf("remap: %d %s", status, loc2)
	}
	if _, body = c.get(loc2); !strings.Contains(body, "Cat Calm") {
		t.Errorf("after choosing the ID the preview lacks the new officer:\n%.1500s", body)
	}
}
