package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/muster-police/muster/internal/courses"
	"github.com/muster-police/muster/training"
)

// coursesCmd dispatches `courses list` and `courses apply FILE.yaml`.
func coursesCmd(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	return dispatch(ctx, env, "courses", []subcommand{{"list", coursesList}, {"apply", coursesApply}}, args, stdout, stderr)
}

func coursesList(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("courses list", "[--format table|json|yaml]")
	format := fs.String("format", "table", "table, json or yaml (yaml is the format that courses apply reads)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return usageError(stderr, "courses list: unexpected argument %q", pos[0])
	}
	cs, err := env.store.Courses(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(cs)
	case "yaml":
		err = writeCoursesYAML(stdout, cs)
	case "table":
		err = coursesTable(stdout, cs)
	default:
		return usageError(stderr, "courses list: --format %q must be table, json or yaml", *format)
	}
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	return exitOK
}

// coursesTable writes one block per course: readable with long alias lists.
func coursesTable(w io.Writer, cs []training.Course) error {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n")
		}
		deadline := c.Deadline.String()
		if deadline == "" {
			deadline = "none"
		}
		valid := "never expires"
		if c.ValidForMonths > 0 {
			valid = strconv.Itoa(c.ValidForMonths) + " months"
		}
		fmt.Fprintf(&b, "%s  %s\n", c.ID, c.Title)
		fmt.Fprintf(&b, "  deadline %s · new joiners within %d days · valid %s · due soon %d days before\n", deadline, c.DueWithinDays, valid, c.DueSoonDays)
		if len(c.Aliases) > 0 {
			fmt.Fprintf(&b, "  also known as: %s\n", strings.Join(c.Aliases, "; "))
		}
		if c.URL != "" {
			fmt.Fprintf(&b, "  course link: %s\n", c.URL)
		}
		if c.RenewWithinDays > 0 {
			fmt.Fprintf(&b, "  renewing within %d days before expiry keeps the cycle\n", c.RenewWithinDays)
		}
		if c.EscalateAfterDays > 0 {
			fmt.Fprintf(&b, "  escalated after %d days overdue, to the line manager's manager and the unit above\n", c.EscalateAfterDays)
		}
		fmt.Fprintf(&b, "  required of: %s\n", c.Audience.Describe())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// courseYAML is one course as written in a courses file (COMPLIANCE.md).
// Dates are read as text so that a bad one is reported with its course.
type courseYAML struct {
	ID             string   `yaml:"id"`
	Title          string   `yaml:"title"`
	Aliases        []string `yaml:"aliases"`
	Deadline       string   `yaml:"deadline,omitempty"`
	DueWithinDays  *int     `yaml:"due_within_days"`
	ValidForMonths *int     `yaml:"valid_for_months"`
	DueSoonDays    *int     `yaml:"due_soon_days"`
	URL            string   `yaml:"url,omitempty"`
	// RenewWithinDays and Audience: who must do the course and how early
	// renewal counts (docs/COMPLIANCE.md).
	RenewWithinDays *int               `yaml:"renew_within_days,omitempty"`
	Audience        *training.Audience `yaml:"audience,omitempty"`
	// EscalateAfterDays: days overdue before a person is escalated
	// (docs/COMPLIANCE.md, "Escalation"); left out or 0: never.
	EscalateAfterDays *int `yaml:"escalate_after_days,omitempty"`
}

// coursesFile is the top level of a courses file.
type coursesFile struct {
	Courses []courseYAML `yaml:"courses"`
}

// parseCourses reads and validates a courses file; every error names the
// file and the course (by id, or by position when it has none).
func parseCourses(name string, b []byte) ([]training.Course, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f coursesFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s is empty: it should hold `courses:` and a list of courses", name)
		}
		return nil, fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "yaml: ")) // yaml's text, not the domain's
	}
	if len(f.Courses) == 0 {
		return nil, fmt.Errorf("%s has no courses: it should hold `courses:` and a list of courses", name)
	}
	ids := map[string]bool{}
	out := make([]training.Course, 0, len(f.Courses))
	for i, y := range f.Courses {
		label := fmt.Sprintf("course %d", i+1)
		if y.ID != "" {
			label = fmt.Sprintf("course %q", y.ID)
		}
		c := training.Course{ID: y.ID, Title: y.Title, Aliases: y.Aliases, URL: strings.TrimSpace(y.URL)}
		if y.Audience != nil {
			c.Audience = *y.Audience
		}
		if y.RenewWithinDays != nil {
			if *y.RenewWithinDays < 0 {
				return nil, fmt.Errorf("%s: %s: renew_within_days must not be negative", name, label)
			}
			c.RenewWithinDays = *y.RenewWithinDays
		}
		if y.EscalateAfterDays != nil {
			c.EscalateAfterDays = *y.EscalateAfterDays // Validate bounds it
		}
		if y.Deadline != "" {
			d, err := training.ParseDate(strings.TrimSpace(y.Deadline))
			if err != nil {
				return nil, fmt.Errorf("%s: %s: deadline %q is not a date in the form YYYY-MM-DD", name, label, y.Deadline)
			}
			c.Deadline = d
		}
		for _, n := range []struct {
			field string
			src   *int
			dst   *int
		}{{"due_within_days", y.DueWithinDays, &c.DueWithinDays}, {"valid_for_months", y.ValidForMonths, &c.ValidForMonths}, {"due_soon_days", y.DueSoonDays, &c.DueSoonDays}} {
			if n.src == nil {
				continue
			}
			if *n.src < 0 {
				return nil, fmt.Errorf("%s: %s: %s must not be negative", name, label, n.field)
			}
			if *n.src == 0 && n.field != "valid_for_months" {
				return nil, fmt.Errorf("%s: %s: %s must be at least 1 (leave it out for the default)", name, label, n.field)
			}
			*n.dst = *n.src
		}
		c = c.Normalize()
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %s: %s", name, label, message(err))
		}
		if c.URL != "" && !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
			return nil, fmt.Errorf("%s: %s: url %q must start with https:// or http://", name, label, c.URL)
		}
		if ids[c.ID] {
			return nil, fmt.Errorf("%s: course %q appears twice", name, c.ID)
		}
		ids[c.ID] = true
		out = append(out, c)
	}
	return out, nil
}

