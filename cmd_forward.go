package main

// CLI forwarding: the embedded store is one bbolt file with one writer.
// While `muster serve` holds it, a CLI command on the same data directory
// runs inside the server instead: the CLI posts its arguments and input
// files to POST /api/v1/cli with the token from serve.json, prints the
// body and exits with X-Muster-Exit. Output files (--out, backup FILE)
// are written here: the server writes to the body, the CLI to the file.

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// forwardTimeout bounds one forwarded command (a large import included).
const forwardTimeout = 30 * time.Minute

// forwardPlan is what to send and where the answer goes.
type forwardPlan struct {
	args   []string          // as sent: inputs renamed to their keys, outputs replaced by stdout
	inputs map[string]string // key sent -> local path
	out    string            // local file for the body ("" = stdout)
}

// planForward rewrites args (starting with the command name) for the
// server, from the command table: the command's files say which
// arguments are input and output files, and the command's own flag set
// (probed, not re-declared here) which flags take a value, so that a
// flag's value is never taken for a file.
func planForward(args []string) (forwardPlan, error) {
	p := forwardPlan{inputs: map[string]string{}, args: args}
	cmd, ok := lookup(args[0])
	if !ok || cmd.run == nil {
		return p, nil // the server says what is wrong
	}
	roles := cmd.files
	fs := probeFlags(cmd, args[1:])
	takesValue := func(name string) bool {
		if fs == nil {
			return false
		}
		f := fs.Lookup(name)
		if f == nil {
			return false
		}
		b, isBool := f.Value.(interface{ IsBoolFlag() bool })
		return !isBool || !b.IsBoolFlag()
	}
	out := []string{cmd.name}
	rest := args[1:]
	var pos []string
	flagsDone := false
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if !flagsDone && a == "--" {
			flagsDone = true
			out = append(out, a)
			continue
		}
		if !flagsDone && strings.HasPrefix(a, "-") && a != "-" {
			name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
			if roles.outFlag != "" && name == roles.outFlag {
				if !hasValue {
					if i+1 >= len(rest) {
						return p, fmt.Errorf("--%s needs a file name", name)
					}
					i++
					value = rest[i]
				}
				p.out = value
				continue
			}
			out = append(out, a)
			if takesValue(name) && !hasValue && i+1 < len(rest) {
				i++
				out = append(out, rest[i])
			}
			continue
		}
		k := len(pos)
		pos = append(pos, a)
		switch {
		case roles.inputs == "*", roles.inputs != "" && k > 0 && pos[0] == roles.inputs:
			key := filepath.Base(a)
			p.inputs[key] = a
			out = append(out, key)
		case roles.outArg:
			if a != "-" {
				p.out = a
			}
			out = append(out, "-")
		default:
			out = append(out, a)
		}
	}
	// The server writes to the body; the format --out's extension chose
	// must travel explicitly.
	if p.out != "" && roles.outFlag != "" && fs != nil && fs.Lookup("format") != nil && !hasFlag(out, "format") {
		switch ext := strings.ToLower(filepath.Ext(p.out)); ext {
		case ".json", ".csv", ".xlsx":
			out = append(out, "--format", ext[1:])
		}
	}
	p.args = out
	return p, nil
}

// probeFlags returns the flag set the command (or its subcommand) parses
// args with, by running it as far as its parseFlags; nil when it stops
// before (an unknown subcommand: the server will say so).
func probeFlags(cmd command, args []string) *flag.FlagSet {
	env := &cmdEnv{probing: true, files: map[string][]byte{}, now: time.Now, log: slog.New(slog.DiscardHandler)}
	cmd.run(context.Background(), env, args, io.Discard, io.Discard)
	return env.probed
}

// hasFlag reports whether args set the named flag (-name, --name, --name=…).
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && n == name {
			return true
		}
	}
	return false
}

// forward runs args (command name first) in the server named by
// serve.json. ok is false when there is no serve.json to use.
func forward(ctx context.Context, cfg *Config, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	b, err := os.ReadFile(filepath.Join(cfg.DataDir, serveFile))
	if err != nil {
		return 0, false
	}
	var info serveInfo
	if err := json.Unmarshal(b, &info); err != nil || info.URL == "" || info.Token == "" {
		return 0, false
	}
	plan, err := planForward(args)
	if err != nil {
		return usageError(stderr, "%s: %v", args[0], err), true
	}
	body, ctype, err := forwardBody(plan)
	if err != nil {
		fail(stderr, err)
		return exitFail, true
	}
	ctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(info.URL, "/")+"/api/v1/cli", body)
	if err != nil {
		fail(stderr, err)
		return exitFail, true
	}
	req.Header.Set("Authorization", "Bearer "+info.Token)
	req.Header.Set("Content-Type", ctype)
	fmt.Fprintf(stderr, "muster: forwarded to the running server at %s (it holds %s)\n", info.URL, cfg.dbPath())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fail(stderr, fmt.Errorf("%s is locked by a muster server that does not answer at %s (%v); if no muster is running, remove %s", cfg.dbPath(), info.URL, err, filepath.Join(cfg.DataDir, serveFile)))
		return exitFail, true
	}
	defer resp.Body.Close()
	exit, convErr := strconv.Atoi(resp.Header.Get("X-Muster-Exit"))
	if convErr != nil {
		fail(stderr, fmt.Errorf("the server at %s refused the command: %s", info.URL, apiError(resp)))
		return exitFail, true
	}
	if plan.out != "" && exit == exitOK {
		if err := writeOutput(plan.out, stdout, func(w io.Writer) error { _, err := io.Copy(w, resp.Body); return err }); err != nil {
			fail(stderr, err)
			return exitFail, true
		}
		fmt.Fprintf(stderr, "muster: wrote %s\n", plan.out)
		return exit, true
	}
	dst := stdout
	if exit != exitOK {
		dst = stderr
	}
	if _, err := io.Copy(dst, resp.Body); err != nil {
		fail(stderr, err)
		return exitFail, true
	}
	return exit, true
}

// forwardBody is the multipart form server.cli reads: one "arg" field per
// argument, one "file" part per input file named by its key.
func forwardBody(p forwardPlan) (io.Reader, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, a := range p.args {
		if err := mw.WriteField("arg", a); err != nil {
			return nil, "", err
		}
	}
	for key, path := range p.inputs {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, "", fileError(path, err)
		}
		fw, err := mw.CreateFormFile("file", key)
		if err != nil {
			return nil, "", err
		}
		if _, err := fw.Write(b); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return &buf, mw.FormDataContentType(), nil
}

// apiError is the message of a JSON API error response, or its status.
func apiError(resp *http.Response) string {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if json.Unmarshal(b, &e) == nil && e.Error.Message != "" {
		return e.Error.Message
	}
	return resp.Status
}
