package training

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// linkDomain separates officer-link signatures from anything else signed
// with the same secret (CSRF tokens, for example).
const linkDomain = "muster/officer-link/v1\x00"

// linkKeyDomain separates the derivation of a deployment's link key.
const linkKeyDomain = "muster/officer-link-key/v1\x00"

// LinkKey is the key that signs one deployment's officer links: secret
// itself for the default deployment (scope ""), else HMAC(secret, scope).
// Forces sharing a secret on one Redis under different prefixes get
// different keys, so a link of force A never opens force B's officer of
// the same ID.
func LinkKey(secret []byte, scope string) []byte {
	if scope == "" {
		return secret
	}
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(linkKeyDomain))
	h.Write([]byte(scope))
	return h.Sum(nil)
}

// OfficerLink is what a verified link says.
type OfficerLink struct {
	OfficerID string
	// Issued is when the link was signed; zero for links signed before
	// links carried it (they fall to any revocation of the officer's links).
	Issued time.Time
}

// SignOfficerLink returns a link token naming officerID, valid until
// expires, without an issue time. Prefer SignOfficerLinkAt, whose links
// survive a revocation made before they were issued.
func SignOfficerLink(key []byte, officerID string, expires time.Time) string {
	return signLink(key, strconv.FormatInt(expires.Unix(), 10)+":"+officerID)
}

// SignOfficerLinkAt returns an opaque URL-safe token naming officerID,
// issued at issued and valid until expires. The token is
// base64url("2:" issued ":" expiry ":" officerID) "." base64url(HMAC-SHA256).
func SignOfficerLinkAt(key []byte, officerID string, issued, expires time.Time) string {
	return signLink(key, "2:"+strconv.FormatInt(issued.Unix(), 10)+":"+strconv.FormatInt(expires.Unix(), 10)+":"+officerID)
}

func signLink(key []byte, payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(linkMAC(key, payload))
}

// VerifyOfficerLink returns the officer ID, or ErrForbidden (bad signature, expired).
func VerifyOfficerLink(key []byte, token string, now time.Time) (string, error) {
	l, err := ParseOfficerLink(key, token, now)
	return l.OfficerID, err
}

// ParseOfficerLink verifies a link token and returns what it says, or
// ErrForbidden (bad signature, expired).
func ParseOfficerLink(key []byte, token string, now time.Time) (OfficerLink, error) {
	invalid := Forbiddenf("the link is not valid")
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return OfficerLink{}, invalid
	}
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || len(key) == 0 {
		return OfficerLink{}, invalid
	}
	// Compare the signature before looking at the payload, in constant time.
	if !hmac.Equal(mac, linkMAC(key, string(payload))) {
		return OfficerLink{}, invalid
	}
	rest := string(payload)
	var issued time.Time
	if v2, ok := strings.CutPrefix(rest, "2:"); ok {
		is, r, ok := strings.Cut(v2, ":")
		unix, err := strconv.ParseInt(is, 10, 64)
		if !ok || err != nil {
			return OfficerLink{}, invalid
		}
		issued, rest = time.Unix(unix, 0), r
	}
	exp, id, ok := strings.Cut(rest, ":")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || id == "" {
		return OfficerLink{}, invalid
	}
	if !now.Before(time.Unix(unix, 0)) {
		return OfficerLink{}, Forbiddenf("the link has expired; ask for a new one")
	}
	return OfficerLink{OfficerID: id, Issued: issued}, nil
}

func linkMAC(key []byte, payload string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(linkDomain))
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// LinksRevokedSetting is the store setting (JobStore.Setting) holding when
// an officer's links were last revoked, as Unix seconds: links issued at
// or before it no longer open.
func LinksRevokedSetting(officerID string) string { return "officer-links-revoked:" + officerID }

// LinkRevoked reports whether a link issued at issued falls to a
// revocation recorded as setting (LinksRevokedSetting's value, "" for none).
func LinkRevoked(issued time.Time, setting string) bool {
	if setting == "" {
		return false
	}
	at, err := strconv.ParseInt(setting, 10, 64)
	return err != nil || issued.Unix() <= at
}
