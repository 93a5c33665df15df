package redis

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Real Redis servers for the tests: one shared single server and one
// shared 3-master Cluster, started on first use on free loopback ports
// with their files in a temporary directory, and stopped by TestMain.
// Tests that need their own server (restart) start one with startRedis.

// TestMain stops the shared servers after the tests, and runs the
// killed-import helper when the test binary is re-executed as one.
func TestMain(m *testing.M) {
	if os.Getenv(killedApplyEnv) != "" {
		killedApplyHelper()
		return
	}
	// go-redis prints every failed dial to stderr; the tests that stop
	// Redis check the store's own errors instead.
	RouteDriverLog(slog.New(slog.DiscardHandler))
	code := m.Run()
	shared.stop()
	os.Exit(code)
}

// need skips a test when a real component is missing, or fails it when
// MUSTER_TEST_REQUIRE=1 (CI).
func need(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("MUSTER_TEST_REQUIRE") == "1" {
		t.Fatalf("%s (MUSTER_TEST_REQUIRE=1, so this is a failure, not a skip)", why)
	}
	t.Skipf("%s; install redis-server (Debian: apt-get install redis-server) to run this test", why)
}

// redisBinaries returns the paths of redis-server and redis-cli.
func redisBinaries(t testing.TB) (server, cli string) {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	if err != nil {
		need(t, "redis-server is not installed")
	}
	cli, err = exec.LookPath("redis-cli")
	if err != nil {
		need(t, "redis-cli is not installed")
	}
	return server, cli
}

// redisServer is one redis-server process.
type redisServer struct {
	bin  string
	port int
	dir  string
	args []string
	conf string // config file, for a sentinel
	cmd  *exec.Cmd
	log  *os.File
}

func (r *redisServer) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(r.port)) }

// start runs the server and waits until it answers PING.
func (r *redisServer) start() error {
	args := append([]string{"--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--daemonize", "no", "--protected-mode", "no"}, r.args...)
	if r.conf != "" { // a config file must come first
		args = append([]string{r.conf}, args...)
	}
	logf, err := os.OpenFile(filepath.Join(r.dir, "redis.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	r.log = logf
	r.cmd = exec.Command(r.bin, args...)
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := r.cmd.Start(); err != nil {
		return err
	}
	pw := ""
	for i, a := range r.args {
		if a == "--requirepass" && i+1 < len(r.args) {
			pw = r.args[i+1]
		}
	}
	c := goredis.NewClient(&goredis.Options{Addr: r.addr(), Password: pw, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	for range 200 {
		if c.Ping(context.Background()).Err() == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.stop()
	out, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
	return fmt.Errorf("redis-server on port %d did not start:\n%s", r.port, out)
}

// stop shuts the server down (SIGTERM: it writes its AOF) and waits.
func (r *redisServer) stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		r.cmd.Process.Kill()
		<-done
	}
	r.cmd = nil
	if r.log != nil {
		r.log.Close()
	}
}

// freePort returns a loopback port that is free, and whose Cluster bus
// port (+10000) is free too.
func freePort() (int, error) {
	for range 100 {
		p := 20000 + rand.IntN(30000)
		ok := true
		for _, q := range []int{p, p + 10000} {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(q)))
			if err != nil {
				ok = false
				break
			}
			l.Close()
		}
		if ok {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free port pair found")
}

// startRedis starts a private server for one test, stopped at its end.
func startRedis(t testing.TB, args ...string) *redisServer {
	t.Helper()
	bin, _ := redisBinaries(t)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	r := &redisServer{bin: bin, port: port, dir: t.TempDir(), args: args}
	if err := r.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.stop)
	return r
}

// sharedServers holds the servers several tests use.
type sharedServers struct {
	mu         sync.Mutex
	dir        string
	single     *redisServer
	singleErr  error
	cluster    []*redisServer
	clusterErr error
	started    map[string]bool
}

var shared = &sharedServers{started: map[string]bool{}}

func (s *sharedServers) tempDir() (string, error) {
	if s.dir == "" {
		d, err := os.MkdirTemp("", "muster-redis-test-")
		if err != nil {
			return "", err
		}
		s.dir = d
	}
	return s.dir, nil
}

// singleURL returns the URL of the shared single server.
func singleURL(t testing.TB) string {
	t.Helper()
	bin, _ := redisBinaries(t)
	s := shared
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started["single"] {
		s.started["single"] = true
		s.singleErr = func() error {
			dir, err := s.tempDir()
			if err != nil {
				return err
			}
			port, err := freePort()
			if err != nil {
				return err
			}
			d := filepath.Join(dir, "single")
			if err := os.MkdirAll(d, 0o700); err != nil {
				return err
			}
			s.single = &redisServer{bin: bin, port: port, dir: d, args: []string{"--save", "", "--appendonly", "no"}}
			return s.single.start()
		}()
	}
	if s.singleErr != nil {
		t.Fatal(s.singleErr)
	}
	return "redis://" + s.single.addr()
}

// clusterURL returns the URL of the shared 3-master Cluster.
func clusterURL(t testing.TB) string {
	t.Helper()
	bin, cli := redisBinaries(t)
	s := shared
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started["cluster"] {
		s.started["cluster"] = true
		s.clusterErr = s.startCluster(bin, cli)
	}
	if s.clusterErr != nil {
		t.Fatal(s.clusterErr)
	}
	var addrs []string
	for _, n := range s.cluster {
		addrs = append(addrs, n.addr())
	}
	return "redis-cluster://" + strings.Join(addrs, ",")
}

func (s *sharedServers) startCluster(bin, cli string) error {
	dir, err := s.tempDir()
	if err != nil {
		return err
	}
	var addrs []string
	for i := range 3 {
		port, err := freePort()
		if err != nil {
			return err
		}
		d := filepath.Join(dir, fmt.Sprintf("cluster-%d", i))
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		n := &redisServer{bin: bin, port: port, dir: d, args: []string{"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(d, "nodes.conf"), "--cluster-node-timeout", "5000",
			"--save", "", "--appendonly", "no"}}
		if err := n.start(); err != nil {
			return err
		}
		s.cluster = append(s.cluster, n)
		addrs = append(addrs, n.addr())
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("redis-cli --cluster create: %v\n%s", err, out)
	}
	// Wait until every node agrees that all slots are served.
	for _, a := range addrs {
		c := goredis.NewClient(&goredis.Options{Addr: a})
		ok := false
		for range 200 {
			info, err := c.ClusterInfo(context.Background()).Result()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				ok = true
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		c.Close()
		if !ok {
			return fmt.Errorf("cluster node %s never reached cluster_state:ok", a)
		}
	}
	return nil
}

func (s *sharedServers) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.single != nil {
		s.single.stop()
	}
	for _, n := range s.cluster {
		n.stop()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

// prefixes gives each test store its own key prefix on a shared server,
// which also exercises two deployments sharing one Redis.
var prefixes struct {
	mu sync.Mutex
	n  int
}

func nextPrefix() string {
	prefixes.mu.Lock()
	defer prefixes.mu.Unlock()
	prefixes.n++
	return fmt.Sprintf("t%d-%d", os.Getpid(), prefixes.n)
}

func itoa(n int) string { return strconv.Itoa(n) }
