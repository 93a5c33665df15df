// Package redis keeps Muster's data in Redis (a single server, a Sentinel
// group or a Cluster), so that several replicas can share one store. It
// implements training.Store and passes storage/storagetest; DESIGN.md
// explains the key layout and how an import is applied atomically.
package redis

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

var _ training.Store = (*Store)(nil)

// Options configures Open.
type Options struct {
	// Prefix starts every key, so that several deployments (forces) can
	// share one Redis; default "muster". Letters, digits, '-', '_' and '.'
	// (no ':', so that no prefix's keys can look like another's).
	Prefix string
	// Logger receives warnings (never personal data); default discards.
	Logger *slog.Logger
}

// Store is a training.Store on Redis. It is safe for concurrent use by
// many goroutines and many processes.
type Store struct {
	rdb goredis.UniversalClient
	// bulk is a second client for the import's staging writes and its
	// switch-over scripts, whose replies may take longer than rdb's fail-
	// fast read timeout on a busy machine (bulkTimeout); requests, /readyz
	// and everything else use rdb and answer within about a second.
	bulk   goredis.UniversalClient
	cfg    config
	keys   keys
	log    *slog.Logger
	closed sync.Once

	// Tuning, fixed at Open; tests shorten some of them.
	chunk      int               // fields per pipelined HSET / HMGET
	mergeLimit int               // changed fields up to which the Lua step merges rather than renames
	scanCount  int               // HSCAN COUNT hint when reading whole hashes
	stageTTL   time.Duration     // staging keys vanish after this when abandoned
	applyTTL   time.Duration     // the apply lock (heartbeat) of a running import
	afterStep  func(step string) // test hook between ApplyChanges steps
}

// Open connects to the Redis named by url (see DESIGN.md for the URL
// forms), checks that it answers, seeds the default courses into an
// empty store and removes what a killed import left behind. It fails with
// an error wrapping training.ErrInvalid for a bad URL and
// training.ErrUnavailable when Redis does not answer.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	if opts.Prefix == "" {
		opts.Prefix = "muster"
	}
	if err := checkPrefix(opts.Prefix); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	tlsConf, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	s := &Store{
		rdb:        goredis.NewUniversalClient(cfg.universal(tlsConf)),
		bulk:       goredis.NewUniversalClient(cfg.bulk(tlsConf)),
		cfg:        cfg,
		keys:       newKeys(opts.Prefix),
		log:        opts.Logger.With("store", "redis", "redis", cfg.describe()),
		chunk:      1000,
		mergeLimit: 5000,
		scanCount:  1000,
		stageTTL:   10 * time.Minute,
		applyTTL:   30 * time.Second,
	}
	if err := s.start(ctx); err != nil {
		s.rdb.Close()
		return nil, err
	}
	s.log.Info("redis store open", "prefix", opts.Prefix)
	return s, nil
}

func (s *Store) start(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	if err := s.seedCourses(ctx); err != nil {
		return err
	}
	return s.cleanStaging(ctx)
}

// checkPrefix keeps hash tags and patterns out of the prefix.
func checkPrefix(p string) error {
	for _, r := range p {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)
		if !ok {
			return training.Invalidf("Redis key prefix %q may only hold letters, digits, '-', '_' and '.'", p)
		}
	}
	return nil
}

// universal builds go-redis options that fail fast: short timeouts, one
// retry, and a small dial retry so a down server is reported in about a
// second rather than after a minute of back-off.
func (c config) universal(tlsConf *tls.Config) *goredis.UniversalOptions {
	o := &goredis.UniversalOptions{
		Addrs:            c.addrs,
		DB:               c.db,
		Username:         c.username,
		Password:         c.password,
		MasterName:       c.masterName,
		SentinelUsername: c.sentinelUsername,
		SentinelPassword: c.sentinelPassword,
		TLSConfig:        tlsConf,
		ClientName:       "muster",
		DialTimeout:      c.dialTimeout,
		ReadTimeout:      c.readTimeout,
		WriteTimeout:     c.writeTimeout,
		PoolTimeout:      c.readTimeout,
		PoolSize:         c.poolSize,
		MaxRetries:       1,
		MinRetryBackoff:  50 * time.Millisecond,
		MaxRetryBackoff:  200 * time.Millisecond,
		DialerRetries:    1,
		MaxRedirects:     3,
		// A caller's deadline (such as /readyz's one second) also bounds
		// the wait for a reply, not only the read timeout.
		ContextTimeoutEnabled: true,
		IsClusterMode:         c.mode == modeCluster,
		DisableIdentity:       true,
	}
	return o
}

// bulkTimeout bounds one reply to an import's staging or apply command.
const bulkTimeout = 30 * time.Second

// bulk is universal with room for the import's large commands: the same
// server and credentials, a longer read and write timeout, a small pool.
func (c config) bulk(tlsConf *tls.Config) *goredis.UniversalOptions {
	o := c.universal(tlsConf)
	o.ReadTimeout, o.WriteTimeout = max(c.readTimeout, bulkTimeout), max(c.writeTimeout, bulkTimeout)
	o.PoolSize = 4
	return o
}

// Describe names the Redis deployment for logs and status pages: mode,
// addresses, database, never a user name or password.
func (s *Store) Describe() string { return s.cfg.describe() }

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if s.cfg.mode == modeCluster {
		cc, ok := s.rdb.(*goredis.ClusterClient)
		if ok {
			return s.wrap(cc.ForEachMaster(ctx, func(ctx context.Context, c *goredis.Client) error {
				return c.Ping(ctx).Err()
			}))
		}
	}
	return s.wrap(s.rdb.Ping(ctx).Err())
}

// Close releases the connections. It is safe to call more than once.
func (s *Store) Close() error {
	var err error
	s.closed.Do(func() { err = errors.Join(s.rdb.Close(), s.bulk.Close()) })
	return err
}

// unavailableError is what every operation returns when Redis cannot be
// reached: a plain sentence for people, training.ErrUnavailable for code.
type unavailableError struct {
	addr  string
	cause error
}

func (e *unavailableError) Error() string {
	return "the Redis store at " + e.addr + " is not answering"
}

func (e *unavailableError) Unwrap() []error { return []error{training.ErrUnavailable, e.cause} }

// wrap turns go-redis errors into the domain's vocabulary: connection
// problems and the server's "try later" replies become ErrUnavailable.
// Errors that are already the domain's pass through unchanged.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	for _, e := range []error{training.ErrNotFound, training.ErrConflict, training.ErrInvalid, training.ErrForbidden, training.ErrUnavailable} {
		if errors.Is(err, e) {
			return err
		}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if isUnavailable(err) {
		return &unavailableError{addr: s.cfg.addrText(), cause: err}
	}
	return fmt.Errorf("redis store: %w", err)
}

func isUnavailable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &ne), errors.As(err, &oe),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, goredis.ErrClosed), errors.Is(err, goredis.ErrPoolTimeout),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	var re goredis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		for _, p := range []string{"LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "READONLY", "BUSY ", "NOREPLICAS", "ERR max number of clients"} {
			if strings.HasPrefix(msg, p) {
				return true
			}
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "i/o timeout") ||
		strings.Contains(msg, "no reachable") || strings.Contains(msg, "all sentinels")
}
