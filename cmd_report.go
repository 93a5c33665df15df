package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/internal/reports"
	"github.com/muster-police/muster/training"
)

// formatFor picks the output format: --format, else the --out extension, else def.
func formatFor(format, out, def string, allowed ...string) (string, error) {
	if format == "" {
		switch ext := strings.ToLower(filepath.Ext(out)); ext {
		case ".json", ".csv", ".xlsx":
			format = ext[1:]
		default:
			format = def
		}
	}
	for _, a := range allowed {
		if format == a {
			return format, nil
		}
	}
	return "", fmt.Errorf("--format %q must be one of %s", format, strings.Join(allowed, ", "))
}

// binaryToTerminal refuses to write an xlsx workbook to a terminal.
func binaryToTerminal(format, out string, stdout io.Writer) error {
	if format == "xlsx" && out == "" && isTerminal(stdout) {
		return errors.New("an xlsx workbook cannot be shown on a terminal: add --out FILE.xlsx")
	}
	return nil
}

// reportCmd prints the compliance figures by unit (COMPLIANCE.md).
func reportCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("report", "[--as-of DATE] [--unit PATH] [--course ID] [--format table|json|csv|xlsx] [--out FILE]")
	asOfS := fs.String("as-of", "", "evaluate as of this date, YYYY-MM-DD (default today)")
	unitS := fs.String("unit", "", "root the report at this unit path, e.g. \"Frontline Policing / Central West\"")
	var courses listFlag
	fs.Var(&courses, "course", "only this course `ID` (repeatable, or comma-separated)")
	formatS := fs.String("format", "", "table, json, csv or xlsx (default table, or from --out's extension)")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "report: unexpected argument %q", pos[0])
	}
	format, err := formatFor(*formatS, *out, "table", "table", "json", "csv", "xlsx")
	if err != nil {
		return usageError(stderr, "report: %v", err)
	}
	if err := binaryToTerminal(format, *out, stdout); err != nil {
		fail(stderr, err)
		return exitUsage
	}
	ds, q, code, ok := env.reportQuery(ctx, "report", reports.Request{Unit: *unitS, AsOf: *asOfS, Courses: courses}, stderr)
	if !ok {
		return code
	}
	asOf := q.AsOf
	r, err := training.BuildReport(ds, asOf, q.Options())
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	err = env.writeOutput(*out, stdout, func(w io.Writer) error {
		switch format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		case "csv":
			return export.ReportCSV(w, r)
		case "xlsx":
			selected, _ := training.SelectCourses(ds.Courses, courses)
			overdue := training.ListOfficers(ds, asOf, training.OfficerFilter{Unit: q.Unit, Status: training.StatusOverdue, Scope: q.Scope})
			return export.ReportXLSX(w, r, overdue, selected)
		default:
			return export.ReportTable(w, r)
		}
	})
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if *out != "" {
		fmt.Fprintf(stderr, "muster: wrote the %s report as of %s to %s\n", format, asOf, *out)
	}
	return exitOK
}

// reportQuery is reports.For for the command line, which sees the whole
// force: a bad --as-of is a usage error, an unknown unit or course fails.
func (e *cmdEnv) reportQuery(ctx context.Context, cmd string, req reports.Request, stderr io.Writer) (*training.Dataset, reports.Query, int, bool) {
	if _, err := reports.ParseAsOf(req.AsOf, e.today()); err != nil {
		return nil, reports.Query{}, usageError(stderr, "%s: --as-of: %s", cmd, message(err)), false
	}
	ds, err := e.store.Dataset(ctx)
	if err != nil {
		fail(stderr, err)
		return nil, reports.Query{}, exitFail, false
	}
	q, err := reports.For(ds, reports.UnitsOf(ds), reports.Viewer{Scope: training.Scope{All: true}}, req, e.today())
	if err != nil {
		fail(stderr, err)
		return nil, reports.Query{}, exitFail, false
	}
	return ds, q, exitOK, true
}
