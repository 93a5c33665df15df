package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

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
	fs := flagSet("courses apply", "[--dry-run] FILE.yaml")
	dry := fs.Bool("dry-run", false, "check the file and say what would change, without saving")
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
	existing, err := env.store.Courses(ctx)
	if err != nil {
		fail(stderr, err)
		return exitFail
	}
	byID := map[string]training.Course{}
	for _, c := range existing {
		byID[c.ID] = c
	}
	// Names must stay unambiguous, within the file and against the courses
	// it leaves alone: the one rule the API and the web pages check too.
	if err := training.CheckCourseNames(existing, cs...); err != nil {
		var ne *training.CourseNameError
		if errors.As(err, &ne) {
			err = fmt.Errorf("%s: course %q: %s", pos[0], ne.Course, message(err))
		}
		fail(stderr, err)
		return exitFail
	}
	var changed []training.Course
	var created, updated, unchanged int
	for _, c := range cs {
		old, ok := byID[c.ID]
		switch {
		case !ok:
			created++
			fmt.Fprintf(stdout, "new      %s  %s\n", c.ID, c.Title)
		case reflect.DeepEqual(old.Normalize(), c):
			unchanged++
			continue
		default:
			updated++
			fmt.Fprintf(stdout, "changed  %s  %s\n", c.ID, c.Title)
		}
		changed = append(changed, c)
	}
	if *dry {
		fmt.Fprintf(stdout, "Dry run: %d new, %d changed, %d unchanged; nothing saved.\n", created, updated, unchanged)
		return exitOK
	}
	if len(changed) == 0 {
		fmt.Fprintf(stdout, "Nothing to change: all %d courses are as in %s.\n", unchanged, pos[0])
		return exitOK
	}
	if err := env.store.PutCourses(ctx, changed); err != nil {
		fail(stderr, err)
		return exitFail
	}
	env.audit(ctx, training.AuditCourseChanged, training.TargetCourse, "", training.AuditOK, fmt.Sprintf("%d new, %d changed", created, updated))
	fmt.Fprintf(stdout, "Saved: %d new, %d changed, %d unchanged.\n", created, updated, unchanged)
	return exitOK
}

// writeCoursesYAML writes courses in the format courses apply reads.
func writeCoursesYAML(w io.Writer, cs []training.Course) error {
	f := coursesFile{}
	for _, c := range cs {
		y := courseYAML{ID: c.ID, Title: c.Title, Aliases: c.Aliases, Deadline: c.Deadline.String(), URL: c.URL}
		due, valid, soon := c.DueWithinDays, c.ValidForMonths, c.DueSoonDays
		y.DueWithinDays, y.ValidForMonths, y.DueSoonDays = &due, &valid, &soon
		f.Courses = append(f.Courses, y)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return err
	}
	return enc.Close()
}
