// Package testenv is the one place that decides what a test does when a
// real component it uses (redis-server, chromium, aiosmtpd, axe-core, the
// sample rosters) is missing: skip with how to install it, or, under
// MUSTER_TEST_REQUIRE=1 as .ci/run sets, fail.
package testenv

import (
	"os"
	"testing"
)

// RequireVar is the environment variable that turns a missing component
// from a skip into a failure.
const RequireVar = "MUSTER_TEST_REQUIRE"

// Required reports whether missing components fail tests (RequireVar=1).
func Required() bool { return os.Getenv(RequireVar) == "1" }

// Need stops t because missing (what is not there) is missing: it fails
// the test under MUSTER_TEST_REQUIRE=1 and otherwise skips it, saying how
// to install the component.
func Need(t testing.TB, missing, install string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s (%s=1, so this is a failure, not a skip); %s", missing, RequireVar, install)
	}
	t.Skipf("%s; %s to run this test", missing, install)
}
