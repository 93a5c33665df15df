package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/muster-police/muster/training"
)

// cmdEnv is what a subcommand works with: the settings, the store, a
// clock and where its input files come from.
type cmdEnv struct {
	cfg   Config
	store training.Store
	log   *slog.Logger
	now   func() time.Time
	// files holds the input files by the names given in args when the
	// command was forwarded to a running server; nil reads the disk.
	// When it is set the command runs inside the server, which never
	// reads or writes a file named in the arguments.
	files map[string][]byte
	// probing runs a command only as far as its flag set (planForward):
	// parseFlags records it in probed and stops the command.
	probing bool
	probed  *flag.FlagSet
	// by names who ran the command, for the import log.
	by string
	// accountStore, when the command runs inside `muster serve`, is the
	// server's store (server.Server.Store): an account change made
	// through it ends at once the credentials the server keeps checked.
	// nil: store.
	accountStore training.Store
}

// newEnv builds the environment of a CLI command; logs go to stderr,
// warnings and worse only, so that output stays readable.
func newEnv(cfg Config, stderr io.Writer, now func() time.Time) *cmdEnv {
	level, _ := cfg.level()
	if level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	return &cmdEnv{
		cfg: cfg,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		now: now,
		by:  "cli",
	}
}

// today is the civil date now, in Europe/London.
func (e *cmdEnv) today() training.Date { return training.DateOf(e.now()) }

// asOf parses an --as-of value; empty means today.
func (e *cmdEnv) asOf(s string) (training.Date, error) {
	if s == "" {
		return e.today(), nil
	}
	d, err := training.ParseDate(s)
	if err != nil {
		return training.Date{}, fmt.Errorf("--as-of: %q is not a date in the form YYYY-MM-DD", s)
	}
	return d, nil
}

// input is an opened input file.
type input struct {
	name string
	r    io.ReaderAt
	size int64
	// close releases the file (a no-op for forwarded bytes).
	close func() error
}

// openInput opens a named input file, from the disk or from the files
// forwarded with the command.
func (e *cmdEnv) openInput(name string) (*input, error) {
	if e.files != nil {
		b, ok := e.files[name]
		if !ok {
			return nil, fmt.Errorf("%s: the file was not sent with the command", name)
		}
		return &input{name: filepath.Base(name), r: bytes.NewReader(b), size: int64(len(b)), close: func() error { return nil }}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fileError(name, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fileError(name, err)
	}
	if fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder, not a file", name)
	}
	return &input{name: filepath.Base(name), r: f, size: fi.Size(), close: f.Close}, nil
}

// readInput reads a whole (small) input file.
func (e *cmdEnv) readInput(name string) ([]byte, error) {
	in, err := e.openInput(name)
	if err != nil {
		return nil, err
	}
	defer in.close()
	b := make([]byte, in.size)
	if _, err := in.r.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fileError(name, err)
	}
	return b, nil
}

// fileError says in words why a file could not be used.
func fileError(name string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: no such file", name)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%s: permission denied", name)
	}
	return fmt.Errorf("%s: %v", name, err)
}

// errForwardedFile refuses an output file inside the server: forwarded
// commands write to the response body, and the CLI writes the file.
var errForwardedFile = errors.New("output files are written by the muster command that forwarded this one, never by the server; send - (standard output)")

// writeOutput is writeOutput for this command: a forwarded command (run
// inside the server) writes only to stdout, whatever path it was given.
func (e *cmdEnv) writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if e.files != nil && path != "" && path != "-" {
		return errForwardedFile
	}
	return writeOutput(path, stdout, write)
}

// parseFlags is parseFlags for this command; while probing it records
// fs and stops the command before it does anything.
func (e *cmdEnv) parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	if e.probing {
		e.probed = fs
		return nil, exitOK, false
	}
	return parseFlags(fs, args, stdout, stderr)
}

// writeOutput runs write against stdout, or against the file path when it
// is set (written to a temporary file and renamed, so a failed export
// never leaves half a file; 0600 because exports hold personal data).
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fileError(path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fileError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fileError(path, err)
	}
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseFlags parses args with fs, allowing flags after positional
// arguments (`muster import FILE --full`); "--" ends the flags. It returns
// the positionals, or ok=false with the exit code: -h prints the usage to
// stdout (exit 0), a bad flag is one line on stderr (exit 2).
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				fs.Usage()
				return nil, exitOK, false
			}
			return nil, usageError(stderr, "%s: %v (see `%s -h`)", strings.TrimPrefix(fs.Name(), "muster "), err, fs.Name()), false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagSet makes a subcommand's flag set with a usage line.
func flagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("muster "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: muster %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// listFlag collects a repeatable, comma-separable flag (--course a,b --course c).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// subcommand is one verb of a command with several (courses list|apply).
type subcommand struct {
	name string
	run  cmdFunc
}

// dispatch runs the subcommand named by args[0].
func dispatch(ctx context.Context, env *cmdEnv, cmd string, subs []subcommand, args []string, stdout, stderr io.Writer) int {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
		if len(args) > 0 && args[0] == s.name {
			return s.run(ctx, env, args[1:], stdout, stderr)
		}
	}
	if len(args) == 0 {
		return usageError(stderr, "%s: say %s (e.g. `muster %s %s -h`)", cmd, strings.Join(names, ", "), cmd, names[0])
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		// Asking for help is not an error: list the subcommands, exit 0.
		fmt.Fprintf(stdout, "Usage: muster %s %s …\nEach has its own flags: muster %s SUBCOMMAND -h\n", cmd, strings.Join(names, "|"), cmd)
		return exitOK
	}
	return usageError(stderr, "%s: unknown subcommand %q (%s)", cmd, args[0], strings.Join(names, ", "))
}
