package redis

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/muster-police/muster/storage/storagetest"
	"github.com/muster-police/muster/training"
)

// TestStoreSentinel runs the conformance suite through a Sentinel: a
// master and one sentinel watching it, reached with a redis-sentinel://
// URL, so that the Sentinel form of MUSTER_REDIS_URL is known to work.
func TestStoreSentinel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the Sentinel test")
	}
	master := startRedis(t, "--save", "", "--appendonly", "no", "--requirepass", "master-pw", "--masterauth", "master-pw")
	bin, _ := redisBinaries(t)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 %d 1\nsentinel auth-pass mymaster master-pw\nsentinel down-after-milliseconds mymaster 5000\n", port, dir, master.port)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	sentinel := &redisServer{bin: bin, port: port, dir: dir, conf: conf, args: []string{"--sentinel"}}
	if err := sentinel.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sentinel.stop)

	url := "redis-sentinel://:master-pw@127.0.0.1:" + strconv.Itoa(port) + "/mymaster/0"
	storagetest.Run(t, func(t *testing.T) training.Store {
		s := openTest(t, url, nextPrefix())
		if d := s.Describe(); d != "redis-sentinel 127.0.0.1:"+strconv.Itoa(port)+" master mymaster db 0" {
			t.Fatalf("Describe() = %q", d)
		}
		return s
	})
}
