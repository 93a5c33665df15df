package jobs_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/training"
)

// newRedis starts a real redis-server on a free loopback port for the
// test and opens a store on it. Without redis-server the test is skipped,
// or fails when MUSTER_TEST_REQUIRE=1.
func newRedis(t testing.TB) training.Store {
	t.Helper()
	return openRedis(t, startRedis(t), "jobs-test")
}

// startRedis runs redis-server for the test and returns its URL.
func startRedis(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("MUSTER_TEST_REQUIRE") == "1" {
			t.Fatal("redis-server is not installed (MUSTER_TEST_REQUIRE=1, so this is a failure, not a skip)")
		}
		t.Skip("redis-server is not installed; apt-get install redis-server to run this test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not start: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "redis://" + addr + "/0"
}

func openRedis(t testing.TB, url, prefix string) training.Store {
	t.Helper()
	st, err := redis.Open(context.Background(), url, redis.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
