package redis

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/muster-police/muster/training"
)

// mode says which kind of Redis deployment a URL names.
type mode string

const (
	modeSingle   mode = "single"
	modeSentinel mode = "sentinel"
	modeCluster  mode = "cluster"
)

// Default ports when a URL leaves them out.
const (
	defaultPort         = "6379"
	defaultSentinelPort = "26379"
)

// config is a parsed MUSTER_REDIS_URL. It holds the password, so it is
// never printed: use describe for logs and messages.
type config struct {
	mode             mode
	tls              bool
	addrs            []string // host:port, one for single, seeds otherwise
	username         string
	password         string
	db               int
	masterName       string // sentinel only
	sentinelUsername string
	sentinelPassword string
	dialTimeout      time.Duration
	readTimeout      time.Duration
	writeTimeout     time.Duration
	poolSize         int
	caFile           string // PEM file of the CA that signed the server's certificate
}

// Default timeouts. A frozen Redis (SIGSTOP, a hung VM) still accepts
// TCP connections (the kernel's backlog), so dialling succeeds and every
// command waits its read timeout; go-redis then retries once (MaxRetries)
// after up to 200 ms. With 5 s a request took 10-15 s to fail; with 400 ms
// it fails in about a second and the server answers 503. Muster's
// commands are small (scripts under 30 ms, replies read in chunks of
// 1,000 fields, DESIGN.md), so 400 ms is still a wide margin on a working
// Redis; read_timeout in the URL raises it for a slow link.
const (
	DefaultDialTimeout = time.Second
	DefaultReadTimeout = 400 * time.Millisecond
)

// parseURL reads the URL forms Muster accepts (see DESIGN.md):
//
//	redis://[user:pass@]host[:6379][/db]
//	rediss://[user:pass@]host[:6379][/db]                       (TLS)
//	redis-sentinel://[user:pass@]h1[:26379],h2/master[/db]      (rediss-sentinel:// for TLS)
//	redis-cluster://[user:pass@]h1:7000,h2:7001,h3:7002          (rediss-cluster:// for TLS)
//
// Query parameters: db, dial_timeout, read_timeout, write_timeout
// (Go durations), pool_size, tls_ca_file (with TLS: trust this CA instead
// of the system's), and for Sentinel sentinel_username and
// sentinel_password. Errors never contain the password: they name the
// problem and the URL with its user information removed.
func parseURL(raw string) (config, error) {
	c := config{
		dialTimeout:  DefaultDialTimeout,
		readTimeout:  DefaultReadTimeout,
		writeTimeout: DefaultReadTimeout,
	}
	bad := func(format string, args ...any) (config, error) {
		return config{}, training.Invalidf("Redis URL %s: %s", redactURL(raw), fmt.Sprintf(format, args...))
	}
	scheme, rest, ok := strings.Cut(strings.TrimSpace(raw), "://")
	if !ok {
		return bad("it must start with redis://, rediss://, redis-sentinel:// or redis-cluster://")
	}
	switch strings.ToLower(scheme) {
	case "redis":
		c.mode = modeSingle
	case "rediss":
		c.mode, c.tls = modeSingle, true
	case "redis-sentinel":
		c.mode = modeSentinel
	case "rediss-sentinel":
		c.mode, c.tls = modeSentinel, true
	case "redis-cluster":
		c.mode = modeCluster
	case "rediss-cluster":
		c.mode, c.tls = modeCluster, true
	default:
		return bad("unknown scheme %q (use redis, rediss, redis-sentinel or redis-cluster)", scheme)
	}
	rest, rawQuery, _ := strings.Cut(rest, "?")
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		return bad("it must not contain '#'")
	}
	authority, path, _ := strings.Cut(rest, "/")
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		user, pass, hasPass := strings.Cut(authority[:i], ":")
		var err error
		if c.username, err = url.PathUnescape(user); err != nil {
			return bad("the user name is not correctly %%-encoded")
		}
		if hasPass {
			if c.password, err = url.PathUnescape(pass); err != nil {
				return bad("the password is not correctly %%-encoded")
			}
		}
		authority = authority[i+1:]
	}
	port := defaultPort
	if c.mode == modeSentinel {
		port = defaultSentinelPort
	}
	for _, h := range strings.Split(authority, ",") {
		addr, err := hostPort(strings.TrimSpace(h), port)
		if err != nil {
			return bad("%v", err)
		}
		c.addrs = append(c.addrs, addr)
	}
	if c.mode == modeSingle && len(c.addrs) != 1 {
		return bad("a redis:// URL names one server; use redis-cluster:// or redis-sentinel:// for several")
	}

	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	switch c.mode {
	case modeSentinel:
		if len(parts) == 0 || len(parts) > 2 {
			return bad("a Sentinel URL needs the master name as its path, e.g. redis-sentinel://h1:26379,h2:26379/mymaster")
		}
		c.masterName = parts[0]
		parts = parts[1:]
	case modeCluster:
		if len(parts) > 0 {
			return bad("a Cluster URL has no path (Redis Cluster has only database 0)")
		}
	}
	if len(parts) > 1 {
		return bad("unexpected path %q", path)
	}
	if len(parts) == 1 {
		db, err := strconv.Atoi(parts[0])
		if err != nil || db < 0 {
			return bad("database %q is not a number", parts[0])
		}
		c.db = db
	}

	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return bad("the query string is not valid")
	}
	for key, vals := range q {
		v := vals[len(vals)-1]
		switch key {
		case "db":
			db, err := strconv.Atoi(v)
			if err != nil || db < 0 {
				return bad("db=%q is not a number", v)
			}
			if c.mode == modeCluster && db != 0 {
				return bad("Redis Cluster has only database 0")
			}
			c.db = db
		case "dial_timeout", "read_timeout", "write_timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return bad("%s=%q is not a duration such as 2s", key, v)
			}
			switch key {
			case "dial_timeout":
				c.dialTimeout = d
			case "read_timeout":
				c.readTimeout = d
			default:
				c.writeTimeout = d
			}
		case "pool_size":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return bad("pool_size=%q is not a positive number", v)
			}
			c.poolSize = n
		case "tls_ca_file":
			if !c.tls {
				return bad("tls_ca_file only applies to rediss:// URLs")
			}
			c.caFile = v
		case "sentinel_username", "sentinel_password":
			if c.mode != modeSentinel {
				return bad("%s only applies to redis-sentinel:// URLs", key)
			}
			if key == "sentinel_username" {
				c.sentinelUsername = v
			} else {
				c.sentinelPassword = v
			}
		default:
			return bad("unknown parameter %q", key)
		}
	}
	return c, nil
}

