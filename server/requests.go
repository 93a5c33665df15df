package server

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/training"
)

// certificateRoutes may carry a certificate (training.MaxCertificateBytes)
// in a multipart form; the body is bounded to that and the form's framing
// before a byte is read (bodyLimit).
var certificateRoutes = map[string]bool{
	"POST /me/:token/requests": true,
}

// certificateBodyBytes bounds a request that may carry a certificate.
const certificateBodyBytes = training.MaxCertificateBytes + 64<<10

// officerLinkDays is how long the link in a decision email works.
const officerLinkDays = 30

// newRequests wires the officers' requests use case to this server.
func (s *Server) newRequests() *requests.Service {
	return &requests.Service{Store: s.store, Now: s.now, BaseURL: s.cfg.BaseURL, Log: s.log,
		Dataset: s.live.Dataset, Scope: s.live.Scope,
		OfficerLink: func(id string) string {
			now := s.now()
			return s.cfg.BaseURL + "/me/" + training.SignOfficerLinkAt(s.linkKey, id, now, now.Add(officerLinkDays*24*time.Hour))
		}}
}

// requestsActor names who acts on a request in the audit trail.
func requestsActor(c echo.Context) requests.Actor {
	u, _ := currentUser(c)
	return requests.Actor{Username: u.Username, RequestID: requestIDOf(c)}
}

// readCertificate reads the optional "certificate" part of a multipart
// form whose body bodyLimit has bounded: at most one byte more than
// training.MaxCertificateBytes is kept, so the domain can refuse it by size.
func readCertificate(c echo.Context) (*training.Certificate, error) {
	r := c.Request()
	if !isMultipart(r) {
		return nil, nil
	}
	if err := r.ParseMultipartForm(certificateBodyBytes); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return nil, errTooLarge
		}
		return nil, training.Invalidf("the form could not be read; try again")
	}
	f, h, err := r.FormFile("certificate")
	if err == http.ErrMissingFile {
		return nil, nil
	}
	if err != nil {
		return nil, training.Invalidf("the certificate could not be read; try again")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, training.MaxCertificateBytes+1))
	if err != nil {
		return nil, training.Invalidf("the certificate could not be read; try again")
	}
	if len(b) == 0 {
		return nil, nil
	}
	return &training.Certificate{Name: h.Filename, Data: b}, nil
}

// certificateDownload sends a certificate as an attachment, never inline,
// with its sniffed type and nosniff, so that a browser never renders it
// in Muster's origin.
func certificateDownload(c echo.Context, cert training.Certificate) error {
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	return attachment(c, cert.Name, cert.Type, cert.Data)
}

// openRequestCount is the count shown by the Requests link (0 on error:
// the navigation never fails a page).
func (s *Server) openRequestCount(ctx context.Context, u training.User) int {
	n, err := s.requests.OpenCount(ctx, u)
	if err != nil {
		s.log.Warn("requests: open count", "err", err)
		return 0
	}
	return n
}

// withRequests adds the Requests link, with the count of open requests
// the user may decide, before Help, for the roles that decide.
func withRequests(nav []navLink, u training.User, open int, current string) []navLink {
	if u.Role != training.RoleManager && !u.Role.SeesWholeForce() {
		return nav
	}
	label := "Requests"
	if open > 0 {
		label += " (" + formatCount(open) + " open)"
	}
	l := navLink{Href: "/requests", Label: label, Current: current == "/requests"}
	for i, n := range nav {
		if n.Href == "/help" {
			return append(nav[:i:i], append([]navLink{l}, nav[i:]...)...)
		}
	}
	return append(nav, l)
}