func coursesApply(ctx context.Context, env *cmdEnv, args []string, stdout, stderr io.Writer) int {
	fs := flagSet("courses apply", "[--dry-run] [--yes] FILE.yaml")
	dry := fs.Bool("dry-run", false, "check the file and say what would change, without saving")
	yes := fs.Bool("yes", false, "confirm a change of who must do a course that alters more than 20% of its required people")
	fs.BoolVar(yes, "confirm", false, "the same as --yes (the API's name for it)")
	pos, code, ok := env.parseFlags(fs, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return usageError(stderr, "courses apply: name one YAML file (see COMPLIANCE.md for its format)")
	}
	b, err := env.readInput(pos[0])
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	cs, err := parseCourses(pos[0], b)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	// The one "change the courses" use case the API and the Courses page
	// call too: names checked against the stored courses, and each change
	// previewed (who becomes required, who stops, by unit).
	plan, err := courses.NewPlan(ctx, env.store, cs, env.today())
	if err != nil {
		var ne *training.CourseNameError
		if errors.As(err, &ne) {
			err = fmt.Errorf("%s: course %q: %s", pos[0], ne.Course, message(err))
		}
		fail(stderr, err)
		return exitFail
	}
	printCoursePlan(stdout, plan)
	if *dry {
		fmt.Fprintf(stdout, "Dry run: %d new, %d changed, %d unchanged; nothing saved.\n", plan.Created(), plan.Updated(), plan.Unchanged)
		return exitOK
	}
	if len(plan.Changes) == 0 {
		fmt.Fprintf(stdout, "Nothing to change: all %d courses are as in %s.\n", plan.Unchanged, pos[0])
		return exitOK
	}
	if err := courses.Apply(ctx, env.store, plan, *yes, courses.Actor{Name: env.by}, env.now()); err != nil {
		var nc *courses.ErrNeedsConfirmation
		if errors.As(err, &nc) {
			fmt.Fprintln(stderr, "muster: nothing was saved: this changes who must do a course for more than 20% of the people who must do it now; check the figures above, and if they are right, run the same command with --yes")
			return exitFail
		}
		fail(stderr, err)
		return exitFail
	}
	fmt.Fprintf(stdout, "Saved: %d new, %d changed, %d unchanged.\n", plan.Created(), plan.Updated(), plan.Unchanged)
	return exitOK
}

// printCoursePlan writes each change's preview: who becomes required, who
// stops, who would be overdue at once, and the units most affected.
func printCoursePlan(w io.Writer, p *courses.Plan) {
	for _, ch := range p.Changes {
		state := "changed "
		if ch.Old == nil {
			state = "new     "
		}
		fmt.Fprintf(w, "%s %s  %s\n", state, ch.Course.ID, ch.Course.Title)
		pv := ch.Preview
		if ch.Old == nil {
			fmt.Fprintf(w, "         required of %d people; %d overdue at once\n", pv.RequiredAfter, pv.OverdueAtOnce)
			continue
		}
		if pv.Joining == 0 && pv.Leaving == 0 && pv.OverdueAtOnce == 0 {
			fmt.Fprintf(w, "         who must do it is unchanged (%d people)\n", pv.RequiredAfter)
			continue
		}
		fmt.Fprintf(w, "         required of %d people, was %d: %d become required, %d stop being required, %d overdue at once\n",
			pv.RequiredAfter, pv.RequiredBefore, pv.Joining, pv.Leaving, pv.OverdueAtOnce)
		units := slices.Clone(pv.Units)
		slices.SortStableFunc(units, func(a, b training.UnitChange) int {
			return (b.Joining + b.Leaving) - (a.Joining + a.Leaving)
		})
		for i, u := range units {
			if i == 10 {
				fmt.Fprintf(w, "           … and %d more units\n", len(units)-10)
				break
			}
			fmt.Fprintf(w, "           %s: +%d, -%d, %d overdue at once\n", u.Unit, u.Joining, u.Leaving, u.OverdueAtOnce)
		}
	}
}

// writeCoursesYAML writes courses in the format courses apply reads.
func writeCoursesYAML(w io.Writer, cs []training.Course) error {
	f := coursesFile{}
	for _, c := range cs {
		y := courseYAML{ID: c.ID, Title: c.Title, Aliases: c.Aliases, Deadline: c.Deadline.String(), URL: c.URL}
		due, valid, soon := c.DueWithinDays, c.ValidForMonths, c.DueSoonDays
		y.DueWithinDays, y.ValidForMonths, y.DueSoonDays = &due, &valid, &soon
		if c.RenewWithinDays > 0 {
			renew := c.RenewWithinDays
			y.RenewWithinDays = &renew
		}
		if !c.Audience.IsZero() {
			a := c.Audience
			y.Audience = &a
		}
		if c.EscalateAfterDays > 0 {
			esc := c.EscalateAfterDays
			y.EscalateAfterDays = &esc
		}
		f.Courses = append(f.Courses, y)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Close()
}
