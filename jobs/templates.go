package jobs

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"sort"
	"strings"
	texttemplate "text/template"

	"github.com/muster-police/muster/training"
)

//go:embed templates/*.tmpl
var defaultTemplateFiles embed.FS

// Template names: one per kind of email.
const (
	TemplateReminder   = "reminder"
	TemplateLineDigest = "line-digest"
	TemplateUnitDigest = "unit-digest"
)

// TemplateNames lists the editable templates.
var templateNames = []string{TemplateLineDigest, TemplateReminder, TemplateUnitDigest}

// DefaultTemplate returns the built-in text of a template. A template
// defines three blocks: "subject" (plain text, one line), "text" (the
// plain-text body, text/template) and "html" (the HTML body,
// html/template, which escapes every value).
func DefaultTemplate(name string) (string, error) {
	b, err := defaultTemplateFiles.ReadFile("templates/" + name + ".tmpl")
	if err != nil {
		return "", training.NotFoundf("there is no email template named %q", name)
	}
	return string(b), nil
}

func settingKey(name string) string { return "template:" + name }

// ReminderData is what the reminder template sees.
type ReminderData struct {
	Name        string
	AsOf        string // DD/MM/YYYY
	Courses     []CourseLine
	StatusURL   string
	LinkExpires string
	// ReplyTo is where a reply goes (MUSTER_SMTP_REPLY_TO); "" when
	// replies have nowhere useful to go, and the email must not ask for one.
	ReplyTo string
}

// CourseLine is one course in a reminder.
type CourseLine struct {
	Title  string
	Status string // the status in short words: "overdue", "due soon", "outstanding"
	// Words is the status with its dates, as every page says it
	// (training.Describe): "Compliant until 24/12/2026 — renew by 25/12/2026".
	Words   string
	Due     string
	Overdue bool
	Lapsed  bool
	URL     string
}

// LineDigestData is what the line-manager digest template sees.
type LineDigestData struct {
	Name         string
	AsOf         string
	Week         string
	Overdue      int // people with at least one overdue course
	DueSoon      int // people with something due soon and nothing overdue
	People       []PersonLine
	DashboardURL string
	// Escalated are people further down the line overdue past their
	// course's escalate_after_days, told once (docs/COMPLIANCE.md).
	Escalated []EscalatedLine
}

// PersonLine is one person and course in a line-manager digest.
type PersonLine struct {
	Name    string
	ID      string
	Course  string
	Status  string
	Words   string // as CourseLine.Words
	Due     string
	Overdue bool
}

// UnitDigestData is what the unit digest template sees.
type UnitDigestData struct {
	Name         string
	AsOf         string
	Week         string
	Units        []UnitLine
	DashboardURL string
	// Escalated are people in the units just below the user's units
	// overdue past their course's escalate_after_days, told once.
	Escalated []EscalatedLine
}

// UnitLine is one unit's figures in a unit digest.
type UnitLine struct {
	Unit    string
	Courses []FigureLine
	// Worst are the teams (leaf units) with the lowest completion.
	Worst []FigureLine
}

// FigureLine is one course's figures for one unit.
type FigureLine struct {
	Unit      string
	Title     string
	Required  int
	Compliant int
	Overdue   int
	DueSoon   int
	Percent   string // "75.0%" or "n/a"
}

// statusWords is a status's label in lower case, for the short .Status
// of templates written before .Words existed.
func statusWords(s training.Status) string {
	return strings.ToLower(training.StatusLabel(s))
}

// renderer is a parsed template: the same source parsed as text and as HTML.
type renderer struct {
	text *texttemplate.Template
	html *htmltemplate.Template
	// escalated is true when the template shows .Escalated (a digest
	// edited before escalations existed does not).
	escalated bool
}

func parseTemplate(name, src string) (*renderer, error) {
	tt, err := texttemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, training.Invalidf("template %s: %v", name, err)
	}
	ht, err := htmltemplate.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return nil, training.Invalidf("template %s: %v", name, err)
	}
	for _, block := range []string{"subject", "text", "html"} {
		if tt.Lookup(block) == nil {
			return nil, training.Invalidf("template %s must define a %q block: {{define %q}}…{{end}}", name, block, block)
		}
	}
	return &renderer{text: tt, html: ht, escalated: strings.Contains(src, ".Escalated")}, nil
}

// subject renders the subject line only.
func (r *renderer) subject(data any) (string, error) {
	var b bytes.Buffer
	if err := r.text.ExecuteTemplate(&b, "subject", data); err != nil {
		return "", training.Invalidf("subject: %v", err)
	}
	return strings.Join(strings.Fields(b.String()), " "), nil
}

// render executes the three blocks. The subject is folded to one line so
// a template can never inject a header.
func (r *renderer) render(data any) (subject, text, html string, err error) {
	if subject, err = r.subject(data); err != nil {
		return "", "", "", err
	}
	var b bytes.Buffer
	if err := r.text.ExecuteTemplate(&b, "text", data); err != nil {
		return "", "", "", training.Invalidf("text: %v", err)
	}
	text = strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	if err := r.html.ExecuteTemplate(&b, "html", data); err != nil {
		return "", "", "", training.Invalidf("html: %v", err)
	}
	html = strings.TrimSpace(b.String()) + "\n"
	return subject, text, html, nil
}