// hostPort checks one host[:port] and adds the default port.
func hostPort(h, port string) (string, error) {
	if h == "" {
		return "", fmt.Errorf("a host name is missing")
	}
	host, p := h, port
	if strings.HasPrefix(h, "[") { // [::1]:6379
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return "", fmt.Errorf("host %q has an unclosed '['", h)
		}
		host = h[1:end]
		if tail := h[end+1:]; tail != "" {
			if !strings.HasPrefix(tail, ":") {
				return "", fmt.Errorf("host %q is not host:port", h)
			}
			p = tail[1:]
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		host, p = h[:i], h[i+1:]
		if strings.Contains(host, ":") {
			return "", fmt.Errorf("IPv6 address %q must be written in brackets, e.g. [::1]:6379", h)
		}
	}
	if host == "" {
		return "", fmt.Errorf("a host name is missing in %q", h)
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._:%", r)) || (r == '%' && !strings.HasPrefix(h, "[")) {
			return "", fmt.Errorf("host %q is not a host name or IP address", host)
		}
	}
	n, err := strconv.Atoi(p)
	if err != nil || n <= 0 || n > 65535 {
		return "", fmt.Errorf("port %q of %q is not a port number", p, host)
	}
	return net.JoinHostPort(host, p), nil
}

// redactURL removes the user information (and any sentinel password
// parameter) from a URL for messages. It works on text that is not a
// valid URL too.
func redactURL(raw string) string {
	s := strings.TrimSpace(raw)
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "(not shown: not a URL)"
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	authority, path, hasPath := strings.Cut(rest, "/")
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	out := scheme + "://" + authority
	if hasPath {
		out += "/" + path
	}
	if hasQuery {
		var kept []string
		for _, kv := range strings.Split(query, "&") {
			k, _, _ := strings.Cut(kv, "=")
			if strings.Contains(strings.ToLower(k), "password") {
				kv = k + "=xxxxx"
			}
			kept = append(kept, kv)
		}
		out += "?" + strings.Join(kept, "&")
	}
	return out
}

// describe returns a printable name for the deployment: no user name, no password.
func (c config) describe() string {
	var b strings.Builder
	switch c.mode {
	case modeSingle:
		b.WriteString("redis")
	case modeSentinel:
		b.WriteString("redis-sentinel")
	case modeCluster:
		b.WriteString("redis-cluster")
	}
	if c.tls {
		b.WriteString(" (TLS)")
	}
	b.WriteString(" ")
	b.WriteString(strings.Join(c.addrs, ","))
	if c.mode == modeSentinel {
		b.WriteString(" master " + c.masterName)
	}
	if c.mode != modeCluster {
		fmt.Fprintf(&b, " db %d", c.db)
	}
	return b.String()
}

// addrText is the short address used in "not answering" messages.
func (c config) addrText() string {
	s := strings.Join(c.addrs, ",")
	if c.mode == modeSentinel {
		s += " (master " + c.masterName + ")"
	}
	return s
}

// tlsConfig returns the TLS settings, or nil without TLS. ServerName is
// left empty for several hosts: the dialer then takes it from each address.
func (c config) tlsConfig() (*tls.Config, error) {
	if !c.tls {
		return nil, nil
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.mode == modeSingle {
		host, _, _ := net.SplitHostPort(c.addrs[0])
		t.ServerName = host
	}
	if c.caFile != "" {
		pem, err := os.ReadFile(c.caFile)
		if err != nil {
			return nil, training.Invalidf("the Redis TLS CA file %s cannot be read: %v", c.caFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, training.Invalidf("the Redis TLS CA file %s holds no PEM certificate", c.caFile)
		}
		t.RootCAs = pool
	}
	return t, nil
}
