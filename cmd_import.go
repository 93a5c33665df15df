package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/training"
)

// progressFrom is the file size from which a terminal gets a progress bar.
const progressFrom = 2 << 20

// warningsShown caps the warnings printed (every error is printed; all
// warnings are in --format json and the import log).
const warningsShown = 100

// importCmd imports one roster or completion export.
func importCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("import", "[--full] [--dry-run] [--strict] [--sheet NAME] [--course ID] [--map HEADER=FIELD]… [--save-mapping NAME] [--yes] [--format text|json] FILE")
	full := fs.Bool("full", false, "the file is the whole roster: active officers missing from it become leavers")
	dry := fs.Bool("dry-run", false, "say what would change, change nothing")
	strict := fs.Bool("strict", false, "import nothing if any row or cell is in error")
	sheet := fs.String("sheet", "", "read this sheet (default: the one whose header row matches best)")
	yes := fs.Bool("yes", false, "confirm what a guard refused: more than 20% of active officers made leavers, IDs that mostly match nobody, many units or names changed")
	fs.BoolVar(yes, "confirm", false, "the same as --yes (the API's name for it)")
	course := fs.String("course", "", "the course (ID) of a file that covers one course without naming it, e.g. a Moodle course completion report")
	var maps mappingFlag
	fs.Var(&maps, "map", "what a column holds, as HEADER=FIELD (e.g. \"Pers.No.=id\", \"CSE done=course:cse-recognition\", \"Org.unit=ignore\"); repeat for more columns")
	saveAs := fs.String("save-mapping", "", "save the --map choices (and --course) under this name, for later files with the same headers")
	format := fs.String("format", "text", "text or json (the whole report, every problem)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "import: name one file (.xlsx, .xlsm or .csv)")
	}
	if *format != "text" && *format != "json" {
		return usageError(stderr, "import: --format %q must be text or json", *format)
	}
	in, err := env.openInput(pos[0])
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	defer in.close()

	opts := importers.Options{Full: *full, DryRun: *dry, Strict: *strict, Confirmed: *yes, Sheet: *sheet,
		Mapping: maps.rules, Course: *course, SaveMappingAs: *saveAs,
		By: env.by, Now: env.now(), Limits: importers.Limits{MaxBytes: int64(env.cfg.MaxUploadMB) << 20}}
	if env.files == nil && in.size >= progressFrom && isTerminal(stderr) {
		bar := progressbar.NewOptions64(-1, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("importing: rows read"),
			progressbar.OptionShowCount(), progressbar.OptionSpinnerType(14), progressbar.OptionClearOnFinish())
		opts.Progress = func(rows int) { _ = bar.Set(rows) }
		defer bar.Finish()
	}
	rep, err := importers.Run(ctx, env.store, importers.Source{Name: in.name, R: in.r, Size: in.size}, opts)
	env.auditImport(ctx, rep, err)
	if rep == nil {
		fail(stderr, fmt.Errorf("%s: %w", pos[0], err))
		return exitFail
	}
	var fe *importers.FileError
	unreadable := errors.As(err, &fe)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(rep); jerr != nil {
			fail(stderr, jerr)
			return exitFail
		}
	} else if unreadable {
		// Nothing was detected or counted: the one sentence below says it all.
	} else if perr := printImport(stdout, rep); perr != nil {
		fail(stderr, perr)
		return exitFail
	}
	if err != nil {
		msg := rep.Message
		if unreadable {
			msg = fe.Reason
		} else if msg == "" || !errors.Is(err, training.ErrInvalid) {
			msg = message(err)
		}
		fail(stderr, fmt.Errorf("%s: %s", pos[0], msg))
		return exitFail
	}
	switch {
	case rep.Outcome == training.OutcomeApplied:
		return exitOK
	case rep.NeedsConfirmation:
		fmt.Fprintln(stderr, "muster: nothing was imported; check the examples above, and if the file is right, run the same command with --yes")
	default:
		fmt.Fprintln(stderr, "muster: nothing was imported")
	}
	return exitFail
}

// mappingFlag collects repeated --map HEADER=FIELD flags.
type mappingFlag struct{ rules []training.MappingRule }

func (m *mappingFlag) String() string { return "" }

func (m *mappingFlag) Set(s string) error {
	r, err := importers.ParseMappingRule(s)
	if err != nil {
		return errors.New(message(err))
	}
	m.rules = append(m.rules, r)
	return nil
}

