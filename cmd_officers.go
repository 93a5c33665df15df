package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/muster-police/muster/internal/reports"
	"io"
	"strings"

	"github.com/muster-police/muster/internal/export"
	"github.com/muster-police/muster/training"
)

// officersCmd dispatches `officers show ID` and `officers list`.
func officersCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "officers", []subcommand{{"show", officersShow}, {"list", officersList}, {"export", officersExport}}, args, stdout, stderr)
}

// officerView is `officers show --format json`: the record and its evaluation.
type officerView struct {
	AsOf        training.Date           `json:"as_of"`
	Officer     training.Officer        `json:"officer"`
	Courses     []training.CourseStatus `json:"courses"`
	Completions []training.Completion   `json:"completions"`
	Exemptions  []training.Exemption    `json:"exemptions"`
}

func officersShow(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("officers show", "[--as-of DATE] [--format table|json] ID")
	asOfS := fs.String("as-of", "", "evaluate as of this date, YYYY-MM-DD (default today)")
	format := fs.String("format", "table", "table or json")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "officers show: name one officer ID")
	}
	if *format != "table" && *format != "json" {
		return usageError(stderr, "officers show: --format %q must be table or json", *format)
	}
	asOf, err := env.asOf(*asOfS)
	if err != nil {
		return usageError(stderr, "officers show: %v", err)
	}
	id := training.NormalizeID(pos[0])
	if id == "" {
		return usageError(stderr, "officers show: the officer ID is blank")
	}
	rec, err := env.store.Officer(ctx, id)
	if err != nil {
		fail(stderr, fmt.Errorf("officer %s: %w", pos[0], err))
		return exitFail
	}
	courses, err := env.store.Courses(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	env.audit(ctx, training.AuditOfficerViewed, training.TargetOfficer, id, training.AuditOK, "cli")
	st := training.EvaluateOfficer(rec.Officer, courses, rec.Completions, rec.Exemptions, asOf)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(officerView{AsOf: asOf, Officer: rec.Officer, Courses: st.Courses, Completions: rec.Completions, Exemptions: rec.Exemptions})
	} else {
		err = officerText(stdout, rec, st, courses, asOf)
	}
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

