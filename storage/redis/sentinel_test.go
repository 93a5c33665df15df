package redis

import (
	"strconv"
	"testing"

	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/storage/storagetest"
	"github.com/muster-police/muster/training"
)

// TestStoreSentinel runs the conformance suite through a Sentinel: a
// master and one sentinel watching it, reached with a redis-sentinel://
// URL, so that the Sentinel form of MUSTER_REDIS_URL is known to work.
func TestStoreSentinel(t *testing.T) {
	master := startRedis(t, "--save", "", "--appendonly", "no", "--requirepass", "master-pw", "--masterauth", "master-pw")
	sentinel := redistest.StartSentinel(t, master)
	port := strconv.Itoa(sentinel.Port)
	url := "redis-sentinel://:master-pw@127.0.0.1:" + port + "/mymaster/0"
	storagetest.Run(t, func(t *testing.T) training.Store {
		s := openTest(t, url, nextPrefix())
		if d := s.Describe(); d != "redis-sentinel 127.0.0.1:"+port+" master mymaster db 0" {
			t.Fatalf("Describe() = %q", d)
		}
		return s
	})
}

// TestStoreTLS runs the conformance suite over TLS (rediss://) against a
// TLS-only redis-server whose certificate a private CA signed, and checks
// that without that CA the certificate is refused.
func TestStoreTLS(t *testing.T) {
	srv, caFile := redistest.StartTLS(t)
	url := "rediss://127.0.0.1:" + strconv.Itoa(srv.Port)
	if _, err := Open(t.Context(), url, Options{}); err == nil {
		t.Fatal("a server certificate from an unknown CA was accepted")
	}
	// The client's TLS record layer runs in the test binary, which -race
	// slows several times over; beside the other packages' race runs on
	// two cores, LargeApply's reply outlasted the 400 ms default read
	// timeout (seen in .ci/run), so this run allows 10 s.
	storagetest.Run(t, func(t *testing.T) training.Store {
		return openTest(t, url+"?tls_ca_file="+caFile+"&read_timeout=10s", nextPrefix())
	})
}
