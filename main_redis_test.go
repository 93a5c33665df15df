package main

import (
	"os"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"github.com/muster-police/muster/storage/redis/redistest"
)

// TestSamplesAcceptanceRedis runs the samples acceptance test through the
// command with MUSTER_REDIS_URL set: on an in-process server always, and
// on a real redis-server when one is installed (required in CI).
func TestSamplesAcceptanceRedis(t *testing.T) {
	t.Run("miniredis", func(t *testing.T) {
		m := miniredis.RunT(t)
		samplesOnRedis(t, "redis://"+m.Addr()+"/0")
	})
	t.Run("redis-server", func(t *testing.T) {
		samplesOnRedis(t, "redis://"+startRedisServer(t)+"/0")
	})
}

func samplesOnRedis(t *testing.T, url string) {
	c := newCLI(t)
	c.env["MUSTER_REDIS_URL"] = url
	c.env["MUSTER_REDIS_PREFIX"] = "cli-test"
	acceptance(t, c)
	// Backup is bolt-only and says how to back up Redis instead.
	code, _, stderr := c.run("backup", t.TempDir()+"/x.db")
	if code != exitFail || !strings.Contains(stderr, "BGSAVE") {
		t.Errorf("backup on Redis: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(c.env["MUSTER_DATA_DIR"]); err == nil {
		t.Error("the data directory was created although the store is Redis")
	}
}

// startRedisServer starts a throw-away redis-server (redistest: skipped
// without one, failing under MUSTER_TEST_REQUIRE=1) and returns host:port.
func startRedisServer(t *testing.T) string {
	t.Helper()
	return redistest.Start(t, "--save", "", "--appendonly", "no").Addr()
}