// officerText writes one officer for people: who, where, and each course.
func officerText(w io.Writer, rec training.OfficerRecord, st training.OfficerStatus, courses []training.Course, asOf training.Date) error {
	o := rec.Officer
	var b strings.Builder
	id := o.DisplayID
	if id == "" {
		id = o.ID
	}
	fmt.Fprintf(&b, "%s  %s\n", id, orDash(o.Name))
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "  %-14s %s\n", k+":", v)
		}
	}
	line("Rank", o.Rank)
	line("Role", o.Role)
	line("Staff type", string(o.StaffType))
	line("In post since", o.InPostSince.String())
	line("Unit", orDash(o.Unit))
	email := o.Email
	if o.EmailInvalid {
		email += " (invalid: cannot be reminded)"
	}
	line("Email", email)
	line("Line manager", o.LineManager)
	line("Start date", o.StartDate.String())
	line("First seen", o.FirstSeen.String())
	if o.Leaver {
		line("Status", "leaver since "+orDash(o.LeftOn.String())+" (not counted)")
	} else {
		line("Status", "active")
	}
	line("Last change", sourceText(o.Source))
	fmt.Fprintf(&b, "\nAs of %s:\n", asOf)
	for i, cs := range st.Courses {
		c := courses[i]
		fmt.Fprintf(&b, "  %s: %s\n", c.Title, training.Describe(cs).Words) // as on the officer page and /me
		if cs.Completion != nil {
			done := cs.Completion.Date.String()
			if cs.Completion.DateUnknown {
				done += " (date not given; day of the import)"
			}
			fmt.Fprintf(&b, "    completed %s, from %s\n", done, sourceText(cs.Completion.Source))
		}
		if !cs.Expires.IsZero() {
			fmt.Fprintf(&b, "    expires   %s\n", cs.Expires)
		}
		if !cs.Due.IsZero() {
			fmt.Fprintf(&b, "    due       %s\n", cs.Due)
		}
		if cs.Exemption != nil {
			e := cs.Exemption
			fmt.Fprintf(&b, "    exempt    %s to %s, from %s\n", orDash(e.From.String()), orDash(e.Until.String()), sourceText(e.Source))
		}
	}
	if n := len(rec.Completions); n > 0 {
		fmt.Fprintf(&b, "\nCompletion history (%d):\n", n)
		for _, c := range rec.Completions {
			fmt.Fprintf(&b, "  %s  %s  %s\n", c.Date, c.CourseID, sourceText(c.Source))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// sourceText says where a record came from: file, sheet and row, or who.
func sourceText(s training.Source) string {
	var parts []string
	if s.File != "" {
		parts = append(parts, s.File)
	}
	if s.Sheet != "" {
		parts = append(parts, "sheet "+s.Sheet)
	}
	if s.Row > 0 {
		parts = append(parts, fmt.Sprintf("row %d", s.Row))
	}
	if len(parts) == 0 && s.By != "" {
		parts = append(parts, "by "+s.By)
	}
	if !s.At.IsZero() {
		parts = append(parts, "on "+training.DateOf(s.At).String())
	}
	if len(parts) == 0 {
		return "unknown source"
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func officersList(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("officers list", "[--unit PATH] [--status STATUS] [--course ID] [--as-of DATE] [--leavers] [--format table|json|csv|xlsx] [--out FILE]")
	unitS := fs.String("unit", "", "only this unit's subtree")
	statusS := fs.String("status", "", "only officers with this status on some course (or on --course): compliant, overdue, due_soon, outstanding, exempt")
	course := fs.String("course", "", "test --status on this course `ID` only")
	asOfS := fs.String("as-of", "", "evaluate as of this date, YYYY-MM-DD (default today)")
	leavers := fs.Bool("leavers", false, "include leavers")
	formatS := fs.String("format", "", "table, json, csv or xlsx (default table, or from --out's extension)")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "officers list: unexpected argument %q", pos[0])
	}
	format, err := formatFor(*formatS, *out, "table", "table", "json", "csv", "xlsx")
	if err != nil {
		return usageError(stderr, "officers list: %v", err)
	}
	var status training.Status
	if *statusS != "" {
		s, ok := training.ParseStatus(*statusS)
		if !ok {
			return usageError(stderr, "officers list: --status %q must be one of compliant, overdue, due_soon, outstanding, exempt", *statusS)
		}
		status = s
	}
	if err := binaryToTerminal(format, *out, stdout); err != nil {
		fail(stderr, err)
		return exitUsage
	}
	req := reports.Request{Unit: *unitS, AsOf: *asOfS}
	if *course != "" {
		req.Courses = []string{*course}
	}
	ds, q, code, ok := env.reportQuery(ctx, "officers list", req, stderr)
	if !ok {
		return code
	}
	list := training.ListOfficers(ds, q.AsOf, training.OfficerFilter{Unit: q.Unit, Course: *course, Status: status, Leavers: *leavers, Scope: q.Scope})
	err = env.writeOutput(*out, stdout, func(w io.Writer) error {
		switch format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			if list == nil {
				list = []training.OfficerStatus{}
			}
			return enc.Encode(list)
		case "csv":
			return export.OfficersCSV(w, list, ds.Courses)
		case "xlsx":
			return export.OfficersXLSX(w, list, ds.Courses)
		default:
			return officersTable(w, list, ds.Courses)
		}
	})
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	if format == "table" {
		fmt.Fprintf(stderr, "%d officers as of %s\n", len(list), q.AsOf)
	}
	return exitOK
}

// officersTable writes one line per officer: ID, name, unit, a status per course.
func officersTable(w io.Writer, list []training.OfficerStatus, courses []training.Course) error {
	rows := [][]string{{"ID", "NAME", "UNIT"}}
	for _, c := range courses {
		rows[0] = append(rows[0], strings.ToUpper(c.ID))
	}
	for _, os := range list {
		o := os.Officer
		id := o.DisplayID
		if id == "" {
			id = o.ID
		}
		name := o.Name
		if o.Leaver {
			name += " (leaver)"
		}
		r := []string{id, name, o.Unit}
		for _, cs := range os.Courses {
			s := statusWords(cs.Status)
			if !cs.Due.IsZero() {
				s += " " + cs.Due.String()
			}
			r = append(r, s)
		}
		rows = append(rows, r)
	}
	return writeColumns(w, rows)
}

// writeColumns writes rows as left-aligned columns two spaces apart.
func writeColumns(w io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		for i, v := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if n := len([]rune(v)); n > widths[i] {
				widths[i] = n
			}
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			b.WriteString(v)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-len([]rune(v))+2))
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
