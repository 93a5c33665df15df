package main

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
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

// startRedisServer starts a throw-away redis-server on a free loopback
// port, or skips (fails under MUSTER_TEST_REQUIRE=1) when there is none.
func startRedisServer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("MUSTER_TEST_REQUIRE") == "1" {
			t.Fatal("redis-server is not installed (MUSTER_TEST_REQUIRE=1, so this is a failure)")
		}
		t.Skip("redis-server is not installed; install Debian's redis-server to run this test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for i := 0; ; i++ {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
			return addr
		}
		if i == 500 {
			t.Fatalf("redis-server did not start on %s: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
