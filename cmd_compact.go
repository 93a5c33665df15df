package main

import (
	"context"
	"fmt"
	"io"

	"github.com/muster-police/muster/storage/bolt"
)

// compactCmd rewrites the embedded store without its free pages, offline:
// it refuses while `muster serve` (or another command) holds the file.
func compactCmd(_ context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("compact", "")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "compact: unexpected argument %q", pos[0])
	}
	if env.cfg.RedisURL != "" {
		fmt.Fprintln(stderr, "muster: compact rewrites the embedded store's file; this deployment uses Redis, which keeps no free pages to give back.")
		return exitFail
	}
	res, err := bolt.Compact(env.cfg.dbPath(), bolt.Options{})
	if isLocked(err) {
		fmt.Fprintf(stderr, "muster: the store %s is in use (is `muster serve` running?); compact works offline: stop the service, run it, start the service again.\n", env.cfg.dbPath())
		return exitFail
	}
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "Compacted %s: %s → %s.\n", env.cfg.dbPath(), mib(res.Before), mib(res.After))
	return exitOK
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
