package jobs_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/training"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the rendered emails")

func addUsers(t testing.TB, st training.Store) {
	t.Helper()
	for _, u := range []training.User{
		{Username: "insp.north", Role: training.RoleManager, Email: "insp.north@force.example", Units: []string{"Frontline / North"}},
		{Username: "supt", Role: training.RoleManager, Email: "supt@force.example", Units: []string{"Frontline", "Nowhere / Empty"}},
		{Username: "disabled", Role: training.RoleManager, Email: "gone@force.example", Units: []string{"Frontline"}, Disabled: true},
		{Username: "noemail", Role: training.RoleManager, Units: []string{"Frontline"}},
		{Username: "admin", Role: training.RoleAdmin, Email: "admin@force.example"},
	} {
		u.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGoldenEmails renders every kind of email through a real run and
// compares it with testdata/golden (go test ./jobs -run Golden -update).
func TestGoldenEmails(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	addUsers(t, st)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	mustRun(t, s, jobs.JobReminders, false, asOf)
	mustRun(t, s, jobs.JobDigests, false, asOf)
	queued := outbox(t, st)
	mustRun(t, s, jobs.JobSender, false, asOf) // reminders' bodies are rendered at sending
	box := outbox(t, st)
	for id, m := range queued {
		if m.Subject == "" || m.Subject != box[id].Subject {
			t.Errorf("%s: planned subject %q, sent %q", m.To, m.Subject, box[id].Subject)
		}
	}
	names := map[string]string{}
	for _, m := range box {
		who := strings.Split(m.To, "@")[0]
		names[m.Kind+"-"+who] = m.ID
	}
	var got []string
	for n := range names {
		got = append(got, n)
	}
	sort.Strings(got)
	want := []string{"line-digest-priya.taylor", "reminder-aisha.khan", "reminder-tom.obrien", "unit-digest-insp.north", "unit-digest-supt"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("emails %v, want %v", got, want)
	}
	for _, n := range want {
		m := box[names[n]]
		text := "To: " + m.To + "\nSubject: " + m.Subject + "\nMessage-ID: " + m.MessageID + "\n\n" + m.Text
		golden(t, n+".txt", text)
		golden(t, n+".html", m.HTML)
		for _, bad := range []string{"{{", "<no value>", "%!"} {
			if strings.Contains(text+m.HTML, bad) {
				t.Errorf("%s contains %q", n, bad)
			}
		}
	}
	// The HTML escapes what the roster says.
	if h := box[names["reminder-tom.obrien"]].HTML; !strings.Contains(h, "Tom O&#39;Brien") {
		t.Errorf("name not escaped in HTML:\n%s", h)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestTemplatesEditValidatePreview(t *testing.T) {
	st := newBolt(t)
	seedForce(t, st)
	s := newScheduler(t, st, mail.NewDrop(t.TempDir()), newClock(at(asOf)), "one")
	ctx := context.Background()
	all, err := s.Templates(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("templates %v, %v", all, err)
	}
	def := all[jobs.TemplateReminder]
	tests := []struct {
		name, tmpl, text string
		err              error
	}{
		{"unknown template", "nope", def, training.ErrNotFound},
		{"syntax error", jobs.TemplateReminder, `{{define "subject"}}{{.Name{{end}}`, training.ErrInvalid},
		{"missing html block", jobs.TemplateReminder, `{{define "subject"}}x{{end}}{{define "text"}}y{{end}}`, training.ErrInvalid},
		{"unknown field", jobs.TemplateReminder, strings.Replace(def, "{{.Name}}", "{{.Rank}}", 1), training.ErrInvalid},
		{"valid edit", jobs.TemplateReminder, strings.Replace(def, "Mandatory training:", "Action needed:", 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetTemplate(ctx, tt.tmpl, tt.text)
			if (tt.err == nil) != (err == nil) || (tt.err != nil && !errors.Is(err, tt.err)) {
				t.Fatalf("SetTemplate: %v, want %v", err, tt.err)
			}
			if tt.err != nil {
				if _, _, _, perr := s.PreviewTemplate(ctx, tt.tmpl, tt.text); !errors.Is(perr, tt.err) {
					t.Errorf("PreviewTemplate: %v, want %v", perr, tt.err)
				}
			}
		})
	}
	subject, text, html, err := s.PreviewTemplate(ctx, jobs.TemplateReminder, "")
	if err != nil || !strings.HasPrefix(subject, "Action needed:") || !strings.Contains(text, "Alex Example") || !strings.Contains(html, "<a href=") {
		t.Fatalf("preview of the saved template: %q %q %q %v", subject, text, html, err)
	}
	r := mustRun(t, s, jobs.JobReminders, false, asOf)
	mustRun(t, s, jobs.JobSender, false, asOf)
	for _, m := range outbox(t, st) {
		if !strings.HasPrefix(m.Subject, "Action needed:") {
			t.Errorf("run did not use the edited template: %q (run %v)", m.Subject, r.Errors)
		}
	}
	if err := s.SetTemplate(ctx, jobs.TemplateReminder, ""); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Templates(ctx); all[jobs.TemplateReminder] != def {
		t.Error("empty text did not restore the default")
	}
}
