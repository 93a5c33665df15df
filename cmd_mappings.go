package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/muster-police/muster/training"
)

// mappingsCmd lists and forgets saved column mappings (made with
// import --map … --save-mapping NAME, or in the web preview).
func mappingsCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "mappings", []subcommand{{"list", mappingsList}, {"delete", mappingsDelete}}, args, stdout, stderr)
}

func mappingsList(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("mappings list", "[--format text|json]")
	format := fs.String("format", "text", "text or json")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "mappings list: unexpected argument %q", pos[0])
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "mappings list: --format %q must be text or json", *format)
	}
	ms, err := env.store.Mappings(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ms); err != nil {
			fail(stderr, err)
			return exitFail
		}
		return exitOK
	}
	var b strings.Builder
	if len(ms) == 0 {
		b.WriteString("No saved mappings. Save one with: muster import --map \"HEADER=FIELD\" … --save-mapping NAME FILE\n")
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "%s (saved by %s on %s)\n", m.Name, m.By, m.At.In(training.London).Format("02/01/2006 15:04"))
		fmt.Fprintf(&b, "  for files with the headers: %s\n", quoteAll(m.Headers))
		for _, r := range m.Rules {
			fmt.Fprintf(&b, "  %s -> %s\n", r.Header, r.Field)
		}
		if m.Course != "" {
			fmt.Fprintf(&b, "  course: %s\n", m.Course)
		}
	}
	_, err = io.WriteString(stdout, b.String())
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

func mappingsDelete(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("mappings delete", "NAME")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "mappings delete: name one saved mapping")
	}
	if err := env.store.DeleteMapping(ctx, pos[0]); err != nil {
		fail(stderr, fmt.Errorf("mapping %q: %w", pos[0], err))
		return exitFail
	}
	fmt.Fprintf(stdout, "Forgot the mapping %q.\n", pos[0])
	return exitOK
}
