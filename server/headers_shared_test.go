package server

import (
	"github.com/muster-police/muster/internal/testenv"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/muster-police/muster/server/web"
)

// TestSharedHeaderValues guards the header values every response shares
// (server/web/headers.go, securityHeaderValues): each is set under its
// canonical key (else Get misses it and it is sent as written), holds
// exactly one value with no spare capacity (so Add on a response copies
// rather than writes into the shared array), and is unchanged after the
// route table has answered pages, API calls, compressed bodies, exports
// and errors: a handler or writer that modified one in place would show
// here, and on every later response.
func TestSharedHeaderValues(t *testing.T) {
	want := map[string][]string{
		"Content-Security-Policy":    {contentSecurityPolicy},
		"X-Content-Type-Options":     {"nosniff"},
		"X-Frame-Options":            {"DENY"},
		"Referrer-Policy":            {"same-origin"},
		"Cross-Origin-Opener-Policy": {"same-origin"},
	}
	shared := map[string][]string{}
	for _, kv := range securityHeaderValues {
		shared[kv.key] = kv.value
	}
	type value struct {
		key  string
		v    []string
		want string
	}
	others := []value{
		{"Strict-Transport-Security", hstsValue, "max-age=31536000"},
		{web.HeaderCacheControl, web.NoStore, "no-store"},
		{web.HeaderCacheControl, web.PrivateNoStore, "private, no-store"},
		{web.HeaderVary, web.VaryAcceptEncoding, "Accept-Encoding"},
		{web.HeaderContentEncoding, web.ContentEncodingFor["gzip"], "gzip"},
		{web.HeaderContentEncoding, web.ContentEncodingFor["zstd"], "zstd"},
		{web.HeaderContentType, web.JSONContentType, "application/json"},
	}
	check := func(when string) {
		t.Helper()
		if len(shared) != len(want) {
			t.Errorf("%s: %d security headers, want %d", when, len(shared), len(want))
		}
		for k, v := range want {
			if !slices.Equal(shared[k], v) || cap(shared[k]) != 1 {
				t.Errorf("%s: %s = %q (cap %d), want %q (cap 1)", when, k, shared[k], cap(shared[k]), v)
			}
		}
		for _, o := range others {
			if len(o.v) != 1 || cap(o.v) != 1 || o.v[0] != o.want {
				t.Errorf("%s: %s's shared value %q (cap %d), want [%q] (cap 1)", when, o.key, o.v, cap(o.v), o.want)
			}
		}
		for _, k := range []string{web.HeaderCacheControl, web.HeaderVary, web.HeaderContentEncoding,
			web.HeaderContentType, web.HeaderContentLength, web.HeaderXRequestID, "Strict-Transport-Security"} {
			if http.CanonicalHeaderKey(k) != k {
				t.Errorf("key %q is not canonical (%q)", k, http.CanonicalHeaderKey(k))
			}
		}
		for k := range shared {
			if http.CanonicalHeaderKey(k) != k {
				t.Errorf("key %q is not canonical (%q)", k, http.CanonicalHeaderKey(k))
			}
		}
	}
	check("before")

	e := newTestEnv(t, func(c *Config) { c.CookieSecure = true })
	gz := map[string]string{"Accept-Encoding": "gzip"}
	for _, r := range []req{
		{method: "GET", path: "/api/v1/compliance", as: "hr", header: gz},
		{method: "GET", path: "/api/v1/compliance", as: "token", header: map[string]string{"Accept-Encoding": "zstd"}},
		{method: "GET", path: "/api/v1/compliance", as: "hr"},
		{method: "GET", path: "/api/v1/officers", as: "hr", header: gz},
		{method: "GET", path: "/", as: "hr", header: gz},
		{method: "GET", path: "/officers", as: "hr", header: gz},
		{method: "GET", path: "/export/officers.csv", as: "hr", header: gz},
		{method: "GET", path: "/static/app.css", header: gz},
		{method: "GET", path: "/api/v1/openapi.json", header: gz},
		{method: "GET", path: "/api/v1/compliance"},              // 401
		{method: "GET", path: "/api/v1/users", as: "manager"},    // 403
		{method: "GET", path: "/no/such/page", as: "hr"},         // 404
		{method: "DELETE", path: "/api/v1/compliance", as: "hr"}, // 405
		{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "abc-123"}},
	} {
		rec := e.do(r)
		h := rec.Header()
		for k, v := range want {
			if !slices.Equal(h[k], v) {
				t.Errorf("%s %s: %s = %q, want %q", r.method, r.path, k, h[k], v)
			}
		}
		if got := h.Values("Strict-Transport-Security"); !slices.Equal(got, []string{"max-age=31536000"}) {
			t.Errorf("%s %s: HSTS %q", r.method, r.path, got)
		}
		if len(h.Values("X-Request-Id")) != 1 {
			t.Errorf("%s %s: X-Request-Id %q", r.method, r.path, h.Values("X-Request-Id"))
		}
		if r.path == "/api/v1/compliance" && rec.Code == 200 {
			if h.Get("Cache-Control") != "private, no-store" || h.Get("Content-Type") != "application/json" ||
				!slices.Equal(h.Values("Vary"), []string{"Accept-Encoding"}) || h.Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("compliance (%s): headers %v", r.header["Accept-Encoding"], h)
			}
			if enc := r.header["Accept-Encoding"]; h.Get("Content-Encoding") != enc {
				t.Errorf("compliance: Content-Encoding %q, want %q", h.Get("Content-Encoding"), enc)
			}
		}
		// What a client (or a later handler) may do with a response's
		// headers must not reach the next response.
		h.Add("Vary", "Cookie")
		h.Add("Cache-Control", "max-age=0")
		h.Add("X-Frame-Options", "SAMEORIGIN")
	}
	if rec := e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "abc-123"}}); rec.Header().Get("X-Request-Id") != "abc-123" {
		t.Errorf("X-Request-ID not echoed: %q", rec.Header().Values("X-Request-Id"))
	}
	check("after")
}

// TestRequestIDLogged: the request's log line carries the ID the response
// echoes (the middleware keeps one value for both).
func TestRequestIDLogged(t *testing.T) {
	var buf testenv.Buffer
	e := newTestEnv(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	for _, id := range []string{"abc-123", ""} {
		rec := e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": id}})
		got := rec.Header().Get("X-Request-Id")
		if got == "" || (id != "" && got != id) {
			t.Fatalf("X-Request-ID %q echoed as %q", id, got)
		}
		if !strings.Contains(buf.String(), `"msg":"request","request_id":"`+got+`"`) {
			t.Errorf("no log line with request_id %q in:\n%s", got, buf.String())
		}
	}
}
