// Package xapi reads xAPI statements (ADL's Experience API 1.0.3 and
// IEEE 9274.1.1, "xAPI 2.0"): it checks the version header, takes a
// request body apart (application/json or multipart/mixed with
// attachments), validates every statement by the specification's rules
// and returns training.Statement records. It is files in, records out:
// what a statement means is training's business (training.StatementMatcher),
// and where the rules come from is docs/xapi.md.
package xapi

import (
	"strings"

	"github.com/muster-police/muster/training"
)

// VersionHeader is the header every xAPI request and response carries.
const VersionHeader = "X-Experience-API-Version"

// Versions are the versions Muster speaks, newest patch of each; /about
// lists them.
var Versions = []string{"1.0.3", "2.0.0"}

// CheckVersion checks a request's X-Experience-API-Version header (1.0.3
// Communication 3.3: accept 1.0 and 1.0.x, reject a missing header and
// anything else with 400) and returns the version to answer with.
func CheckVersion(h string) (string, error) {
	h = strings.TrimSpace(h)
	switch {
	case h == "":
		return Versions[0], training.Invalidf("the %s header is missing; send 1.0.3 or 2.0.0", VersionHeader)
	case h == "1.0" || strings.HasPrefix(h, "1.0.") && isNumber(h[4:]):
		return Versions[0], nil
	case h == "2.0" || strings.HasPrefix(h, "2.0.") && isNumber(h[4:]):
		return Versions[1], nil
	}
	return Versions[0], training.Invalidf("%s %q is not supported; Muster speaks 1.0.x and 2.0.x", VersionHeader, h)
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