// printImport writes an import report for people: what was detected,
// what changed (or would), and every error with where it is.
func printImport(w io.Writer, r *importers.Report) error {
	var b strings.Builder
	d := r.Detection
	fmt.Fprintf(&b, "File %s (sha256 %s)\n", r.FileName, short(r.FileHash))
	if d.Format != "" {
		what := d.Format
		if d.Encoding != "" {
			what += ", " + d.Encoding
		}
		if d.Delimiter != "" {
			what += fmt.Sprintf(", separated by %q", d.Delimiter)
		}
		fmt.Fprintf(&b, "Detected: %s\n", what)
		if d.Sheet != "" {
			fmt.Fprintf(&b, "  sheet       %q", d.Sheet)
			if len(d.Sheets) > 1 {
				fmt.Fprintf(&b, " (of %s)", quoteAll(d.Sheets))
			}
			b.WriteString("\n")
		}
		if d.Source != "" {
			fmt.Fprintf(&b, "  source      %s\n", d.Source)
		}
		if d.Mapping != "" {
			fmt.Fprintf(&b, "  mapping     the saved mapping %q\n", d.Mapping)
		}
		fmt.Fprintf(&b, "  header row  %d\n", d.HeaderRow)
		fmt.Fprintf(&b, "  layout      %s\n", d.Layout.Text())
		if d.Course != "" {
			fmt.Fprintf(&b, "  course      %s (the file covers this one course)\n", d.Course)
		}
		fmt.Fprintf(&b, "  data rows   %d\n", d.Rows)
		if len(d.Columns) > 0 {
			b.WriteString("Columns:\n")
			width := 0
			for _, c := range d.Columns {
				width = max(width, len([]rune(c.Header)))
			}
			for _, c := range d.Columns {
				field := string(c.Field)
				switch c.Field {
				case importers.FieldCourseColumn:
					field = "completion of " + c.CourseID
				case "":
					field = "(ignored)"
				}
				why := ""
				if c.Why != "" {
					why = "  — " + c.Why
				}
				fmt.Fprintf(&b, "  %-3s %s%s -> %s%s\n", c.Letter, c.Header, strings.Repeat(" ", width-len([]rune(c.Header))), field, why)
			}
			b.WriteString("  (change one with --map \"HEADER=FIELD\"; keep the choice with --save-mapping NAME)\n")
		}
	}

	s := r.Summary
	c := r.Changes
	head := "Changes"
	switch {
	case r.DryRun && r.Outcome == training.OutcomeApplied:
		head = "Would change (dry run, nothing saved)"
	case r.Outcome == training.OutcomeRefused:
		head = "Would change (refused, nothing saved)"
	case r.Outcome == training.OutcomeFailed:
		head = "Found (failed, nothing saved)"
	case r.Outcome == training.OutcomeNoChange:
		head = "No change"
	}
	fmt.Fprintf(&b, "%s:\n", head)
	line := func(label string, n int, extra string) {
		fmt.Fprintf(&b, "  %-24s %6d%s\n", label, n, extra)
	}
	line("officers added", s.Added, "")
	line("officers updated", s.Updated, "")
	line("officers unchanged", s.Unchanged, "")
	line("leavers", s.Leavers, "")
	if c.ReturnedTotal > 0 {
		line("leavers back on roster", c.ReturnedTotal, "")
	}
	if c.MovesTotal > 0 {
		line("moved unit", c.MovesTotal, "")
	}
	if c.PostsTotal > 0 {
		line("changed post", c.PostsTotal, "  (role, staff type or in-post date)")
	}
	extra := ""
	if s.CompletionsNoDate > 0 {
		extra = fmt.Sprintf("  (%d without a date: counted from today)", s.CompletionsNoDate)
	}
	line("completions recorded", s.Completions, extra)
	line("exemptions", s.Exemptions, "")
	line("orphan completions", s.OrphanCompletions, "  (IDs not on the roster yet: kept)")
	if s.SkippedOtherCourses > 0 {
		names := make([]string, 0, len(c.SkippedCourses))
		for _, sc := range c.SkippedCourses {
			names = append(names, fmt.Sprintf("%s ×%d", sc.Name, sc.Rows))
		}
		line("other courses skipped", s.SkippedOtherCourses, "  ("+strings.Join(names, "; ")+")")
	}
	line("rows rejected", s.RowsRejected, "")
	line("cells in error", s.CellErrors, "")
	line("warnings", s.Warnings, "")
	if ro := r.Rows; ro.Read > 0 {
		fmt.Fprintf(&b, "Rows (%d read):\n", ro.Read)
		line("recorded something", ro.Recorded, "")
		line("already recorded", ro.AlreadyRecorded, "")
		for _, st := range ro.ByStatus {
			line(fmt.Sprintf("status %q", st.Status), st.Rows, "  (records no completion)")
		}
		if ro.NoDate > 0 {
			line("no completion date", ro.NoDate, "")
		}
		line("other courses", ro.OtherCourses, "")
		line("not recorded: errors", ro.NotRecorded, "")
		line("rejected", ro.Rejected, "")
		line("duplicates", ro.Duplicates, "")
	}
	for _, g := range r.Guards {
		fmt.Fprintf(&b, "Needs confirmation: %s\n", g.Message)
		for _, ex := range g.Examples {
			fmt.Fprintf(&b, "  e.g. %s\n", ex)
		}
	}
	if r.MappingSaved != "" {
		fmt.Fprintf(&b, "Saved the column mapping %q: files with the same headers will be read the same way.\n", r.MappingSaved)
	}

	if len(c.Leavers) > 0 {
		fmt.Fprintf(&b, "Leavers (%d):\n", c.LeaversTotal)
		for i, l := range c.Leavers {
			if i == 20 {
				fmt.Fprintf(&b, "  … and %d more (--format json lists up to %d)\n", c.LeaversTotal-20, importers.ListCap)
				break
			}
			why := "missing from this full roster"
			if l.Reason == "status" {
				why = "status says leaver"
			}
			fmt.Fprintf(&b, "  %s %s, %s: %s\n", l.OfficerID, l.Name, orDash(l.Unit), why)
		}
	}
	if len(c.ByUnit) > 0 {
		b.WriteString("By unit:\n")
		rows := [][]string{{"  UNIT", "ADDED", "LEAVERS", "MOVED IN", "MOVED OUT", "COMPLETIONS", "EXEMPTIONS"}}
		for i, u := range c.ByUnit {
			if i == 30 {
				rows = append(rows, []string{fmt.Sprintf("  … and %d more units", len(c.ByUnit)-30)})
				break
			}
			rows = append(rows, []string{"  " + orDash(u.Unit), itoa(u.Added), itoa(u.Leavers), itoa(u.MovedIn), itoa(u.MovedOut), itoa(u.Completions), itoa(u.Exemptions)})
		}
		var t strings.Builder
		_ = writeColumns(&t, rows)
		b.WriteString(t.String())
	}

	var errs, warns []importers.Problem
	for _, p := range r.Problems {
		if p.Severity == importers.SeverityError {
			errs = append(errs, p)
		} else {
			warns = append(warns, p)
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(&b, "Errors (%d):\n", len(errs))
		for _, p := range errs {
			b.WriteString("  " + problemText(p) + "\n")
		}
	}
	if len(warns) > 0 {
		fmt.Fprintf(&b, "Warnings (%d):\n", len(warns))
		for i, p := range warns {
			if i == warningsShown {
				fmt.Fprintf(&b, "  … and %d more (--format json lists them all)\n", len(warns)-warningsShown)
				break
			}
			b.WriteString("  " + problemText(p) + "\n")
		}
	}
	if r.Message != "" {
		b.WriteString(r.Message + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// problemText locates a problem the way an HR officer looks for it:
// sheet, row, column (header and letter), the value, and why.
func problemText(p importers.Problem) string {
	var where []string
	if p.Sheet != "" {
		where = append(where, "sheet "+p.Sheet)
	}
	if p.Row > 0 {
		where = append(where, "row "+itoa(p.Row))
	}
	if p.Column != "" {
		col := "column " + p.Column
		if p.Letter != "" {
			col += " (" + p.Letter + ")"
		}
		where = append(where, col)
	}
	s := strings.Join(where, ", ")
	if p.Value != "" {
		s += fmt.Sprintf(", value %q", p.Value)
	}
	if s != "" {
		s += ": "
	}
	s += p.Reason
	if p.RowRejected {
		s += " [row not imported]"
	}
	return s
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

func itoa(n int) string { return fmt.Sprint(n) }
