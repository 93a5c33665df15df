package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// addHRUser adds a second HR account with a session.
func (e *testEnv) addHRUser(name string) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.st.CreateUser(ctx, training.User{Username: name, Role: training.RoleHR, PasswordHash: testHash(), Created: testNow}); err != nil {
		e.t.Fatal(err)
	}
	id, csrf := web.RandomToken(), web.RandomToken()
	if err := e.st.CreateSession(ctx, training.Session{IDHash: web.SHA256Hex(id), Username: name, CSRFToken: csrf,
		Created: testNow, Expires: testNow.Add(sessionIdle)}); err != nil {
		e.t.Fatal(err)
	}
	e.cookies[name], e.csrf[name] = id, csrf
}

// TestPreviewBoundToUploader: the finding 5. Another HR user
// cannot confirm, remap or cancel someone's preview (403, the preview
// kept); an admin cannot confirm or remap it either but may cancel it,
// and that is audited; the uploader can.
func TestPreviewBoundToUploader(t *testing.T) {
	e := newTestEnv(t)
	e.addHRUser("hr2")
	preview := func() string {
		body, ctype := rosterCSV(e, "hr")
		rec := e.do(req{method: "POST", path: "/api/v1/imports", as: "hr", body: body, ctype: ctype})
		if rec.Code != 200 {
			t.Fatalf("preview: %d %s", rec.Code, rec.Body)
		}
		return decode[importers.Report](t, rec).ImportID
	}
	id := preview()
	for _, tc := range []struct {
		name, as, method, path string
		want                   int
	}{
		{"another HR user confirms (API)", "hr2", "POST", "/api/v1/imports/" + id + "/confirm", 403},
		{"another HR user confirms (web)", "hr2", "POST", "/upload/" + id + "/confirm", 403},
		{"another HR user remaps", "hr2", "POST", "/upload/" + id + "/remap", 403},
		{"another HR user cancels", "hr2", "POST", "/upload/" + id + "/cancel", 403},
		{"an admin confirms", "admin", "POST", "/api/v1/imports/" + id + "/confirm", 403},
		{"an admin remaps", "admin", "POST", "/upload/" + id + "/remap", 403},
	} {
		rec := e.do(req{method: tc.method, path: tc.path, as: tc.as, ctype: "application/x-www-form-urlencoded"})
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, rec.Code, tc.want)
		}
		if _, err := e.st.Preview(t.Context(), id, testNow); err != nil {
			t.Fatalf("%s: the preview is gone: %v", tc.name, err)
		}
	}
	// The page shows others no confirm or remap controls; an admin gets
	// the cancel button.
	for as, wantCancel := range map[string]bool{"hr2": false, "admin": true} {
		page := e.do(req{method: "GET", path: "/upload/" + id, as: as}).Body.String()
		if strings.Contains(page, `id="confirm"`) || strings.Contains(page, `id="remap-form"`) || strings.Contains(page, `id="cancel"`) != wantCancel {
			t.Errorf("%s sees hr's preview with the wrong controls", as)
		}
	}
	if page := e.do(req{method: "GET", path: "/upload/" + id, as: "hr"}).Body.String(); !strings.Contains(page, `id="remap-form"`) {
		t.Errorf("the uploader has no remap form")
	}
	// The admin cancels it: done, and audited with whose it was.
	if rec := e.do(req{method: "POST", path: "/upload/" + id + "/cancel", as: "admin"}); rec.Code != http.StatusSeeOther {
		t.Fatalf("an admin cancels: %d", rec.Code)
	}
	if _, err := e.st.Preview(t.Context(), id, testNow); err == nil {
		t.Fatal("the preview is still kept after the admin cancelled it")
	}
	page, err := e.st.Audit(t.Context(), training.AuditQuery{Action: training.AuditPreviewCanceled, Actor: "admin"})
	if err != nil || len(page.Events) != 1 || page.Events[0].Detail != "uploaded by hr" || page.Events[0].Outcome != training.AuditOK {
		t.Fatalf("the admin's cancel in the audit trail: %+v %v", page.Events, err)
	}
	// The uploader confirms their own.
	id = preview()
	if rec := e.do(req{method: "POST", path: "/api/v1/imports/" + id + "/confirm", as: "hr"}); rec.Code != 201 {
		t.Fatalf("the uploader confirms: %d %s", rec.Code, rec.Body)
	}
}
