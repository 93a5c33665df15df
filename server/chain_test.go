package server

import "testing"

// TestChainOnEveryAnswer: routes composed at registration (chain.go) and
// the answers Echo gives itself (no route, wrong method, OPTIONS) all go
// through the global chain: request ID, security headers, authentication.
func TestChainOnEveryAnswer(t *testing.T) {
	e := newTestEnv(t)
	for _, r := range []req{
		{method: "GET", path: "/api/v1/courses", as: "hr"},
		{method: "GET", path: "/api/v1/compliance"},              // 401 from the role guard
		{method: "GET", path: "/api/v1/nothing", as: "hr"},       // 404
		{method: "GET", path: "/no/such/page"},                   // 404
		{method: "DELETE", path: "/api/v1/compliance", as: "hr"}, // 405
		{method: "OPTIONS", path: "/api/v1/compliance"},          // Echo's OPTIONS answer
		{method: "GET", path: "/static/nope.css"},
	} {
		r.header = map[string]string{"X-Request-ID": "chain-1"}
		rec := e.do(r)
		h := rec.Header()
		if h.Get("X-Request-Id") != "chain-1" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Content-Security-Policy") == "" {
			t.Errorf("%s %s (%d): request ID %q, nosniff %q, frame %q, CSP %q", r.method, r.path, rec.Code,
				h.Get("X-Request-Id"), h.Get("X-Content-Type-Options"), h.Get("X-Frame-Options"), h.Get("Content-Security-Policy"))
		}
	}
	if rec := e.do(req{method: "GET", path: "/api/v1/compliance"}); rec.Code != 401 {
		t.Errorf("compliance without credentials: %d, want 401", rec.Code)
	}
}
