package server

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/internal/requests"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// requestCase is an overdue officer of the sample roster whose line
// manager is on the roster too (and gets a manager's account here).
type requestCase struct {
	officer, lineManager training.Officer
	course               training.Course
}

func findRequestCase(t *testing.T, ds *training.Dataset) requestCase {
	t.Helper()
	ids := make([]string, 0, len(ds.Officers))
	for id := range ds.Officers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		o := ds.Officers[id]
		lm, ok := ds.Officers[training.NormalizeID(o.LineManager)]
		if !o.Active() || o.Email == "" || o.EmailInvalid || !ok || !lm.Active() {
			continue
		}
		for _, c := range ds.Courses {
			if training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], training.DateOf(webNow)).Status == training.StatusOverdue {
				return requestCase{officer: o, lineManager: lm, course: c}
			}
		}
	}
	t.Fatal("the sample roster has no overdue officer with a line manager on it")
	return requestCase{}
}

// setupRequestCase finds the case in the sample roster and gives the
// line manager an account, "sergeant", linked to their roster entry and
// seeing the officer's unit.
func setupRequestCase(t *testing.T, e *e2eEnv) (requestCase, *training.Dataset) {
	t.Helper()
	ctx := context.Background()
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rc := findRequestCase(t, ds)
	hash, err := accounts.HashPassword(webPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateUser(ctx, training.User{Username: "sergeant", Role: training.RoleManager, Email: "sergeant@police.test",
		OfficerID: rc.lineManager.ID, Units: []string{rc.officer.Unit}, PasswordHash: hash, Created: webNow}); err != nil {
		t.Fatal(err)
	}
	return rc, ds
}

// TestE2ERequestMoreTime: in Chromium, an overdue officer asks for more
// time on their own page (at 320 px, as on a phone); their line manager
// signs in, sees the count in the navigation and approves on the
// Requests page; the officer's page, the team matrix and the dashboard
// then say "extended to DATE by NAME" and count them as no longer
// overdue; both emails (the request to the manager, the decision to the
// officer) reach the real SMTP server.
func TestE2ERequestMoreTime(t *testing.T) {
	relay := mailtest.StartRelay(t)
	smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: relay.Host, Port: relay.Port, TLS: mail.TLSNone, From: "Training <training@force.example>"})
	if err != nil {
		t.Fatal(err)
	}
	e := startE2E(t, true, func(c *jobs.Config) { c.Mailer = smtp })
	ctx := context.Background()
	rc, _ := setupRequestCase(t, e)
	until := training.DateOf(webNow).AddDays(20)
	extended := "extended to " + until.UK() + " by " + rc.lineManager.Name
	card := `section[data-course="` + rc.course.ID + `"]`
	text, submit := e.text, e.submit

	// The dashboard before, as the line manager.
	e.login("sergeant")
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	before := readFigures(t, e.ctx)[rc.course.ID]
	if nav := text(`document.querySelector('nav[aria-label=Main]').textContent`); !strings.Contains(nav, "Requests") || strings.Contains(nav, "open") {
		t.Errorf("before any request the navigation says %q", nav)
	}

	// The officer, signed out, on a phone.
	if _, err := chromedp.Call(e.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	link := training.SignOfficerLinkAt([]byte("e2e-secret-0123456789abcdef"), rc.officer.ID, webNow, webNow.Add(48*time.Hour))
	me := e.base + "/me/" + link
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(me), chromedp.WaitReady("body"),
		chromedp.Click(chromedp.CSS(card+` details.request summary`)),
		chromedp.SetValue(chromedp.ID("until-extension-"+rc.course.ID), until.String()),
		chromedp.SendKeys(chromedp.ID("reason-extension-"+rc.course.ID), "Long-term sick until December"),
	); err != nil {
		t.Fatalf("the officer's form: %v", err)
	}
	submit(card + ` form.request-form button[type=submit]`)
	if got := text(`document.querySelector('main').textContent`); !strings.Contains(got, "Your request was sent") || !strings.Contains(got, "Waiting for a decision") {
		t.Fatalf("after asking, the officer's page says: %s", clipTo(got, 600))
	}

	// The line manager: the count in the navigation, the Requests page, Approve.
	e.login("sergeant")
	if nav := text(`document.querySelector('nav[aria-label=Main]').textContent`); !strings.Contains(nav, "Requests (1 open)") {
		t.Errorf("the navigation says %q, want a count of 1 open request", nav)
	}
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/requests"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if got := text(`document.querySelector('main').textContent`); !strings.Contains(got, rc.officer.Name) || !strings.Contains(got, "Long-term sick until December") {
		t.Fatalf("the Requests page: %s", clipTo(got, 600))
	}
	submit(`button[id^="approve-"]`)
	if got := text(`document.querySelector('main').textContent`); !strings.Contains(got, "Request approved") {
		t.Errorf("after approving: %s", clipTo(got, 400))
	}

	// The officer's page says it.
	if err := chromedp.Do(e.ctx, chromedp.Navigate(me), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if got := text(`document.querySelector('` + card + ` .status-line').textContent`); !strings.Contains(got, extended) || strings.Contains(got, "Overdue") {
		t.Errorf("the officer's page says %q, want %q and not overdue", got, extended)
	}
	// The matrix (as the line manager) says it.
	e.login("sergeant")
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/matrix?unit="+url.QueryEscape(rc.officer.Unit)), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	row := text(`[...document.querySelectorAll('#matrix-table tbody tr')].filter(tr => tr.querySelector('th').textContent.includes(` + jsString(rc.officer.Name) + `)).map(tr => tr.textContent).join(' ')`)
	if !strings.Contains(row, extended) {
		t.Errorf("the matrix row of %s says %q, want %q", rc.officer.Name, clipTo(row, 400), extended)
	}
	// The dashboard counts one fewer overdue.
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	after := readFigures(t, e.ctx)[rc.course.ID]
	if after["overdue"] != before["overdue"]-1 || after["required"] != before["required"] {
		t.Errorf("dashboard overdue %d → %d (required %d → %d), want one fewer overdue", before["overdue"], after["overdue"], before["required"], after["required"])
	}

	// Both emails reach the SMTP server.
	if _, err := e.sched.RunNow(ctx, jobs.JobSender, false, training.DateOf(webNow)); err != nil {
		t.Fatalf("sender: %v", err)
	}
	var to []string
	for _, d := range relay.Deliveries() {
		to = append(to, d.To...)
	}
	for _, want := range []string{"sergeant@police.test", rc.officer.Email} {
		if !slices.Contains(to, want) {
			t.Errorf("no email to %s reached the relay (got %v)", want, to)
		}
	}
	msgs, err := e.st.Messages(ctx, training.MessageSent, 0)
	if err != nil {
		t.Fatal(err)
	}
	subjects := []string{}
	for _, m := range msgs {
		subjects = append(subjects, m.Subject)
	}
	if !slices.ContainsFunc(subjects, func(s string) bool { return strings.Contains(s, "was approved") }) ||
		!slices.ContainsFunc(subjects, func(s string) bool { return strings.Contains(s, "Training request from "+rc.officer.Name) }) {
		t.Errorf("sent subjects %q", subjects)
	}
}

