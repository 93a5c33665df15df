package server

// End-to-end tests of issue 22: what people are told agrees everywhere.

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail/mailtest"
	"github.com/muster-police/muster/training"
)

// TestE2EOneWording puts an officer whose CSE recognition is valid but
// inside its renewal window, sends the reminder the scheduler plans, and
// reads the status on the officer page (as HR), on /me (the officer's
// link) and in the reminder email, in Chromium: all three say the same
// "Compliant until … — renew by …".
func TestE2EOneWording(t *testing.T) {
	e := startE2E(t, false)
	ctx := context.Background()
	today := training.DateOf(webNow)
	done := today.AddMonths(-36).AddDays(20) // expires in 20 days: inside the 30-day window
	rev, err := e.st.Revision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := training.Officer{ID: "R1", DisplayID: "R1", Name: "Robin Renew", Unit: "Frontline Policing / Central West / CID",
		Email: "robin.renew@police.example", StartDate: training.NewDate(2015, 1, 5), FirstSeen: training.NewDate(2025, 1, 1)}
	if _, err := e.st.ApplyChanges(ctx, training.ChangeSet{BaseRevision: rev,
		Import:      training.ImportRecord{ID: "seed", Kind: training.ImportPartial, By: "test", At: webNow, Outcome: training.OutcomeApplied},
		Officers:    []training.Officer{o},
		Completions: []training.Completion{{OfficerID: "R1", CourseID: "cse-recognition", Date: done, Source: training.Source{ImportID: "seed", At: webNow}}},
	}); err != nil {
		t.Fatal(err)
	}
	expires := done.AddMonths(36)
	want := "Compliant until " + expires.AddDays(-1).UK() + " — renew by " + expires.UK()

	// The reminder, planned and sent by the real scheduler to the file drop.
	if _, err := e.sched.RunNow(ctx, jobs.JobReminders, false, today); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sched.RunNow(ctx, jobs.JobSender, false, today); err != nil {
		t.Fatal(err)
	}
	emls, _ := filepath.Glob(filepath.Join(e.mailDir, "*.eml"))
	var html string
	for _, f := range emls {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "robin.renew@police.example") {
			if _, html, err = mailtest.Parts(raw); err != nil {
				t.Fatal(err)
			}
		}
	}
	if html == "" {
		t.Fatalf("no reminder to R1 among %d emails", len(emls))
	}
	page := filepath.Join(t.TempDir(), "reminder.html")
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(url, js string) string {
		t.Helper()
		if err := chromedp.Do(e.ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	const card = `document.querySelector('[data-course="cse-recognition"] .status-line').textContent`
	inEmail := read("file://"+page, `[...document.querySelectorAll('p')].map(p => p.textContent).find(s => s.includes('ompliant')) || ''`)
	link := training.SignOfficerLink([]byte("e2e-secret-0123456789abcdef"), "R1", webNow.Add(24*time.Hour))
	onMe := read(e.base+"/me/"+link, card)
	e.login("hr")
	onPage := read(e.base+"/officers/R1", card)
	for where, got := range map[string]string{"the reminder email": inEmail, "/me": onMe, "the officer page": onPage} {
		if got != want {
			t.Errorf("%s says %q, want %q", where, got, want)
		}
	}
}

// TestE2EEmailsAt320 opens every email the golden tests of jobs render
// (reminders, line-manager and unit digests) in Chromium on a 320 px
// screen: none scrolls sideways.
func TestE2EEmailsAt320(t *testing.T) {
	e := startE2E(t, false)
	files, _ := filepath.Glob(filepath.Join("..", "jobs", "testdata", "golden", "*.html"))
	if len(files) < 3 {
		t.Fatalf("found %d golden emails", len(files))
	}
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 700), chromedp.Navigate("file://"+abs), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		w, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 320 {
			t.Errorf("%s is %d px wide on a 320 px screen", filepath.Base(f), w)
		}
		if e.shots != "" {
			if png, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100)); err == nil {
				_ = os.WriteFile(filepath.Join(e.shots, "email-"+strings.TrimSuffix(filepath.Base(f), ".html")+"-320.png"), png, 0o644)
			}
		}
	}
}

