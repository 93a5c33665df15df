package server

// The accessibility end-to-end test: every page, at 1280 and 320 px,
// signed in as each role and as an officer following their link, checked
// by axe-core (the npm package in testdata/axe, installed by .ci/run) for
// WCAG 2.2 A/AA, plus the reflow rule axe cannot see (no sideways scroll of
// the page at 320 px, WCAG 1.4.10). And a keyboard-only walk through
// login → upload → confirm.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/accounts"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/muster-police/muster/importers"
	"github.com/muster-police/muster/internal/testenv"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
)

// axeTags are the rule sets the pages must pass: WCAG 2.0, 2.1 and 2.2, A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeSource reads axe-core from testdata/axe/node_modules (npm install
// there; .ci/run does it), or skips, or fails under MUSTER_TEST_REQUIRE=1.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testenv.Need(t, "axe-core is not installed: "+err.Error(), "cd server/testdata/axe && npm ci")
	}
	return string(b)
}

// e2eEnv is a real server on a bolt store and a headless Chromium.
type e2eEnv struct {
	t     *testing.T
	st    *bolt.Store
	base  string
	ctx   context.Context
	shots string
	// sched is the real scheduler (not started); its mail goes to mailDir.
	sched   *jobs.Scheduler
	mailDir string
}

// startE2E starts the server (with the sample roster and completions
// imported, and an admin, hr and manager account) and a browser.
// mutate changes the scheduler's configuration (a real SMTP relay, say).
func startE2E(t *testing.T, seed bool, mutate ...func(*jobs.Config)) *e2eEnv {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		testenv.Need(t, "chromium is not installed", "apt-get install -y chromium")
	}
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	if seed {
		for _, f := range []struct {
			name string
			full bool
		}{{"1_roster_full.xlsx", true}, {"2_lms_export.csv", false}} {
			file, err := os.Open(filepath.Join("..", "testdata", "samples", f.name))
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := file.Stat()
			_, err = importers.Run(ctx, st, importers.Source{Name: f.name, R: file, Size: fi.Size()}, importers.Options{Full: f.full, By: "test", Now: webNow})
			file.Close()
			if err != nil {
				t.Fatalf("import %s: %v", f.name, err)
			}
		}
	}
	secret := []byte("e2e-secret-0123456789abcdef")
	mailDir := t.TempDir()
	jc := jobs.Config{Store: st, Clock: func() time.Time { return webNow }, BaseURL: "http://127.0.0.1",
		Secret: secret, Mailer: mail.NewDrop(mailDir)}
	for _, m := range mutate {
		m(&jc)
	}
	sched, err := jobs.New(jc)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Clock: func() time.Time { return webNow }, Addr: "127.0.0.1:0",
		BaseURL: "http://127.0.0.1", Secret: secret, Jobs: sched})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := accounts.HashPassword(webPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []training.User{
		{Username: "admin", Role: training.RoleAdmin},
		{Username: "hr", Role: training.RoleHR},
		{Username: "manager", Role: training.RoleManager, Units: []string{"Frontline Policing / Central West"}},
	} {
		u.PasswordHash, u.Created = hash, webNow
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	})
	select {
	case <-srv.Ready():
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelCtx)
	bctx, cancelTimeout := context.WithTimeout(bctx, 8*time.Minute)
	t.Cleanup(cancelTimeout)
	e := &e2eEnv{t: t, st: st, base: "http://" + srv.Addr(), ctx: bctx, shots: os.Getenv("MUSTER_E2E_SCREENSHOTS"),
		sched: sched, mailDir: mailDir}
	if e.shots != "" {
		if err := os.MkdirAll(e.shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// login signs in through the form, from a fresh cookie jar.
func (e *e2eEnv) login(user string) {
	e.t.Helper()
	if _, err := chromedp.Call(e.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		e.t.Fatal(err)
	}
	if err := chromedp.Do(e.ctx,
		chromedp.Navigate(e.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), webPassword),
	); err != nil {
		e.t.Fatalf("login page: %v", err)
	}
	if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)))); err != nil {
		e.t.Fatalf("login %s: %v", user, err)
	}
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); strings.Contains(l, "/login") {
		e.t.Fatalf("login %s failed: still at %s", user, l)
	}
}

// axeViolation is the part of an axe-core result the test reports.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkPage opens path at both widths, runs axe-core and the reflow check,
// and keeps screenshots when asked.
func (e *e2eEnv) checkPage(axe, who, path string) {
	e.t.Helper()
	for _, w := range []int64{1280, 320} {
		if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(w, 900), chromedp.Navigate(e.base+path), chromedp.WaitReady("body")); err != nil {
			e.t.Errorf("%s %s at %dpx: %v", who, path, w, err)
			continue
		}
		e.checkHere(axe, who, path, w)
	}
}

