package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// dbPath is the embedded store's file.
func (c *Config) dbPath() string { return filepath.Join(c.DataDir, "muster.db") }

// openStore opens the store the settings select: Redis when
// MUSTER_REDIS_URL is set, else the bolt file under MUSTER_DATA_DIR
// (created 0700: it holds personal data).
func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (training.Store, error) {
	if cfg.RedisURL != "" {
		return openRedis(ctx, cfg, log)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the data directory %s: %v", cfg.DataDir, err)
	}
	opts := bolt.Options{Logger: log}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, serveFile)); err == nil {
		// A server says it holds the file: do not wait long for the lock,
		// the command will be forwarded to it.
		opts.Timeout = 100 * time.Millisecond
	}
	st, err := bolt.Open(cfg.dbPath(), opts)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// isLocked reports whether the embedded store is held by another process.
func isLocked(err error) bool { return errors.Is(err, bolt.ErrLocked) }

// backuper is a store that can write a consistent copy of itself (bolt).
type backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}
