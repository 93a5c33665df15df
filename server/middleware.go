package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
)

// requestID gives every request an ID (kept from a well-formed
// X-Request-ID header, else random), echoed in the response and logs.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = randomHex(8)
		}
		c.Set(web.CtxRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// observe logs one line per request and records metrics. It runs the
// error handler itself so that the logged status is the one sent.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		d := time.Since(start)
		route, status := web.RouteOf(c), c.Response().Status
		s.metrics.observe(c.Request().Method, route, status, d)
		level := slogLevelFor(status)
		s.Log.Log(c.Request().Context(), level, "request",
			"request_id", web.RequestIDOf(c),
			"method", c.Request().Method,
			"route", route,
			"status", status,
			"bytes", c.Response().Size,
			"duration_ms", float64(d.Microseconds())/1000,
			"auth", web.AuthKind(c),
		)
		return nil
	}
}

// recoverPanic turns a panic in a handler into a 500 (logged with the stack).
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		return next(c)
	}
}

// contentSecurityPolicy allows only this origin's scripts, styles and
// images, and no framing.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.CookieSecure {
			// Cookies marked Secure mean the service is reached over HTTPS:
			// tell browsers never to try plain HTTP (where they would be lost).
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if cacheable(c.Path()) {
			return next(c)
		}
		// Everything else may carry personal data (API answers, pages,
		// exports, officer links): no shared or browser cache keeps it.
		// A handler that knows better (an ETag'd page) may set its own.
		h.Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// cacheable reports whether a route's responses hold nothing personal:
// static assets, the API description and health checks.
func cacheable(route string) bool {
	switch route {
	case "/static/*", "/api/v1/openapi.json", "/healthz", "/readyz":
		return true
	}
	return false
}

// uploadRoutes may carry files up to Config.MaxUploadBytes; every other
// request body is limited to smallBodyBytes.
var uploadRoutes = map[string]bool{
	"POST /api/v1/imports": true,
	"POST /api/v1/cli":     true,
	"POST /upload":         true, // the upload page's form (server-web)
	// xAPI statements may carry attachments (multipart/mixed).
	"POST /xapi/statements": true,
	"PUT /xapi/statements":  true,
}

func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body == nil || r.Body == http.NoBody {
			return next(c)
		}
		limit := int64(smallBodyBytes)
		if uploadRoutes[r.Method+" "+c.Path()] {
			// Multipart framing adds a little to the file itself.
			limit = s.cfg.MaxUploadBytes + 64<<10
		}
		if web.CertificateRoutes[r.Method+" "+c.Path()] {
			limit = web.CertificateBodyBytes
		}
		if r.ContentLength > limit {
			return web.ErrTooLarge
		}
		if uploadRoutes[r.Method+" "+c.Path()] {
			// A large file on a slow line needs longer than Timeouts.Read;
			// the deadline still ends a body that trickles forever.
			// (Not supported by test recorders: nothing to extend there.)
			_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(s.cfg.Timeouts.UploadRead))
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// ipExtractor is how the client address (for the login rate limit) is
// found. Without Config.TrustedProxies it is the peer's address, whatever
// headers say: a client cannot choose its address by sending
// X-Forwarded-For. With them, Echo's own extractor walks X-Forwarded-For
// from the right past the trusted proxies to the first untrusted address
// (github.com/labstack/echo/v4 ip.go, ExtractIPFromXFFHeader); Echo's
// defaults trust loopback, link-local and private peers, so all three
// are switched off and only the configured ranges count.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range s.cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and
// CIDR ranges (MUSTER_TRUSTED_PROXIES).
func ParseTrustedProxies(list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for f := range strings.SplitSeq(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			ip := net.ParseIP(f)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxies: %q is not an IP address or CIDR range", f)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not an IP address or CIDR range", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("server: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