// checkHere runs axe-core and the reflow check on the page the browser
// shows, at width w (already set): for pages that answer a POST (a
// preview), which checkPage cannot open by address.
func (e *e2eEnv) checkHere(axe, who, path string, w int64) {
	e.t.Helper()
	{
		// Folded parts (the Courses page's editors, the preview's details)
		// are opened, so that axe checks them too.
		if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => { d.open = true })`)); err != nil {
			e.t.Errorf("%s %s at %dpx: opening details: %v", who, path, w, err)
		}
		if _, err := chromedp.Run(e.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			e.t.Fatalf("loading axe-core: %v", err)
		}
		tags, _ := json.Marshal(axeTags)
		raw, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag', values: `+string(tags)+`}, resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
		if err != nil {
			e.t.Errorf("%s %s at %dpx: axe: %v", who, path, w, err)
			return
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(raw), &vs); err != nil {
			e.t.Fatal(err)
		}
		for _, v := range vs {
			var where []string
			for i, n := range v.Nodes {
				if i == 3 {
					where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
					break
				}
				where = append(where, fmt.Sprint(n.Target)+" "+clipTo(n.HTML, 120))
			}
			e.t.Errorf("%s %s at %dpx: axe %s (%s): %s — %s", who, path, w, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
		}
		if w == 320 {
			sw, err := chromedp.Run(e.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err == nil && sw > 320 {
				wide, _ := chromedp.Run(e.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321 && !e.closest('.table-wrap')).slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')`))
				e.t.Errorf("%s %s at 320px: the page is %dpx wide and scrolls sideways (WCAG 1.4.10): %s", who, path, sw, wide)
			}
		}
		if e.shots != "" {
			png, err := chromedp.Run(e.ctx, chromedp.FullScreenshot(100))
			if err != nil { // a very long page: the first screenful
				png, err = chromedp.Run(e.ctx, chromedp.CaptureScreenshot())
			}
			if err == nil {
				name := fmt.Sprintf("%s%s-%d.png", who, strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_", " ", "+").Replace(path), w)
				err = os.WriteFile(filepath.Join(e.shots, name), png, 0o644)
			}
			if err != nil {
				e.t.Errorf("screenshot: %v", err)
			}
		}
	}
}

