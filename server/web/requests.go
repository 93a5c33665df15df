package web

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
)

// CertificateRoutes may carry a certificate (training.MaxCertificateBytes)
// in a multipart form; the body is bounded to that and the form's framing
// before a byte is read (bodyLimit).
var CertificateRoutes = map[string]bool{
	"POST /me/:token/requests": true,
}

// CertificateBodyBytes bounds a request that may carry a certificate.
const CertificateBodyBytes = training.MaxCertificateBytes + 64<<10

// ReadCertificate reads the optional "certificate" part of a multipart
// form whose body bodyLimit has bounded: at most one byte more than
// training.MaxCertificateBytes is kept, so the domain can refuse it by size.
func ReadCertificate(c echo.Context) (*training.Certificate, error) {
	r := c.Request()
	if !IsMultipart(r) {
		return nil, nil
	}
	if err := r.ParseMultipartForm(CertificateBodyBytes); err != nil {
		if _, ok := err.(*http.MaxBytesError); ok {
			return nil, ErrTooLarge
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

// CertificateDownload sends a certificate as an attachment, never inline,
// with its sniffed type and nosniff, so that a browser never renders it
// in Muster's origin.
func CertificateDownload(c echo.Context, cert training.Certificate) error {
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	return Attachment(c, cert.Name, cert.Type, cert.Data)
}
