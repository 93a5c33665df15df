package web

import "net/http"

// Header values shared by every response. http.Header.Set canonicalises
// its key (a new string when the key is not already canonical, such as
// echo's "X-Request-ID") and allocates a one-string slice on every call;
// on the force-wide JSON's path those small allocations were a sixth of
// the objects a request made, and every allocation brings the next scan
// of the 150,000-person model closer. A Header is a plain map
// (net/http's header.go: "type Header map[string][]string"), so a
// response may hold one of these slices under its canonical key:
//
//	h[HeaderCacheControl] = NoStore
//
// NEVER modify one of these slices in place (h[k][0] = …, or through a
// slice taken from a response's header): every later response would
// carry the change. Replacing the value (Set, Del, another assignment) is
// safe, and so is Add (append on a slice whose length is its capacity
// copies it). TestSharedHeaderValues checks the keys are canonical and the
// values unchanged after the route table has served requests.
var (
	NoStore            = []string{"no-store"}
	PrivateNoStore     = []string{"private, no-store"}
	VaryAcceptEncoding = []string{"Accept-Encoding"}
	ContentEncodingFor = map[string][]string{encGzip: {encGzip}, encZstd: {encZstd}}
	JSONContentType    = []string{"application/json"}
)

// Canonical header keys of the shared values (http.CanonicalHeaderKey of
// each; a map key that is not canonical would be missed by Get and sent
// as written).
const (
	HeaderCacheControl    = "Cache-Control"
	HeaderVary            = "Vary"
	HeaderContentEncoding = "Content-Encoding"
	HeaderContentType     = "Content-Type"
	HeaderContentLength   = "Content-Length"
	HeaderXRequestID      = "X-Request-Id"
)

// SetShared puts a shared value (see above) under a canonical key.
func SetShared(h http.Header, key string, v []string) { h[key] = v }