// text is what a JavaScript expression gives, its white space collapsed.
func (e *e2eEnv) text(js string) string {
	e.t.Helper()
	s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		e.t.Fatalf("%s: %v", js, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// submit clicks sel and waits for the page it leads to.
func (e *e2eEnv) submit(sel string) {
	e.t.Helper()
	if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		e.t.Fatalf("click %s: %v", sel, err)
	}
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestE2ERequestsAccessibility runs axe-core at 1280 and 320 px on every
// page of requests, as everyone who can see it: an officer's page with
// the request forms (and with a form's problems shown, and with an open
// request), and the Requests page as the line manager, HR and admin
// (with a request waiting, a claim with a certificate, and after a
// decision).
func TestE2ERequestsAccessibility(t *testing.T) {
	axe := axeSource(t)
	e := startE2E(t, true)
	ctx := context.Background()
	rc, ds := setupRequestCase(t, e)
	key := []byte("e2e-secret-0123456789abcdef")
	me := "/me/" + training.SignOfficerLinkAt(key, rc.officer.ID, webNow, webNow.Add(48*time.Hour))
	if _, err := chromedp.Call(e.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	// The forms (folded parts opened by checkPage).
	e.checkPage(axe, "officer", me)
	// A form's problems: a reason of spaces and no date.
	for _, w := range []int64{1280, 320} {
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(e.base+me), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => { d.open = true })`)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS(`section[data-course="`+rc.course.ID+`"] form.request-form button[type=submit]`)))); err != nil {
			t.Fatal(err)
		}
		if got, _ := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.title`)); !strings.HasPrefix(got, "Error: ") {
			t.Errorf("the form with problems is titled %q", got)
		}
		e.checkHere(axe, "officer", me+" (a form's problems)", w)
	}

	// A request for more time, and a claim with a certificate by someone else.
	cs := &requests.Service{Store: e.st, Now: func() time.Time { return webNow }, BaseURL: e.base}
	if _, err := cs.AskMoreTime(ctx, rc.officer.ID, training.ExtensionAsk{CourseID: rc.course.ID, Until: training.DateOf(webNow).AddDays(10), Reason: "Court"}, requestsActorFor("")); err != nil {
		t.Fatal(err)
	}
	other := ""
	for _, id := range slicesSorted(ds.Officers) {
		if o := ds.Officers[id]; o.Active() && id != rc.officer.ID {
			other = id
			break
		}
	}
	if _, err := cs.ClaimDone(ctx, other, training.ClaimAsk{CourseID: rc.course.ID, Done: training.DateOf(webNow).AddDays(-3), Where: "Kent Police",
		Certificate: &training.Certificate{Name: "kent.pdf", Data: []byte(pdfBytes)}}, requestsActorFor("")); err != nil {
		t.Fatal(err)
	}
	e.checkPage(axe, "officer", me) // with the open request and "Your requests"

	for _, who := range []string{"sergeant", "hr", "admin"} {
		e.login(who)
		e.checkPage(axe, who, "/requests")
		e.checkPage(axe, who, "/requests?show=all")
	}
	// After a decision.
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/requests"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`button[id^="approve-"]`)))); err != nil {
		t.Fatal(err)
	}
	e.checkPage(axe, "admin", "/requests?show=all")
	e.checkPage(axe, "admin", "/requests")
}

