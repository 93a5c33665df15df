package jobs_test

import (
	"context"
	"testing"

	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/storage/redis/redistest"
	"github.com/muster-police/muster/training"
)

// newRedis starts a real redis-server for the test (redistest: skipped
// without one, failing under MUSTER_TEST_REQUIRE=1) and opens a store on it.
func newRedis(t testing.TB) training.Store {
	t.Helper()
	return openRedis(t, startRedis(t), "jobs-test")
}

// startRedis runs a private redis-server for the test and returns its URL.
func startRedis(t testing.TB) string {
	t.Helper()
	return "redis://" + redistest.Start(t, "--save", "", "--appendonly", "no").Addr() + "/0"
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