// sampleData is made-up data for validating and previewing a template.
func sampleData(name string) any {
	switch name {
	case TemplateReminder:
		return ReminderData{Name: "Alex Example", AsOf: "24/11/2026", StatusURL: "https://muster.example/me/sample-token", ReplyTo: "training@muster.example",
			LinkExpires: "23/01/2027", Courses: []CourseLine{
				{Title: "CSE recognition", Status: "overdue", Words: "Overdue — was due 31/03/2026", Due: "31/03/2026", Overdue: true, URL: "https://learning.example/cse"},
				{Title: "Trauma-informed communication", Status: "compliant", Words: "Compliant until 30/11/2026 — renew by 01/12/2026", Due: "01/12/2026"},
			}}
	case TemplateLineDigest:
		return LineDigestData{Name: "Sam Sergeant", AsOf: "23/11/2026", Week: "2026-W48", Overdue: 1, DueSoon: 1,
			DashboardURL: "https://muster.example/", People: []PersonLine{
				{Name: "Alex Example", ID: "0012345", Course: "CSE recognition", Status: "overdue", Words: "Overdue — was due 31/03/2026", Due: "31/03/2026", Overdue: true},
				{Name: "Jo Sample", ID: "0067890", Course: "Trauma-informed communication", Status: "due soon", Words: "Due soon — due by 01/12/2026", Due: "01/12/2026"},
			}, Escalated: []EscalatedLine{sampleEscalated}}
	default:
		return UnitDigestData{Name: "Chris Inspector", AsOf: "23/11/2026", Week: "2026-W48", DashboardURL: "https://muster.example/",
			Units: []UnitLine{{Unit: "Frontline Policing / Central West",
				Courses: []FigureLine{{Title: "CSE recognition", Required: 120, Compliant: 90, Overdue: 20, DueSoon: 4, Percent: "75.0%"}},
				Worst:   []FigureLine{{Unit: "Frontline Policing / Central West / Response Team 1", Title: "CSE recognition", Required: 30, Compliant: 15, Overdue: 12, Percent: "50.0%"}},
			}}, Escalated: []EscalatedLine{sampleEscalated}}
	}
}

var sampleEscalated = EscalatedLine{Name: "Lee Longstanding", ID: "0054321", Unit: "Frontline Policing / Central West / Response Team 2",
	Manager: "Pat Sergeant", Course: "CSE recognition", Status: "overdue", Words: "Overdue — was due 31/03/2026 (237 days overdue)",
	Due: "31/03/2026", DaysOverdue: 237}

func knownTemplate(name string) error {
	for _, n := range templateNames {
		if n == name {
			return nil
		}
	}
	return training.NotFoundf("there is no email template named %q (known: %s)", name, strings.Join(templateNames, ", "))
}

// templateText returns the current text of a template: the admin's
// edited version from the store, else the default.
func templateText(ctx context.Context, st training.JobStore, name string) (string, error) {
	v, err := st.Setting(ctx, settingKey(name))
	switch {
	case errors.Is(err, training.ErrNotFound) || (err == nil && v == ""):
		return DefaultTemplate(name)
	case err != nil:
		return "", err
	}
	return v, nil
}

// loadRenderer parses the current template; a stored one that no longer
// parses (it was validated on save, so only after an upgrade) falls back
// to the default so that reminders still go out, and the error is returned
// alongside for the run record.
func loadRenderer(ctx context.Context, st training.JobStore, name string) (*renderer, error) {
	src, err := templateText(ctx, st, name)
	if err != nil {
		return nil, err
	}
	r, perr := parseTemplate(name, src)
	if perr == nil {
		if _, _, _, perr = r.render(sampleData(name)); perr == nil {
			return r, nil
		}
	}
	def, _ := DefaultTemplate(name)
	r, err = parseTemplate(name, def)
	if err != nil {
		return nil, err
	}
	return r, fmt.Errorf("stored template %s is broken, using the default: %w", name, perr)
}

// Templates returns every template's current text by name.
func (s *Scheduler) Templates(ctx context.Context) (map[string]string, error) {
	out := make(map[string]string, len(templateNames))
	for _, n := range templateNames {
		t, err := templateText(ctx, s.store, n)
		if err != nil {
			return nil, err
		}
		out[n] = t
	}
	return out, nil
}

// TemplateNames returns the names of the editable templates, sorted.
func TemplateNames() []string {
	out := append([]string(nil), templateNames...)
	sort.Strings(out)
	return out
}

// SetTemplate saves an edited template after checking that it parses and
// renders the sample data; empty text restores the default.
func (s *Scheduler) SetTemplate(ctx context.Context, name, text string) error {
	if err := knownTemplate(name); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return s.store.PutSetting(ctx, settingKey(name), "")
	}
	r, err := parseTemplate(name, text)
	if err != nil {
		return err
	}
	if _, _, _, err := r.render(sampleData(name)); err != nil {
		return err
	}
	return s.store.PutSetting(ctx, settingKey(name), text)
}

// PreviewTemplate renders text (or, when empty, the current template)
// with made-up sample data.
func (s *Scheduler) PreviewTemplate(ctx context.Context, name, text string) (subject, textBody, htmlBody string, err error) {
	if err := knownTemplate(name); err != nil {
		return "", "", "", err
	}
	if strings.TrimSpace(text) == "" {
		if text, err = templateText(ctx, s.store, name); err != nil {
			return "", "", "", err
		}
	}
	r, err := parseTemplate(name, text)
	if err != nil {
		return "", "", "", err
	}
	return r.render(sampleData(name))
}
