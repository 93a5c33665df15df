package web

// Compressed responses. JSON, HTML, CSV, CSS and JS go out as zstd or gzip
// when the client accepts them (Accept-Encoding, RFC 9110 section 12.5.3:
// q-values, "*", identity;q=0); everything else (xlsx is already a zip,
// images) and bodies under minCompressBytes go out as they are. The cached
// reports keep their compressed bytes (encodedBody), so the force-wide
// report is compressed once per revision, not once per request.
//
// Both codings come from github.com/klauspost/compress (read: its zstd
// README on EncodeAll versus the streaming Encoder, and gzip's
// NewWriterLevel/Reset, v1.20): one well-kept library, gzip faster than
// the standard library's at the same ratio, and zstd, which current
// browsers accept, inflates several times faster than gzip at a similar
// size. Brotli (andybalholm/brotli) compresses text a little smaller but
// is far slower to write at useful levels and browsers offer it only over
// HTTPS; zstd serves a LAN service better.

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/muster-police/muster/internal/live"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/labstack/echo/v4"
)

// MinCompressBytes: a smaller body fits in a packet or two as it is, and
// compressing it costs more than it saves.
const MinCompressBytes = 1024

const (
	encZstd = "zstd"
	encGzip = "gzip"
)

// NegotiateEncoding picks the coding for a response from the request's
// Accept-Encoding: "zstd", "gzip" or "" (identity). The client's q-values
// decide; on a tie zstd wins (faster to inflate). A coding not named is
// acceptable only through "*"; identity is chosen when the client ranks it
// above every coding offered.
func NegotiateEncoding(header string) string {
	if header == "" {
		return ""
	}
	// The weights of the names that matter, each the last one given (as a
	// map keyed by name would keep), without a map for every request.
	type weight struct {
		q    float64
		seen bool
	}
	var zst, gz, identity, star weight
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		var at *weight
		switch {
		case strings.EqualFold(name, encZstd):
			at = &zst
		case strings.EqualFold(name, encGzip), strings.EqualFold(name, "x-gzip"):
			at = &gz
		case strings.EqualFold(name, "identity"):
			at = &identity
		case name == "*":
			at = &star
		default:
			continue
		}
		w := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0 // a malformed weight accepts nothing
				}
				w = f
			}
		}
		*at = weight{w, true}
	}
	of := func(w weight) float64 {
		if w.seen {
			return w.q
		}
		return star.q // 0 when absent
	}
	best, bestQ := "", 0.0
	for _, c := range []struct {
		enc string
		w   weight
	}{{encZstd, zst}, {encGzip, gz}} {
		if q := of(c.w); q > bestQ {
			best, bestQ = c.enc, q
		}
	}
	if identity.seen && identity.q > bestQ {
		return ""
	}
	return best
}

// compressible reports whether a Content-Type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch mt {
	case "application/json", "application/problem+json", "text/html", "text/csv", "text/css",
		"text/javascript", "application/javascript", "text/plain", "image/svg+xml":
		return true
	}
	return false
}

// Compressors holds the encoders the service reuses (per Server, not
// package state): streaming writers pooled per coding, and one zstd
// encoder whose EncodeAll is safe for concurrent use (for cached bodies).
type Compressors struct {
	gz, zst sync.Pool
	// kept holds gzip writers at the default level, for the bodies kept
	// compressed (encodedBody): one per cached report entry compressed,
	// not a new writer's ~1 MB of state each time.
	kept sync.Pool
	all  *zstd.Encoder
}

func NewCompressors() *Compressors {
	all, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		panic("server: zstd encoder: " + err.Error()) // only on invalid options
	}
	return &Compressors{all: all}
}

// encoder is a streaming compressor writing to w; release returns it.
type encoder interface {
	io.WriteCloser
	Flush() error
}

// dynamicGzipLevel trades a little size for speed on bodies compressed per
// request (cached bodies use gzip's default level, once).
const dynamicGzipLevel = 5

