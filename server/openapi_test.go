package server

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes: every registered /api/v1 route is in the
// served document, and every documented operation is a registered route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := newTestEnv(t)
	rec := e.do(req{method: "GET", path: "/api/v1/openapi.json"})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	doc := decode[struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}](t, rec)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	registered := map[string]bool{}
	for _, r := range e.s.echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || strings.HasSuffix(r.Path, "/*") {
			continue
		}
		key := r.Method + " " + param.ReplaceAllString(strings.TrimPrefix(r.Path, "/api/v1"), "{$1}")
		registered[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for key := range documented {
		if !registered[key] {
			t.Errorf("openapi.json documents %s, which is not a route", key)
		}
	}
	if len(registered) < 30 {
		t.Errorf("only %d API routes registered", len(registered))
	}
	// Every $ref names a schema the document defines.
	var full struct {
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &full); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`"\$ref": "#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(rec.Body.String(), -1)
	if len(refs) < 50 {
		t.Errorf("only %d $refs found", len(refs))
	}
	for _, m := range refs {
		if _, ok := full.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to undefined schema %s", m[1])
		}
	}
}
