// Package redistest starts real Redis servers for tests: a private
// redis-server, a shared one, a shared 3-master Cluster and a Sentinel,
// on free loopback ports with their files in temporary directories.
// Any package's tests can run against real Redis with it:
//
//	func TestMain(m *testing.M) { os.Exit(redistest.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		st, err := redis.Open(ctx, redistest.URL(t), redis.Options{Prefix: redistest.Prefix()})
//		...
//	}
//
// When redis-server or redis-cli is missing the tests are skipped with a
// message, or fail when MUSTER_TEST_REQUIRE=1 (as in CI).
package redistest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
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

	"github.com/muster-police/muster/internal/testenv"
)

// Main runs the tests and then stops the shared servers; use it as the
// body of TestMain (or call StopShared after m.Run in your own).
func Main(m *testing.M) int {
	code := m.Run()
	StopShared()
	return code
}

// Need skips a test when a real component is missing, or fails it when
// MUSTER_TEST_REQUIRE=1.
func Need(t testing.TB, why string) {
	t.Helper()
	testenv.Need(t, why, "install redis-server (Debian: apt-get install redis-server redis-tools)")
}

// Binaries returns the paths of redis-server and redis-cli.
func Binaries(t testing.TB) (server, cli string) {
	t.Helper()
	server, err := exec.LookPath("redis-server")
	if err != nil {
		Need(t, "redis-server is not installed")
	}
	cli, err = exec.LookPath("redis-cli")
	if err != nil {
		Need(t, "redis-cli is not installed")
	}
	return server, cli
}

// Server is one redis-server process.
type Server struct {
	Port int
	Dir  string

	bin      string
	args     []string
	conf     string // config file, for a sentinel
	password string
	tlsConf  *tls.Config // TLS only: Port is the tls-port, plain TCP is off
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd has exited
	log      *os.File
}

// New is a server to Start outside a test (the load tool, server/load):
// bin is redis-server's path, dir its working directory (the caller
// removes it), args more redis-server arguments. Start picks a free port
// and retries when another process takes it first.
func New(bin, dir string, args ...string) *Server {
	return &Server{bin: bin, Dir: dir, args: args}
}

// Addr is host:port.
func (r *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port)) }

// errPortTaken is a start that lost its port to another process between
// FreePort's check and redis-server's bind.
var errPortTaken = errors.New("port taken")

// Start runs the server and waits until it answers PING. With Port 0 it
// picks a free port, and picks again when another process (a parallel
// test package's redis-server, say) binds it first: Redis cannot pick its
// own port (--port 0 turns TCP off), and the cluster bus and the sentinel
// need TCP, so the window between FreePort and the bind is closed by
// retrying rather than by a unix socket.
func (r *Server) Start() error {
	pick := r.Port == 0
	for attempt := 1; ; attempt++ {
		if pick {
			port, err := FreePort()
			if err != nil {
				return err
			}
			r.Port = port
		}
		err := r.start()
		if err == nil || !pick || !errors.Is(err, errPortTaken) || attempt == 10 {
			return err
		}
	}
}