func (cs *Compressors) writer(enc string, w io.Writer) encoder {
	switch enc {
	case encGzip:
		if z, ok := cs.gz.Get().(*gzip.Writer); ok {
			z.Reset(w)
			return z
		}
		z, _ := gzip.NewWriterLevel(w, dynamicGzipLevel)
		return z
	default:
		if z, ok := cs.zst.Get().(*zstd.Encoder); ok {
			z.Reset(w)
			return z
		}
		z, _ := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(1<<20), zstd.WithLowerEncoderMem(true))
		return z
	}
}

func (cs *Compressors) release(enc string, z encoder) {
	switch enc {
	case encGzip:
		cs.gz.Put(z)
	default:
		cs.zst.Put(z)
	}
}

// encodedBody is an immutable body with its compressed forms, each made
// once on first use and kept as long as the body is (in the report caches).
type encodedBody struct {
	raw     []byte
	gzOnce  sync.Once
	gz      []byte
	zstOnce sync.Once
	zst     []byte

	// lengths: Content-Length's value for each coding (0 raw, 1 gzip,
	// 2 zstd), made once; shared by every response that sends it, so
	// never modified in place (headers.go).
	lenOnce [3]sync.Once
	lens    [3][]string
}

// contentLength is Content-Length's shared value for b, the body in coding enc.
func (body *encodedBody) contentLength(enc string, b []byte) []string {
	i := 0
	switch enc {
	case encGzip:
		i = 1
	case encZstd:
		i = 2
	}
	body.lenOnce[i].Do(func() { body.lens[i] = []string{strconv.Itoa(len(b))} })
	return body.lens[i]
}

// bytesFor returns the body in coding enc ("" for the raw bytes).
func (b *encodedBody) bytesFor(cs *Compressors, enc string) []byte {
	switch enc {
	case encGzip:
		b.gzOnce.Do(func() {
			var buf bytes.Buffer
			z, ok := cs.kept.Get().(*gzip.Writer)
			if ok {
				z.Reset(&buf)
			} else {
				z, _ = gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
			}
			_, _ = z.Write(b.raw) // writes to a bytes.Buffer do not fail
			_ = z.Close()
			cs.kept.Put(z)
			b.gz = buf.Bytes()
		})
		return b.gz
	case encZstd:
		b.zstOnce.Do(func() { b.zst = cs.all.EncodeAll(b.raw, nil) })
		return b.zst
	}
	return b.raw
}

// Encoded is a cached report's JSON with its compressed forms, kept with
// the entry so that it is compressed once per revision and coding.
func Encoded(e *live.Entry) *encodedBody {
	return e.Keep(func(js []byte) any { return &encodedBody{raw: js} }).(*encodedBody)
}

// addVary says that the response depends on Accept-Encoding (once).
func addVary(h http.Header) {
	vs := h[HeaderVary]
	if len(vs) == 0 {
		h[HeaderVary] = VaryAcceptEncoding // shared: headers.go
		return
	}
	for _, v := range vs {
		if strings.Contains(strings.ToLower(v), "accept-encoding") {
			return
		}
	}
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
}

// SendEncoded answers 200 with body in the best coding the client accepts,
// from the body's kept compressed bytes (compressResponses then leaves it
// alone: Content-Encoding is set, or the body is tiny, or the client
// accepts no coding).
func (s *Core) SendEncoded(c echo.Context, contentType string, body *encodedBody) error {
	h := c.Response().Header()
	addVary(h)
	var enc string
	if cw, ok := c.Response().Writer.(*compressWriter); ok {
		enc = cw.enc // negotiated once, by CompressResponses
	} else {
		enc = NegotiateEncoding(c.Request().Header.Get(echo.HeaderAcceptEncoding))
	}
	b, coding := body.raw, ""
	if len(b) >= MinCompressBytes && enc != "" {
		h[HeaderContentEncoding] = ContentEncodingFor[enc] // shared: headers.go
		b, coding = body.bytesFor(s.Compress, enc), enc
	}
	// With its length known the body goes out in one piece, not chunked.
	h[HeaderContentLength] = body.contentLength(coding, b) // shared: headers.go
	if contentType == echo.MIMEApplicationJSON && len(h[HeaderContentType]) == 0 {
		h[HeaderContentType] = JSONContentType // what Blob would set, shared
	}
	return c.Blob(http.StatusOK, contentType, b)
}

