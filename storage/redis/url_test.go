package redis

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

func TestParseURL(t *testing.T) {
	def := func(c config) config {
		if c.dialTimeout == 0 {
			c.dialTimeout = DefaultDialTimeout
		}
		if c.readTimeout == 0 {
			c.readTimeout = DefaultReadTimeout
		}
		if c.writeTimeout == 0 {
			c.writeTimeout = DefaultReadTimeout
		}
		return c
	}
	tests := []struct {
		url      string
		want     config
		describe string
	}{
		{"redis://localhost", def(config{mode: modeSingle, addrs: []string{"localhost:6379"}}), "redis localhost:6379 db 0"},
		{"redis://:s3cret@10.0.0.5:6380/2", def(config{mode: modeSingle, addrs: []string{"10.0.0.5:6380"}, password: "s3cret", db: 2}), "redis 10.0.0.5:6380 db 2"},
		{"redis://muster:p%40ss%3Aword@redis.internal:6379/0", def(config{mode: modeSingle, addrs: []string{"redis.internal:6379"}, username: "muster", password: "p@ss:word"}), "redis redis.internal:6379 db 0"},
		{"rediss://user:pw@cache.example.net:6380?db=3&read_timeout=10s", def(config{mode: modeSingle, tls: true, addrs: []string{"cache.example.net:6380"}, username: "user", password: "pw", db: 3, readTimeout: 10 * time.Second}), "redis (TLS) cache.example.net:6380 db 3"},
		{"rediss://h:6380?tls_ca_file=/etc/muster/redis-ca.pem", def(config{mode: modeSingle, tls: true, addrs: []string{"h:6380"}, caFile: "/etc/muster/redis-ca.pem"}), "redis (TLS) h:6380 db 0"},
		{"redis://[::1]:7000", def(config{mode: modeSingle, addrs: []string{"[::1]:7000"}}), "redis [::1]:7000 db 0"},
		{"redis-sentinel://:pw@s1,s2:26380,s3/mymaster/1?sentinel_password=spw", def(config{mode: modeSentinel, addrs: []string{"s1:26379", "s2:26380", "s3:26379"}, password: "pw", masterName: "mymaster", db: 1, sentinelPassword: "spw"}), "redis-sentinel s1:26379,s2:26380,s3:26379 master mymaster db 1"},
		{"redis-sentinel://s1:26379/mymaster?db=4", def(config{mode: modeSentinel, addrs: []string{"s1:26379"}, masterName: "mymaster", db: 4}), "redis-sentinel s1:26379 master mymaster db 4"},
		{"redis-cluster://h1:7000,h2:7001,h3:7002", def(config{mode: modeCluster, addrs: []string{"h1:7000", "h2:7001", "h3:7002"}}), "redis-cluster h1:7000,h2:7001,h3:7002"},
		{"rediss-cluster://u:pw@h1:7000,h2?pool_size=50&dial_timeout=1s", def(config{mode: modeCluster, tls: true, addrs: []string{"h1:7000", "h2:6379"}, username: "u", password: "pw", poolSize: 50, dialTimeout: time.Second}), "redis-cluster (TLS) h1:7000,h2:6379"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := parseURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			if d := got.describe(); d != tc.describe {
				t.Fatalf("describe: got %q, want %q", d, tc.describe)
			}
			if tc.want.password != "" && strings.Contains(got.describe(), tc.want.password) {
				t.Fatal("describe shows the password")
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct{ url, says string }{
		{"localhost:6379", "must start with"},
		{"http://:hunter2@h", "unknown scheme"},
		{"redis://:hunter2@h1,h2", "names one server"},
		{"redis://:hunter2@", "host name is missing"},
		{"redis://:hunter2@h:99999", "not a port number"},
		{"redis://:hunter2@h:port", "not a port number"},
		{"redis://:hunter2@::1:6379", "brackets"},
		{"redis://:hunter2@h/x", "not a number"},
		{"redis://:hunter2@h/1/2", "unexpected path"},
		{"redis://:hunter2@h?db=x", "not a number"},
		{"redis://:hunter2@h?read_timeout=soon", "not a duration"},
		{"redis://:hunter2@h?colour=blue", "unknown parameter"},
		{"redis://:hunter2@h?sentinel_password=hunter2", "only applies"},
		{"redis-sentinel://:hunter2@s1,s2", "master name"},
		{"redis://:hunter2@h?tls_ca_file=/ca.pem", "only applies to rediss"},
		{"redis-cluster://:hunter2@h1,h2/0", "no path"},
		{"redis-cluster://:hunter2@h1,h2?db=1", "only database 0"},
		{"redis://:hunter2@h%zz", "not a host name"},
		{"redis://:hunter2%zz@h", "password is not correctly"},
		{"redis://:hunter2@h#frag", "'#'"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			_, err := parseURL(tc.url)
			if !errors.Is(err, training.ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error %q shows the password", err)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"redis://:pw@h:6379/0", "redis://h:6379/0"},
		{"redis-sentinel://u:pw@s1,s2/m?sentinel_password=x&db=1", "redis-sentinel://s1,s2/m?sentinel_password=xxxxx&db=1"},
		{"no url :pw@", "(not shown: not a URL)"},
	}
	for _, tc := range tests {
		if got := redactURL(tc.in); got != tc.want {
			t.Errorf("redactURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestOpenBadPrefix(t *testing.T) {
	for _, p := range []string{"a{b}", "muster:kent", "a b", "a*"} {
		_, err := Open(t.Context(), "redis://127.0.0.1:1", Options{Prefix: p})
		if !errors.Is(err, training.ErrInvalid) {
			t.Errorf("prefix %q: got %v, want ErrInvalid", p, err)
		}
	}
}
