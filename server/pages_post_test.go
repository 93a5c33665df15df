package server

import (
	"context"
	"encoding/json"
	"net/http"
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
	// The file is kept with the attempt (nobody chooses it again): its page
	// says how to name the ID column and offers the pick list for it.
	status, loc, _ = c.upload("/upload", noID, map[string]string{"full": "0"})
	if status != http.StatusSeeOther {
		t.Fatalf("upload of a file without an ID column: %d", status)
	}
	_, body = c.get(loc)
	if !strings.Contains(body, "Emp Ref=id") || !strings.Contains(body, "--map") || !strings.Contains(body, `<option value="id"`) {
		t.Errorf("the refusal does not say how to name the ID column, or offers no pick list:\n%s", body)
	}
}
