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
	"errors"
	"fmt"
	"io"
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
	args   []string          // as sent: inputs renamed to their keys, --out removed
	inputs map[string]string // key sent -> local path
	out    string            // local file for the body ("" = stdout)
}

// valueFlags are, per command, the flags that take a value (so their
// values are not mistaken for input files).
var valueFlags = map[string][]string{
	"import": {"sheet", "format", "map", "save-mapping", "course"},
}

// planForward rewrites args (starting with the command name) for the server.
func planForward(args []string) (forwardPlan, error) {
	p := forwardPlan{inputs: map[string]string{}}
	cmd := args[0]
	sub := ""
	if len(args) > 1 {
		sub = args[1]
	}
	takesValue := map[string]bool{}
	for _, f := range valueFlags[cmd] {
		takesValue[f] = true
	}
	input := func(path string) string {
		key := filepath.Base(path)
		p.inputs[key] = path
		return key
	}
	out := []string{cmd}
	rest := args[1:]
	flagsDone := false
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !flagsDone && a == "--":
			flagsDone = true
			out = append(out, a)
		case !flagsDone && strings.HasPrefix(a, "-") && a != "-" && name == "out":
			if !hasValue {
				if i+1 >= len(rest) {
					return p, errors.New("--out needs a file name")
				}
				i++
				value = rest[i]
			}
			p.out = value
		case !flagsDone && strings.HasPrefix(a, "-") && a != "-":
			out = append(out, a)
			if takesValue[name] && !hasValue && i+1 < len(rest) {
				i++
				out = append(out, rest[i])
			}
		case cmd == "import":
			out = append(out, input(a))
		case cmd == "courses" && sub == "apply" && a != "apply":
			out = append(out, input(a))
		case cmd == "backup":
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
	if p.out != "" && (cmd == "report" || cmd == "officers") && !hasFlag(out, "format") {
		switch ext := strings.ToLower(filepath.Ext(p.out)); ext {
		case ".json", ".csv", ".xlsx":
			out = append(out, "--format", ext[1:])
		}
	}
	p.args = out
	return p, nil
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