// slicesSorted returns the keys of m, sorted.
func slicesSorted[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestE2ERequestDoneElsewhere: in Chromium, an officer says on their page
// (at 320 px) that they did a course elsewhere and attaches a PDF
// certificate; HR signs in, downloads nothing but sees the certificate
// offered as a download, and approves; the officer is then compliant and
// the force's figures count one more compliant.
func TestE2ERequestDoneElsewhere(t *testing.T) {
	e := startE2E(t, true)
	ctx := context.Background()
	rc, _ := setupRequestCase(t, e)
	card := `section[data-course="` + rc.course.ID + `"]`
	text, submit := e.text, e.submit
	e.login("hr")
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	before := readFigures(t, e.ctx)[rc.course.ID]

	if _, err := chromedp.Call(e.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	cert, err := filepath.Abs(filepath.Join("..", "training", "testdata", "certificates", "pdf-renamed.png"))
	if err != nil {
		t.Fatal(err)
	}
	me := e.base + "/me/" + training.SignOfficerLinkAt([]byte("e2e-secret-0123456789abcdef"), rc.officer.ID, webNow, webNow.Add(48*time.Hour))
	done := training.DateOf(webNow).AddDays(-7)
	k := "claim-" + rc.course.ID
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(me), chromedp.WaitReady("body"),
		chromedp.Click(chromedp.CSS(card+` details.request:nth-of-type(2) summary`)),
		chromedp.SetValue(chromedp.ID("done-"+k), done.String()),
		chromedp.SendKeys(chromedp.ID("where-"+k), "Kent Police training school"),
		chromedp.SetUploadFiles(chromedp.ID("certificate-"+k), []string{cert}),
	); err != nil {
		t.Fatalf("the officer's form: %v", err)
	}
	submit(card + ` form[enctype="multipart/form-data"] button[type=submit]`)
	if got := text(`document.querySelector('main').textContent`); !strings.Contains(got, "Your request was sent") || !strings.Contains(got, "with a certificate") {
		t.Fatalf("after sending, the officer's page says: %s", clipTo(got, 600))
	}

	e.login("hr")
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/requests"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if got := text(`[...document.querySelectorAll('a[href$="/certificate"]')].map(a => a.textContent).join('|')`); !strings.Contains(got, "pdf-renamed.pdf") {
		t.Errorf("the certificate offered: %q, want the PDF under a .pdf name", got)
	}
	submit(`button[id^="approve-"]`)

	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	after := readFigures(t, e.ctx)[rc.course.ID]
	if after["compliant"] != before["compliant"]+1 || after["overdue"] != before["overdue"]-1 {
		t.Errorf("force figures: compliant %d → %d, overdue %d → %d; want one more compliant, one fewer overdue",
			before["compliant"], after["compliant"], before["overdue"], after["overdue"])
	}
	if err := chromedp.Do(e.ctx, chromedp.Navigate(me), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if got := text(`document.querySelector('` + card + ` .status-line').textContent`); !strings.HasPrefix(got, "Compliant") {
		t.Errorf("the officer's page says %q after the claim was approved", got)
	}
	rec, err := e.st.Officer(ctx, rc.officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rec.Completions, func(c training.Completion) bool {
		return c.CourseID == rc.course.ID && c.Date == done && strings.Contains(c.Source.File, "pdf-renamed.pdf")
	}) {
		t.Errorf("no completion with the certificate as evidence: %+v", rec.Completions)
	}
}
