package redis

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// RouteDriverLog sends the go-redis driver's own messages (e.g. "failed
// to dial" while Redis is down, which it otherwise prints to stderr) to l
// at debug level. The driver has one logger per process, so main calls
// this once at start-up; the store's own errors already say in one
// sentence that Redis is not answering. The messages carry addresses,
// never passwords.
func RouteDriverLog(l *slog.Logger) {
	goredis.SetLogger(driverLog{l})
}

type driverLog struct{ l *slog.Logger }

func (d driverLog) Printf(ctx context.Context, format string, v ...any) {
	d.l.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}