// CompressResponses compresses the responses that handlers write as they
// are (pages, CSV, static CSS and JS) when the client accepts it.
func (s *Core) CompressResponses(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodHead {
			return next(c)
		}
		res := c.Response()
		cw := &compressWriter{ResponseWriter: res.Writer, cs: s.Compress,
			enc: NegotiateEncoding(req.Header.Get(echo.HeaderAcceptEncoding))}
		res.Writer = cw
		err := next(c)
		if cerr := cw.finish(); err == nil && cerr != nil {
			err = cerr
		}
		res.Writer = cw.ResponseWriter
		return err
	}
}

// compressWriter decides at the first write whether to compress: a 200
// of a compressible type not already encoded. It holds back the first
// minCompressBytes so that a tiny body goes out as it is.
type compressWriter struct {
	http.ResponseWriter
	cs   *Compressors
	enc  string // what the client accepts best; "" for identity
	code int

	decided bool
	pending bool // compressible: holding buf until it reaches minCompressBytes
	buf     []byte
	z       encoder // when compressing
}

func (w *compressWriter) WriteHeader(code int) {
	if w.decided {
		return
	}
	w.decided, w.code = true, code
	h := w.Header()
	if !compressible(h.Get(echo.HeaderContentType)) {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if h.Get(echo.HeaderContentEncoding) == "" {
		addVary(h)
	}
	if w.enc == "" || code != http.StatusOK || h.Get(echo.HeaderContentEncoding) != "" || h.Get("Content-Range") != "" {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.pending = true
}

func (w *compressWriter) Write(p []byte) (int, error) {
	if !w.decided {
		w.WriteHeader(http.StatusOK)
	}
	if w.z != nil {
		return w.z.Write(p)
	}
	if !w.pending {
		return w.ResponseWriter.Write(p)
	}
	w.buf = append(w.buf, p...)
	if len(w.buf) >= MinCompressBytes {
		if err := w.start(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// start begins compressing: the headers say so and the held bytes go first.
func (w *compressWriter) start() error {
	h := w.Header()
	h.Set(echo.HeaderContentEncoding, w.enc)
	h.Del(echo.HeaderContentLength)
	if et := h.Get("ETag"); et != "" && strings.HasSuffix(et, `"`) {
		// A strong validator names one representation: the compressed
		// bytes are another (as Apache's mod_deflate does).
		h.Set("ETag", strings.TrimSuffix(et, `"`)+"-"+w.enc+`"`)
	}
	w.ResponseWriter.WriteHeader(w.code)
	w.pending = false
	w.z = w.cs.writer(w.enc, w.ResponseWriter)
	buf := w.buf
	w.buf = nil
	_, err := w.z.Write(buf)
	return err
}

// Flush sends what is written so far (a streamed body is compressed from
// its first flush on).
func (w *compressWriter) Flush() {
	if w.pending && len(w.buf) > 0 {
		_ = w.start()
	}
	if w.z != nil {
		_ = w.z.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish ends the body: the compressor's trailer, or the held tiny body as is.
func (w *compressWriter) finish() error {
	switch {
	case w.z != nil:
		err := w.z.Close()
		w.cs.release(w.enc, w.z)
		w.z = nil
		return err
	case w.pending:
		w.pending = false
		w.ResponseWriter.WriteHeader(w.code)
		if len(w.buf) > 0 {
			_, err := w.ResponseWriter.Write(w.buf)
			return err
		}
	}
	return nil
}