func clipTo(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// TestE2EAccessibility runs axe-core on every page at 1280 and 320 px as
// each role and as an officer.
func TestE2EAccessibility(t *testing.T) {
	axe := axeSource(t)
	e := startE2E(t, true)
	ctx := context.Background()
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	imps, err := e.st.Imports(ctx, 0)
	if err != nil || len(imps) == 0 {
		t.Fatalf("imports: %v %d", err, len(imps))
	}
	officer := firstOfficer(ds)
	var inCW string // an officer in the manager's unit
	for id, o := range ds.Officers {
		if o.Active() && training.InUnit(o.Unit, "Frontline Policing / Central West") && (inCW == "" || id < inCW) {
			inCW = id
		}
	}
	common := []string{"/help", "/accessibility", "/account/password", "/officers", "/officers?status=overdue&course=cse-recognition", "/no-such-page"}

	// Signed out: the login page, its error state, the public pages and an
	// officer's own page (valid and expired links).
	if _, err := chromedp.Call(e.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	link := training.SignOfficerLink([]byte("e2e-secret-0123456789abcdef"), officer, webNow.Add(24*time.Hour))
	for _, p := range []string{"/login", "/login?error=invalid", "/help", "/accessibility", "/me/" + link, "/me/expired-or-broken"} {
		e.checkPage(axe, "officer", p)
	}

	// Each role.
	roles := []struct {
		user  string
		pages []string
	}{
		{"admin", []string{"/", "/?unit=Frontline+Policing", "/officers/" + officer, "/upload", "/imports", "/imports/" + imps[0].ID,
			"/courses", "/accounts", "/jobs", "/jobs/remind", "/jobs/run?job=reminders", "/audit", "/audit?action=officer_viewed", "/audit?from=not-a-date",
			"/matrix?unit=Frontline+Policing+%2F+Central+West&sort=name", "/matrix?unit=Frontline+Policing+%2F+Central+West&status=exempt&page=2", "/matrix?unit=No+Such+Unit"}},
		{"hr", []string{"/", "/?unit=Frontline+Policing+%2F+Central+West+%2F+CID", "/upload", "/imports", "/courses",
			"/matrix?unit=Frontline+Policing+%2F+Central+West+%2F+CID"}},
		{"manager", []string{"/", "/?unit=Frontline+Policing+%2F+Central+West+%2F+CID", "/officers/" + inCW,
			"/matrix", "/matrix?unit=Frontline+Policing+%2F+Central+West+%2F+CID&status=overdue", "/matrix?unit=Specialist+Crime"}},
	}
	for _, r := range roles {
		e.login(r.user)
		for _, p := range append(r.pages, common...) {
			e.checkPage(axe, r.user, p)
		}
		if r.user == "admin" {
			// The upload preview, and each form's error state.
			e.uploadPreview("4_roster_full_next_month.xlsx")
			if l, _ := chromedp.Run(e.ctx, chromedp.Location()); strings.Contains(l, "/upload/") {
				e.checkPage(axe, "admin", strings.TrimPrefix(l, e.base))
			} else {
				t.Errorf("the upload did not lead to a preview: %s", l)
			}
			if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/jobs")); err != nil {
				t.Fatal(err)
			}
			msgs, _ := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('a[href^="/jobs/messages/"]')].slice(0,1).map(a => a.getAttribute('href'))`))
			for _, m := range msgs {
				e.checkPage(axe, "admin", m)
			}
		}
	}
}

// uploadPreview uploads a sample file from the upload page.
func (e *e2eEnv) uploadPreview(name string) {
	e.t.Helper()
	file, err := filepath.Abs(filepath.Join("..", "testdata", "samples", name))
	if err != nil {
		e.t.Fatal(err)
	}
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/upload"), chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file})); err != nil {
		e.t.Fatalf("upload page: %v", err)
	}
	if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)))); err != nil {
		e.t.Fatalf("upload: %v", err)
	}
}

// TestE2EKeyboardWalk signs in, uploads a roster, reads the preview and
// confirms it with the keyboard alone (Tab, Enter, Space), checking where
// the focus is at each step.
func TestE2EKeyboardWalk(t *testing.T) {
	e := startE2E(t, false)
	key := func(k string) {
		t.Helper()
		if err := chromedp.Do(e.ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	focused := func() string {
		t.Helper()
		s, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`(() => { const a = document.activeElement; return a ? (a.id || a.getAttribute('name') || a.tagName.toLowerCase()) + '|' + (a.textContent || '').trim().slice(0, 40) : '' })()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// tabTo presses Tab until the element with id (or name) has the focus.
	tabTo := func(id string, max int) {
		t.Helper()
		var seen []string
		for range max {
			key("\t")
			f := focused()
			if strings.HasPrefix(f, id+"|") {
				return
			}
			seen = append(seen, f)
		}
		t.Fatalf("Tab never reached %s; the focus went %q", id, seen)
	}
	// enter presses Enter and waits for the page it leads to.
	enter := func() {
		t.Helper()
		if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent("\r"))); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
		t.Fatal(err)
	}
	// The first Tab reaches the skip link.
	key("\t")
	if f := focused(); !strings.Contains(f, "Skip to content") {
		t.Errorf("the first Tab stop is %q, want the skip link", f)
	}
	tabTo("username", 5)
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent("admin")); err != nil {
		t.Fatal(err)
	}
	tabTo("password", 2)
	if err := chromedp.Do(e.ctx, chromedp.KeyEvent(webPassword)); err != nil {
		t.Fatal(err)
	}
	enter()
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); strings.Contains(l, "/login") {
		t.Fatalf("Enter in the password field did not sign in: %s", l)
	}
	// Upload through the menu: Tab to the Upload link, Enter.
	tabTo("a", 1) // skip link
	for range 12 {
		if f := focused(); strings.HasSuffix(f, "|Upload") {
			break
		}
		key("\t")
	}
	if f := focused(); !strings.HasSuffix(f, "|Upload") {
		t.Fatalf("Tab did not reach the Upload link: %q", f)
	}
	enter()
	// The file chooser cannot be driven by keys in a headless browser: the
	// file is set on the focused input, as the OS dialog would.
	tabTo("file", 20)
	roster, _ := filepath.Abs("../testdata/samples/1_roster_full.xlsx")
	if err := chromedp.Do(e.ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{roster})); err != nil {
		t.Fatal(err)
	}
	tabTo("kind-full", 4)
	key(" ") // choose "the full roster"
	if on, _ := chromedp.Run(e.ctx, chromedp.Evaluate[bool](`document.getElementById('kind-full').checked`)); !on {
		t.Error("Space did not choose the full roster")
	}
	tabTo("upload-submit", 6)
	enter()
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); !strings.Contains(l, "/upload/imp-") {
		t.Fatalf("after the upload the browser is at %s, want the preview", l)
	}
	// Confirm sits after the evidence; Tab reaches it.
	tabTo("confirm", 80)
	enter()
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); strings.TrimPrefix(l, e.base) != "/" {
		t.Fatalf("after confirming the browser is at %s", l)
	}
	if n, _ := e.st.Imports(context.Background(), 0); len(n) != 1 {
		t.Errorf("after the keyboard walk the store holds %d imports, want 1", len(n))
	}
	// The element Tab focuses shows a solid 3px outline (#0b0c0c on white
	// is 19:1, with a yellow halo on the blue header).
	key("\t")
	key("\t")
	style, _ := chromedp.Run(e.ctx, chromedp.Evaluate[string](`(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor })()`))
	if !strings.HasPrefix(style, "solid 3px") {
		t.Errorf("focus style = %q, want a solid 3px outline", style)
	}
}
