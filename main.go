// Command muster tracks police officers' mandatory training: it imports
// the rosters HR really has, answers "who has done which course, by unit"
// as of any date, serves the web service, and sends reminders.
//
// This file is the command line: global flags, the subcommand table and
// the wiring of store, server and jobs. Subcommand bodies live in cmd_*.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/muster-police/muster/training"
	goredis "github.com/redis/go-redis/v9"
)

// Exit codes.
const (
	exitOK    = 0 // done
	exitFail  = 1 // an error, or nothing was applied
	exitUsage = 2 // bad command line or configuration
)

func main() {
	// go-redis logs dial failures straight to stderr; the store returns
	// the same failures as errors, which the command reports in one line.
	goredis.SetLogger(quietRedis{})
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], system{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr, now: time.Now})
	stop()
	os.Exit(code)
}

// quietRedis discards go-redis's own log lines.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// cmdFunc is a subcommand body. The store (when the command needs one) is
// in env, so the same code runs in the CLI process and, forwarded, inside
// a running server against its store.
type cmdFunc func(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int

// command is one entry of the subcommand table.
type command struct {
	name    string
	summary string
	// store: the command needs the store opened.
	store bool
	// forward: when the embedded store is locked by `muster serve`, the
	// command may run inside that server instead (see cmd_forward.go).
	forward bool
	// files says which arguments name files, so that forwarding sends the
	// inputs' bytes and writes the outputs here, in the CLI process.
	files fileRoles
	run   cmdFunc
}

// fileRoles declares the file arguments of a command. Which flags take a
// value is not declared here: forwarding reads it from the command's own
// flag set (cmdEnv.probing).
type fileRoles struct {
	// inputs are the positional arguments that are input files: every
	// one ("*"), or those after the named subcommand ("apply").
	inputs string
	// outFlag names the flag whose value is an output file ("out").
	outFlag string
	// outArg: the positional argument is an output file ("-": stdout).
	outArg bool
}

// commands is the subcommand table, in the order `muster help` lists them.
func commands() []command {
	return []command{
		{name: "serve", summary: "run the web service (--demo loads a demo force into an empty store)"},
		{name: "import", summary: "import a roster or completion export: import [--full] [--dry-run] [--strict] [--sheet NAME] [--course ID] [--map HEADER=FIELD]… [--save-mapping NAME] [--yes] FILE", store: true, forward: true, files: fileRoles{inputs: "*"}, run: importCmd},
		{name: "mappings", summary: "mappings list | mappings delete NAME: saved column mappings", store: true, forward: true, run: mappingsCmd},
		{name: "report", summary: "compliance figures by unit: report [--as-of DATE] [--unit PATH] [--course ID] [--format table|json|csv|xlsx] [--out FILE]", store: true, forward: true, files: fileRoles{outFlag: "out"}, run: reportCmd},
		{name: "courses", summary: "courses list | courses apply FILE.yaml", store: true, forward: true, files: fileRoles{inputs: "apply"}, run: coursesCmd},
		{name: "registers", summary: "classroom registers: registers list | registers add --course ID --date DATE --place TEXT [--yes] ID... | registers withdraw ID", store: true, forward: true, run: registersCmd},
		{name: "officers", summary: "officers show ID | officers list [--unit PATH] [--status S] [--course ID] [--as-of DATE] [--format F] | officers export ID --out FILE", store: true, forward: true, files: fileRoles{outFlag: "out"}, run: officersCmd},
		{name: "audit", summary: "the audit trail, newest first: audit [--actor NAME] [--action A] [--officer ID] [--from DATE] [--to DATE] [--format table|json|csv] [--out FILE]", store: true, forward: true, files: fileRoles{outFlag: "out"}, run: auditCmd},
		{name: "users", summary: "users add|list|reset|token: web accounts and API tokens", store: true, forward: true, run: usersCmd},
		{name: "remind", summary: "who gets which reminder and why, then send them: remind [--dry-run] [--as-of DATE] [--format table|json]", store: true, forward: true, run: remindCmd},
		{name: "outbox", summary: "the mail relay's state and the outbox; outbox requeue ID...|--failed re-queues failed mail", store: true, forward: true, run: outboxCmd},
		{name: "backup", summary: "backup FILE: a consistent copy of the embedded store", store: true, forward: true, files: fileRoles{outArg: true}, run: backupCmd},
		{name: "compact", summary: "rewrite the embedded store without free pages (offline: stop serve first)", run: compactCmd},
		{name: "config", summary: "print the effective configuration (secrets redacted)", run: configCmd},
		{name: "version", summary: "print the version", run: versionCmd},
		{name: "help", summary: "this list"},
	}
}

// lookup finds a subcommand by name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usage writes the list of subcommands and global flags.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: muster [global flags] COMMAND [flags] [args]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nGlobal flags (each also set by its MUSTER_* variable):")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w, "\nRun `muster COMMAND -h` for a command's flags.")
}

// system is what the command takes from its process; tests pass their own
// environment, writers and clock.
type system struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	now            func() time.Time
}

// run is the whole command line: it returns the exit code. Tests call it
// in-process with their own system.
func run(ctx context.Context, args []string, sys system) (code int) {
	stdout, stderr := sys.stdout, sys.stderr
	defer func() {
		// A bug must still end in one line, not a stack trace.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "muster: internal error: %v (please report it)\n", p)
			code = exitFail
		}
	}()
	cfg := defaultConfig()
	if err := cfg.fromEnv(sys.getenv); err != nil {
		fail(stderr, err)
		return exitUsage
	}
	fs := flag.NewFlagSet("muster", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return exitOK
		}
		fail(stderr, err)
		return exitUsage
	}
	rest := fs.Args()
	if len(rest) == 0 {
		usage(stderr, fs)
		return exitUsage
	}
	cmd, ok := lookup(rest[0])
	switch {
	case !ok:
		fail(stderr, fmt.Errorf("unknown command %q (see `muster help`)", rest[0]))
		return exitUsage
	case cmd.name == "help":
		usage(stdout, fs)
		return exitOK
	case cmd.name == "serve":
		return serveCmd(ctx, cfg, rest[1:], sys)
	}
	if err := cfg.Validate(); err != nil {
		fail(stderr, err)
		return exitUsage
	}
	env := newEnv(cfg, stderr, sys.now)
	if u := sys.getenv("USER"); u != "" {
		env.by = "cli:" + u
	}
	if cmd.store {
		st, err := openStore(ctx, &cfg, env.log)
		if err != nil {
			if cmd.forward && isLocked(err) {
				if code, ok := forward(ctx, &cfg, rest, stdout, stderr); ok {
					return code
				}
			}
			fail(stderr, err)
			return exitFail
		}
		defer st.Close()
		env.store = st
	}
	return cmd.run(ctx, env, rest[1:], stdout, stderr)
}

// fail prints err as one plain line: "muster: …".
func fail(w io.Writer, err error) {
	fmt.Fprintf(w, "muster: %s\n", message(err))
}

// message is err's text for people, on one line: a domain error's own
// message (training.MessageOf, whatever its kind), else the error's text.
func message(err error) string {
	s := training.MessageOf(err)
	if s == "" {
		s = err.Error()
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// usageError prints a usage problem and returns exitUsage.
func usageError(stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "muster: "+format+"\n", a...)
	return exitUsage
}