// TestE2EListSaysWhatItIs: a manager's filtered list is headed by its
// filter and count, the export sits beside the heading, and the
// downloaded file is named after the filter and date.
func TestE2EListSaysWhatItIs(t *testing.T) {
	e := startE2E(t, true)
	ctx := context.Background()
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const unit = "Frontline Policing / Central West / CID"
	today := training.DateOf(webNow)
	var cse training.Course
	for _, c := range ds.Courses {
		if c.ID == "cse-recognition" {
			cse = c
		}
	}
	n := 0
	for id, o := range ds.Officers {
		if o.Active() && training.InUnit(o.Unit, unit) &&
			training.Evaluate(o, cse, ds.Completions[id], ds.Exemptions[id], today).Status == training.StatusOverdue {
			n++
		}
	}
	if n < 2 {
		t.Fatalf("the sample roster has %d overdue in %s; the test needs a few", n, unit)
	}
	e.login("manager")
	path := "/officers?unit=" + strings.ReplaceAll(unit, " ", "+") + "&course=cse-recognition&status=overdue"
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+path), chromedp.WaitVisible("#list-heading")); err != nil {
		t.Fatal(err)
	}
	want := "Overdue for CSE recognition in " + unit + " — " + strconv.Itoa(n) + " people"
	heading, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.getElementById('list-heading').textContent`))
	if err != nil || heading != want {
		t.Errorf("heading = %q (%v), want %q", heading, err, want)
	}
	// The export is beside the heading: the next thing after it, above the table.
	if ok, _ := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`(() => { const a = document.getElementById('export-xlsx'), tb = document.querySelector('table');
		return a.getBoundingClientRect().top - document.getElementById('list-heading').getBoundingClientRect().bottom < 60 && (!tb || a.getBoundingClientRect().bottom < tb.getBoundingClientRect().top) })()`)); !ok {
		t.Error("the export links are not beside the heading")
	}
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(e.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl, EventsEnabled: ptrTo(true)}); err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{"export-xlsx", "export-csv"} {
		begin := chromedp.BrowserEvents(e.ctx, browser.DownloadWillBegin)
		if err := chromedp.Do(e.ctx, chromedp.Click(chromedp.ID(link))); err != nil {
			t.Fatal(err)
		}
		for ev, err := range begin {
			if err != nil {
				t.Fatal(err)
			}
			ext := strings.TrimPrefix(link, "export-")
			if w := "overdue-cse-recognition-frontline-policing-central-west-cid-" + today.String() + "." + ext; ev.SuggestedFilename != w {
				t.Errorf("%s downloads %q, want %q", link, ev.SuggestedFilename, w)
			}
			break
		}
	}
	e.screenshots("officers-filtered", path)
}

// screenshots keeps the page at path at 1280 and 320 px in
// MUSTER_E2E_SCREENSHOTS, when set.
func (e *e2eEnv) screenshots(name, path string) {
	e.t.Helper()
	if e.shots == "" {
		return
	}
	for _, w := range []int64{1280, 320} {
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(e.base+path), chromedp.WaitReady("body")); err != nil {
			e.t.Fatal(err)
		}
		png, err := chromedp.Run(e.ctx, chromedp.CaptureScreenshot()) // the first screenful, readable
		if err == nil {
			err = os.WriteFile(filepath.Join(e.shots, name+"-"+strconv.Itoa(int(w))+".png"), png, 0o644)
		}
		if err != nil {
			e.t.Errorf("screenshot %s: %v", name, err)
		}
	}
}

// smallTargetsJS lists the targets under 24×24 px on the page (WCAG
// 2.5.8), leaving out the exception for links inside a sentence: an inline
// link whose block holds other text.
const smallTargetsJS = `(() => {
	const out = [];
	for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 && r.height === 0) continue; // not shown
		if (el.closest('.sr-only') || el.classList.contains('skip')) continue;
		if (r.width >= 24 && r.height >= 24) continue;
		const cs = getComputedStyle(el);
		if (cs.display === 'inline') {
			let block = el.parentElement;
			while (block && getComputedStyle(block).display === 'inline') block = block.parentElement;
			const own = el.textContent.trim().length, all = block ? block.textContent.trim().length : own;
			if (all > own + 2) continue; // in a sentence
		}
		out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '" ' + Math.round(r.width) + '×' + Math.round(r.height));
	}
	return out.slice(0, 12);
})()`

// TestE2ETargetsAndMenu: at 320 px every page's targets are at least
// 24×24 px, the staff menu folds behind one "Menu" button that opens it,
// and nothing scrolls sideways.
func TestE2ETargetsAndMenu(t *testing.T) {
	e := startE2E(t, true)
	ctx := context.Background()
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	officer := firstOfficer(ds)
	check := func(who, path string) {
		t.Helper()
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(e.base+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		small, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](smallTargetsJS))
		if err != nil {
			t.Fatal(err)
		}
		if len(small) > 0 {
			t.Errorf("%s %s at 320 px: targets under 24×24 px: %s", who, path, strings.Join(small, "; "))
		}
		if w, _ := chromedp.Run(e.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
			t.Errorf("%s %s at 320 px is %d px wide", who, path, w)
		}
	}
	link := training.SignOfficerLink([]byte("e2e-secret-0123456789abcdef"), officer, webNow.Add(24*time.Hour))
	for _, p := range []string{"/login", "/help", "/accessibility", "/me/" + link} {
		check("officer", p)
	}
	pages := map[string][]string{
		"admin": {"/", "/?unit=Frontline+Policing", "/officers", "/officers?status=overdue&course=cse-recognition", "/officers/" + officer,
			"/upload", "/imports", "/courses", "/accounts", "/jobs", "/jobs/remind", "/audit", "/account/password"},
		"manager": {"/", "/?unit=Frontline+Policing+%2F+Central+West+%2F+CID", "/officers"},
	}
	for _, who := range []string{"admin", "manager"} {
		e.login(who)
		for _, p := range pages[who] {
			check(who, p)
		}
	}
	// The menu on a phone: folded, one button, opens on a click.
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(".menu-toggle")); err != nil {
		t.Fatal(err)
	}
	header := `Math.round(document.querySelector('header.top').getBoundingClientRect().height)`
	if h, _ := chromedp.Run(e.ctx, chromedp.Evaluate[int](header)); h > 70 {
		t.Errorf("the folded staff header is %d px high on a 320 px phone", h)
	}
	if err := chromedp.Do(e.ctx, chromedp.Click(".menu-toggle")); err != nil {
		t.Fatal(err)
	}
	open, _ := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.querySelector('.menu-toggle').getAttribute('aria-expanded') + ' ' + [...document.querySelectorAll('header nav a')].filter(a => a.getBoundingClientRect().height > 0).length`))
	if !strings.HasPrefix(open, "true ") || strings.HasSuffix(open, " 0") {
		t.Errorf("after a click the menu is %q (aria-expanded, visible links)", open)
	}
	if e.shots != "" {
		if png, err := chromedp.Run(e.ctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.WriteFile(filepath.Join(e.shots, "menu-opened-320.png"), png, 0o644)
		}
	}
	e.screenshots("menu-open", "/") // reload: folded again
}

