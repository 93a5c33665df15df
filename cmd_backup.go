package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// backupCmd writes a consistent copy of the embedded store to FILE ("-"
// for standard output). Redis is backed up with Redis's own tools.
func backupCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("backup", "FILE (or - for standard output)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "backup: name the file to write (e.g. muster-2026-11-24.db), or - for standard output")
	}
	b, ok := env.store.(backuper)
	if !ok {
		fmt.Fprintln(stderr, "muster: backup copies the embedded store only; this deployment uses Redis.")
		fmt.Fprintln(stderr, "  Back Redis up with its own tools: run BGSAVE (or rely on AOF with appendfsync everysec)")
		fmt.Fprintln(stderr, "  and copy dump.rdb / the appendonly directory to safe storage; see README \"Operations\".")
		return exitFail
	}
	var n int64
	err := env.writeOutput(pos[0], stdout, func(w io.Writer) error {
		var err error
		n, err = b.Backup(ctx, w)
		return err
	})
	if err != nil {
		fail(stderr, fmt.Errorf("backup failed: %w", err))
		return exitFail
	}
	if pos[0] != "-" {
		fmt.Fprintf(stdout, "Backed up %d bytes to %s. Restore: stop muster and copy it to $MUSTER_DATA_DIR/muster.db.\n", n, pos[0])
	}
	return exitOK
}

// configCmd prints the effective configuration, secrets redacted.
func configCmd(_ context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, "config takes no arguments")
	}
	if err := env.cfg.Dump(stdout); err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

// versionCmd prints the module version and the commit it was built from.
func versionCmd(_ context.Context, _ *cmdEnv, _ []string, stdout, _ io.Writer) int {
	fmt.Fprintln(stdout, "muster "+version())
	return exitOK
}

// version describes the build: module version, VCS revision, Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if len(s.Value) > 12 {
				v += " " + s.Value[:12]
			} else {
				v += " " + s.Value
			}
		case "vcs.modified":
			if s.Value == "true" {
				v += "+dirty"
			}
		}
	}
	return v + " " + bi.GoVersion
}
