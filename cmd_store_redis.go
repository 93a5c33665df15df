package main

import (
	"context"
	"log/slog"

	"github.com/muster-police/muster/storage/redis"
	"github.com/muster-police/muster/training"
)

// openRedis opens the Redis store named by MUSTER_REDIS_URL.
func openRedis(ctx context.Context, cfg *Config, log *slog.Logger) (training.Store, error) {
	st, err := redis.Open(ctx, cfg.RedisURL.reveal(), redis.Options{Prefix: cfg.RedisPrefix, Logger: log})
	if err != nil {
		return nil, err
	}
	return st, nil
}