// TestE2EUnrecognisedFile: a file whose ID header has a typo comes back
// with the headers found, the near miss preselected in each column's pick
// list and no Confirm; reading it again from that page (the file is not
// chosen again) reaches a preview with Confirm; a re-read with choices
// that leave no ID column replaces the preview with the error summary,
// and no Confirm remains.
func TestE2EUnrecognisedFile(t *testing.T) {
	e := startE2E(t, false)
	file := filepath.Join(t.TempDir(), "typo.csv")
	if err := os.WriteFile(file, []byte("Warrent No,Full Name,Emial\n1001,Ann Able,ann@police.example\n1002,Bob Baker,bob@police.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e.login("hr")
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/upload"), chromedp.WaitVisible("#file"),
		chromedp.SetUploadFiles("#file", []string{file}), chromedp.Click("#kind-partial")); err != nil {
		t.Fatal(err)
	}
	submit := func(sel string) string {
		t.Helper()
		if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
		l, _ := chromedp.Run(e.ctx, chromedp.Location())
		return strings.TrimPrefix(l, e.base)
	}
	has := func(sel string) bool {
		ok, err := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`!!document.querySelector('`+sel+`')`))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	value := func(js string) string {
		s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := submit("#upload-submit")
	if !strings.HasPrefix(first, "/upload/imp-") {
		t.Fatalf("the unrecognised file led to %s, want its kept attempt", first)
	}
	if msg := value(`document.querySelector('#error-summary').textContent`); !strings.Contains(msg, "No header row was found") {
		t.Errorf("error summary: %q", msg)
	}
	if has("#confirm") {
		t.Error("a file that could not be read offers Confirm")
	}
	if got := value(`[0,1,2].map(i => document.getElementById('col_field_' + i).value).join(',')`); got != "id,name,email" {
		t.Errorf("the pick lists start at %q, want the near misses id,name,email", got)
	}
	if why := value(`document.querySelector('#columns tbody tr td.block').textContent`); !strings.Contains(why, "close to “Warrant No”") {
		t.Errorf("the first column's reason = %q", why)
	}
	e.screenshots("upload-unrecognised", first)
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+first), chromedp.WaitVisible("#remap")); err != nil {
		t.Fatal(err)
	}
	// Read again with the offered choices: a preview with Confirm.
	preview := submit("#remap")
	if preview == first || !strings.HasPrefix(preview, "/upload/imp-") || !has("#confirm") {
		t.Fatalf("reading again led to %s (confirm: %v), want a preview", preview, has("#confirm"))
	}
	checkTargets := func(path string) {
		t.Helper()
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(e.base+path), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		if small, _ := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](smallTargetsJS)); len(small) > 0 {
			t.Errorf("%s at 320 px: targets under 24×24 px: %s", path, strings.Join(small, "; "))
		}
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+path), chromedp.WaitVisible("#remap")); err != nil {
			t.Fatal(err)
		}
	}
	checkTargets(preview)
	// A re-read that takes the ID column away fails: no Confirm, anywhere.
	if err := chromedp.Do(e.ctx, chromedp.SetValue("#col_field_0", "ignore")); err != nil {
		t.Fatal(err)
	}
	failed := submit("#remap")
	if has("#confirm") || !has("#error-summary") {
		t.Errorf("after a failed re-read the page at %s has Confirm %v, error summary %v", failed, has("#confirm"), has("#error-summary"))
	}
	e.screenshots("upload-reread-failed", failed)
	checkTargets(failed)
	// axe-core on the pages this flow adds, when it is installed.
	if b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")); err == nil {
		e.checkPage(string(b), "hr", failed)
	}
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+preview), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	if has("#confirm") {
		t.Errorf("the replaced preview %s still offers Confirm", preview)
	}
}
