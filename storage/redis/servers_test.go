package redis

import (
	"log/slog"
	"os"
	"testing"

	"github.com/muster-police/muster/storage/redis/redistest"
)

// TestMain stops the shared Redis servers after the tests, and runs the
// killed-import helper when the test binary is re-executed as one.
func TestMain(m *testing.M) {
	if os.Getenv(killedApplyEnv) != "" {
		killedApplyHelper()
		return
	}
	// go-redis prints every failed dial to stderr; the tests that stop
	// Redis check the store's own errors instead.
	RouteDriverLog(slog.New(slog.DiscardHandler))
	os.Exit(redistest.Main(m))
}

// Short names for the helpers these tests use most.
var (
	singleURL  = redistest.URL
	clusterURL = redistest.ClusterURL
	nextPrefix = redistest.Prefix
	startRedis = redistest.Start
)