func (r *Server) start() error {
	args := []string{"--port", strconv.Itoa(r.Port)}
	if r.tlsConf != nil {
		args = []string{"--port", "0", "--tls-port", strconv.Itoa(r.Port)}
	}
	args = append(args, "--bind", "127.0.0.1", "--dir", r.Dir, "--daemonize", "no", "--protected-mode", "no")
	args = append(args, r.args...)
	if r.conf != "" { // a config file must come first
		args = append([]string{r.conf}, args...)
	}
	logPath := filepath.Join(r.Dir, "redis.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	r.log = logf
	r.cmd = exec.Command(r.bin, args...)
	r.cmd.Stdout, r.cmd.Stderr = logf, logf
	// If the test binary dies, so does the server.
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := r.cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	exited := make(chan struct{})
	r.exited = exited
	go func(cmd *exec.Cmd) { cmd.Wait(); close(exited) }(r.cmd)
	failed := func(why string) error {
		r.Stop()
		out, _ := os.ReadFile(logPath)
		if bytes.Contains(out, []byte("Address already in use")) || why == "another server answers on its port" {
			return fmt.Errorf("redis-server on port %d: %w", r.Port, errPortTaken)
		}
		return fmt.Errorf("redis-server on port %d %s:\n%s", r.Port, why, out)
	}
	c := goredis.NewClient(&goredis.Options{Addr: r.Addr(), Password: r.password, TLSConfig: r.tlsConf,
		MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	for range 200 {
		select {
		case <-exited:
			return failed("exited")
		default:
		}
		// The process id tells this server from one that another test
		// package started on the same port a moment earlier.
		if info, err := c.Info(context.Background(), "server").Result(); err == nil {
			if !strings.Contains(info, "process_id:"+strconv.Itoa(r.cmd.Process.Pid)+"\r\n") {
				return failed("another server answers on its port")
			}
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return failed("did not start")
}

// Stop shuts the server down (SIGTERM: it writes its AOF) and waits.
func (r *Server) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		r.cmd.Process.Kill()
		<-r.exited
	}
	r.cmd = nil
	if r.log != nil {
		r.log.Close()
	}
}

// Signal sends sig to the running server (SIGSTOP freezes it).
func (r *Server) Signal(sig os.Signal) error {
	if r.cmd == nil || r.cmd.Process == nil {
		return fmt.Errorf("redis-server on port %d is not running", r.Port)
	}
	return r.cmd.Process.Signal(sig)
}

// FreePort returns a loopback port that is free, and whose Cluster bus
// port (+10000) is free too.
func FreePort() (int, error) {
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

// Start starts a private server with extra redis-server arguments, stopped
// at the end of the test. A "--requirepass PW" argument is used to wait
// for it.
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	bin, _ := Binaries(t)
	r := &Server{bin: bin, Dir: t.TempDir(), args: args}
	for i, a := range args {
		if a == "--requirepass" && i+1 < len(args) {
			r.password = args[i+1]
		}
	}
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

// StartSentinel starts a sentinel watching master (as "mymaster", with
// its password), stopped at the end of the test.
func StartSentinel(t testing.TB, master *Server) *Server {
	t.Helper()
	bin, _ := Binaries(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	// The port comes from --port (Start picks it).
	text := fmt.Sprintf("bind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 %d 1\nsentinel down-after-milliseconds mymaster 5000\n", dir, master.Port)
	if master.password != "" {
		text += "sentinel auth-pass mymaster " + master.password + "\n"
	}
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &Server{bin: bin, Dir: dir, conf: conf, args: []string{"--sentinel"}}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// shared holds the servers several tests use, started on first use.
var shared struct {
	mu         sync.Mutex
	dir        string
	single     *Server
	singleErr  error
	cluster    []*Server
	clusterErr error
	started    map[string]bool
}

func sharedDir() (string, error) {
	if shared.dir == "" {
		d, err := os.MkdirTemp("", "muster-redis-test-")
		if err != nil {
			return "", err
		}
		shared.dir = d
	}
	return shared.dir, nil
}

// URL returns the URL of the shared single server (no password, db 0).
// Give each store its own Prefix.
func URL(t testing.TB) string {
	t.Helper()
	bin, _ := Binaries(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.started == nil {
		shared.started = map[string]bool{}
	}
	if !shared.started["single"] {
		shared.started["single"] = true
		shared.singleErr = func() error {
			dir, err := sharedDir()
			if err != nil {
				return err
			}
			d := filepath.Join(dir, "single")
			if err := os.MkdirAll(d, 0o700); err != nil {
				return err
			}
			shared.single = &Server{bin: bin, Dir: d, args: []string{"--save", "", "--appendonly", "no"}}
			return shared.single.Start()
		}()
	}
	if shared.singleErr != nil {
		t.Fatal(shared.singleErr)
	}
	return "redis://" + shared.single.Addr()
}

// ClusterURL returns the URL of the shared 3-master Cluster.
func ClusterURL(t testing.TB) string {
	t.Helper()
	bin, cli := Binaries(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.started == nil {
		shared.started = map[string]bool{}
	}
	if !shared.started["cluster"] {
		shared.started["cluster"] = true
		shared.clusterErr = startCluster(bin, cli)
	}
	if shared.clusterErr != nil {
		t.Fatal(shared.clusterErr)
	}
	var addrs []string
	for _, n := range shared.cluster {
		addrs = append(addrs, n.Addr())
	}
	return "redis-cluster://" + strings.Join(addrs, ",")
}

func startCluster(bin, cli string) error {
	dir, err := sharedDir()
	if err != nil {
		return err
	}
	var addrs []string
	for i := range 3 {
		d := filepath.Join(dir, fmt.Sprintf("cluster-%d", i))
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		n := &Server{bin: bin, Dir: d, args: []string{"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(d, "nodes.conf"), "--cluster-node-timeout", "5000",
			"--save", "", "--appendonly", "no"}}
		if err := n.Start(); err != nil {
			return err
		}
		shared.cluster = append(shared.cluster, n)
		addrs = append(addrs, n.Addr())
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

// StopShared stops the shared servers and removes their files.
func StopShared() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.single != nil {
		shared.single.Stop()
	}
	for _, n := range shared.cluster {
		n.Stop()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.single, shared.cluster, shared.dir, shared.started = nil, nil, "", nil
}

var prefixes struct {
	mu sync.Mutex
	n  int
}

// Prefix returns a key prefix no other store of this test process uses,
// so that tests sharing a server each start empty.
func Prefix() string {
	prefixes.mu.Lock()
	defer prefixes.mu.Unlock()
	prefixes.n++
	return fmt.Sprintf("t%d-%d", os.Getpid(), prefixes.n)
}
