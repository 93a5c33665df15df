package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

const newJoinerCSV = "Officer ID,Name,Unit,Email\nA9,Nina Newjoiner,Alpha / Team 1,nina@police.test\n"

func upload(e *testEnv, as string, fields map[string]string, name, content string) *httptest.ResponseRecorder {
	b, ct := multipartBody(e.t, "file", fields, map[string]string{name: content})
	return e.do(req{method: "POST", path: "/api/v1/imports", as: as, body: b, ctype: ct})
}

func TestImportPreviewThenConfirm(t *testing.T) {
	e := newTestEnv(t)
	rec := upload(e, "hr", map[string]string{"dry_run": "true"}, "new.csv", newJoinerCSV)
	if rec.Code != 200 {
		t.Fatalf("preview: %d %s", rec.Code, rec.Body)
	}
	preview := decode[importers.Report](t, rec)
	if !preview.DryRun || preview.Summary.Added != 1 || preview.ImportID == "" {
		t.Fatalf("preview %s", clip(rec.Body.String()))
	}
	if _, err := e.st.Officer(context.Background(), "A9"); err == nil {
		t.Fatal("a dry run wrote the officer")
	}
	// The preview can be read back and its errors downloaded.
	if rec := e.do(req{method: "GET", path: "/api/v1/imports/" + preview.ImportID, as: "admin"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nina Newjoiner") {
		t.Fatalf("preview report: %d %s", rec.Code, clip(rec.Body.String()))
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/imports/" + preview.ImportID + "/errors.xlsx", as: "hr"}); rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "PK") {
		t.Fatalf("errors workbook: %d", rec.Code)
	}
	rec = e.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "hr"})
	if rec.Code != 201 {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	applied := decode[importers.Report](t, rec)
	if applied.Outcome != training.OutcomeApplied || applied.DryRun || applied.FileHash != preview.FileHash {
		t.Fatalf("applied %s", clip(rec.Body.String()))
	}
	if _, err := e.st.Officer(context.Background(), "A9"); err != nil {
		t.Fatalf("confirmed officer: %v", err)
	}
	// A preview is used once.
	if rec := e.do(req{method: "POST", path: "/api/v1/imports/" + preview.ImportID + "/confirm", as: "hr"}); rec.Code != 404 {
		t.Fatalf("second confirm: %d", rec.Code)
	}
	// The logged import is listed (without its report) and readable.
	rec = e.do(req{method: "GET", path: "/api/v1/imports?limit=10", as: "hr"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), applied.ImportID) || strings.Contains(rec.Body.String(), "Nina") {
		t.Fatalf("list: %s", clip(rec.Body.String()))
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/imports/" + applied.ImportID, as: "hr"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nina") {
		t.Fatalf("logged report: %d %s", rec.Code, clip(rec.Body.String()))
	}
	// The same file again changes nothing.
	rec = upload(e, "hr", nil, "again.csv", newJoinerCSV)
	if got := decode[importers.Report](t, rec); rec.Code != 200 || got.Outcome != training.OutcomeNoChange {
		t.Fatalf("re-import: %d %s", rec.Code, clip(rec.Body.String()))
	}
	// The cached compliance report sees the new officer.
	rec = e.do(req{method: "GET", path: "/api/v1/officers?q=nina", as: "mgr-a"})
	if !strings.Contains(rec.Body.String(), `"total":1`) {
		t.Fatalf("manager search after import: %s", clip(rec.Body.String()))
	}
}

func TestImportErrors(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.MaxUploadBytes = 4096 })
	tests := []struct {
		name    string
		fields  map[string]string
		file    string
		content string
		want    int
	}{
		{"not a roster", nil, "notes.csv", "hello\nworld\n", 400},
		{"binary", nil, "x.xlsx", "PK\x03\x04 not really a zip", 400},
		{"bad option", map[string]string{"full": "perhaps"}, "new.csv", newJoinerCSV, 400},
		{"too large", nil, "big.csv", "Officer ID,Name,Unit\n" + strings.Repeat("A1,Someone,Alpha\n", 400), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := upload(e, "hr", tt.fields, tt.file, tt.content)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, clip(rec.Body.String()))
			}
			checkErrorShape(t, rec)
			if strings.Contains(rec.Body.String(), "importers:") {
				t.Fatalf("internal detail shown: %s", rec.Body)
			}
		})
	}
	if rec := e.do(req{method: "POST", path: "/api/v1/imports", as: "hr", body: strings.NewReader("x"), ctype: "text/plain"}); rec.Code != 400 {
		t.Fatalf("no multipart: %d", rec.Code)
	}
}
