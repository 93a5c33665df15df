package training

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// linkDomain separates officer-link signatures from anything else signed
// with the same secret (CSRF tokens, for example).
const linkDomain = "muster/officer-link/v1\x00"

// SignOfficerLink returns an opaque URL-safe token naming officerID, valid
// until expires. The token is base64url(expiry ":" officerID) "." base64url(HMAC-SHA256).
func SignOfficerLink(secret []byte, officerID string, expires time.Time) string {
	payload := strconv.FormatInt(expires.Unix(), 10) + ":" + officerID
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(linkMAC(secret, payload))
}

// VerifyOfficerLink returns the officer ID, or ErrForbidden (bad signature, expired).
func VerifyOfficerLink(secret []byte, token string, now time.Time) (string, error) {
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return "", fmt.Errorf("%w: the link is not valid", ErrForbidden)
	}
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || len(secret) == 0 {
		return "", fmt.Errorf("%w: the link is not valid", ErrForbidden)
	}
	// Compare the signature before looking at the payload, in constant time.
	if !hmac.Equal(mac, linkMAC(secret, string(payload))) {
		return "", fmt.Errorf("%w: the link is not valid", ErrForbidden)
	}
	exp, id, ok := strings.Cut(string(payload), ":")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || id == "" {
		return "", fmt.Errorf("%w: the link is not valid", ErrForbidden)
	}
	if !now.Before(time.Unix(unix, 0)) {
		return "", fmt.Errorf("%w: the link has expired; ask for a new one", ErrForbidden)
	}
	return id, nil
}

func linkMAC(secret []byte, payload string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(linkDomain))
	h.Write([]byte(payload))
	return h.Sum(nil)
}
