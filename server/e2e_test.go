package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/ui"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/muster-police/muster/internal/testenv"
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/mail"
	"github.com/muster-police/muster/storage/bolt"
	"github.com/muster-police/muster/training"
	"github.com/xuri/excelize/v2"
)

// findChromium returns the browser the end-to-end test drives, or "".
func findChromium() string {
	if p := os.Getenv("MUSTER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// e2eFigures are the counts the dashboard shows per course, read from the page.
type e2eFigures map[string]map[string]int

// TestE2EChromium drives the real server in Chromium: sign in, upload the
// sample roster, check the preview, confirm, compare the dashboard with
// training.BuildReport, drill into a unit, export xlsx and read it back.
// MUSTER_E2E_SCREENSHOTS=dir keeps screenshots of the pages it visits.
func TestE2EChromium(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		testenv.Need(t, "chromium is not installed", "apt-get install -y chromium")
	}
	roster, err := filepath.Abs("../testdata/samples/1_roster_full.xlsx")
	if err != nil {
		t.Fatal(err)
	}

	// The real server on a bolt store, listening on a free port.
	st, err := bolt.Open(filepath.Join(t.TempDir(), "muster.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The real scheduler, not started: the pages run and plan through it.
	sched, err := jobs.New(jobs.Config{Store: st, Clock: func() time.Time { return webNow }, BaseURL: "http://127.0.0.1",
		Secret: []byte("e2e-secret-0123456789abcdef"), Mailer: mail.NewDrop(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, Clock: func() time.Time { return webNow }, Addr: "127.0.0.1:0",
		BaseURL: "http://127.0.0.1", Secret: []byte("e2e-secret-0123456789abcdef"), Jobs: sched})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := accounts.HashPassword(webPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(context.Background(), training.User{Username: "admin", Role: training.RoleAdmin, PasswordHash: hash, Created: webNow}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(runCtx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
	}()
	select {
	case <-srv.Ready():
	case err := <-done:
		t.Fatalf("server did not start: %v", err)
	}
	base := "http://" + srv.Addr()

	// A fresh headless Chromium.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	defer cancelTimeout()

	shots := os.Getenv("MUSTER_E2E_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	screenshot := func(name string) {
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Error(err)
		}
	}
	// click clicks sel and waits for the page it leads to.
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	location := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(l, base)
	}

	// Sign in.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), webPassword),
	); err != nil {
		t.Fatalf("login page: %v", err)
	}
	click(`form[action="/login"] button[type=submit]`)
	if h := text("h1"); h != "Welcome to Muster" {
		t.Fatalf("after login the page says %q, want the empty dashboard", h)
	}
	screenshot("1-empty-dashboard")

	// Upload the sample roster and look at the preview.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/upload"),
		chromedp.WaitVisible(chromedp.ID("file")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{roster}),
	); err != nil {
		t.Fatalf("upload page: %v", err)
	}
	click(`#upload-form button[type=submit]`)
	if l := location(); !strings.HasPrefix(l, "/upload/imp-") {
		t.Fatalf("after upload the browser is at %s, want the preview", l)
	}
	if got := text("#det-sheet"); !strings.HasPrefix(got, "Roster") {
		t.Errorf("preview sheet = %q, want Roster", got)
	}
	if got := text("#det-layout"); got != "A roster with a column per course" {
		t.Errorf("preview layout = %q, want wide", got)
	}
	if got := text("#det-header"); got == "" || got == "0" {
		t.Errorf("preview header row = %q", got)
	}
	if msg := text("#report-message"); !strings.Contains(msg, "If you confirm, importing 1_roster_full.xlsx will record") {
		t.Errorf("preview message = %q", msg)
	}
	if n, _ := st.Imports(context.Background(), 0); len(n) != 0 {
		t.Fatalf("the preview wrote %d imports", len(n))
	}
	screenshot("2-preview")

	// Confirm: the dashboard shows the figures of training.BuildReport.
	click("#confirm")
	if l := location(); l != "/" {
		t.Fatalf("after confirming the browser is at %s", l)
	}
	ds, err := st.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	asOf := training.DateOf(webNow)
	want, err := training.BuildReport(ds, asOf, training.ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	compareFigures(t, "force", readFigures(t, ctx), &want.ReportNode)

	// With daily snapshots the dashboard draws the trend.
	for w := 8; w >= 0; w-- {
		r, err := training.BuildReport(ds, asOf.AddDays(-7*w), training.ReportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.PutDailySnapshot(context.Background(), training.SnapshotOf(r)); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("trend"))); err != nil {
		t.Fatalf("trend: %v", err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.chart svg polyline').length`)); err != nil || n != len(want.Courses) {
		t.Errorf("trend chart has %d lines (%v), want %d", n, err, len(want.Courses))
	}
	screenshot("3-dashboard")
	if shots != "" {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		screenshot("3-dashboard-phone")
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 390 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391 && !e.closest('.table-wrap')).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')`))
			t.Errorf("on a 390px phone the page is %dpx wide (%v): it scrolls sideways; too wide: %s", w, err, wide)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1000), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
	}

	// Drill into the first unit, then into its first team.
	href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("#unit-table tbody th a"), "href"))
	if err != nil || !href.Exists {
		t.Fatalf("no unit link on the dashboard: %v", err)
	}
	u, err := url.Parse(href.Value)
	if err != nil {
		t.Fatal(err)
	}
	unit := u.Query().Get("unit")
	click("#unit-table tbody th a")
	if h := text("h1"); h != ui.LastUnitPart(unit) {
		t.Errorf("drill-down heading = %q, want %q", h, ui.LastUnitPart(unit))
	}
	node := want.Find(unit)
	if node == nil {
		t.Fatalf("unit %q is not in the report", unit)
	}
	compareFigures(t, unit, readFigures(t, ctx), node)
	screenshot("4-unit")

	// Export the unit's summary as xlsx and read it back.
	dl := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl, EventsEnabled: ptrTo(true)}); err != nil {
		t.Fatalf("download behaviour: %v", err)
	}
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("export-xlsx"))); err != nil {
		t.Fatalf("click export: %v", err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the download was cancelled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			break
		}
	}
	files, _ := filepath.Glob(filepath.Join(dl, "*.xlsx"))
	if len(files) != 1 {
		entries, _ := os.ReadDir(dl)
		t.Fatalf("downloaded xlsx files: %v (directory holds %v)", files, entries)
	}
	checkExport(t, files[0], node)

	// Down to a team: its officers are listed, each linking to the officer page.
	for range 4 {
		more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#unit-table tbody th a')`))
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		click("#unit-table tbody th a")
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#officers-table tbody a[href^="/officers/"]').length`)); err != nil || n == 0 {
		t.Errorf("no officer list at the team level (%d links, %v)", n, err)
	}
	screenshot("5-team")

	// The reminder dry run, reached from the jobs page, shows what the
	// scheduler plans.
	plan, err := sched.PlanReminders(context.Background(), training.DateOf(webNow))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/jobs"), chromedp.WaitVisible(chromedp.ID("remind-link"))); err != nil {
		t.Fatalf("jobs page: %v", err)
	}
	click("#remind-link")
	if got, want := text("#count-to-remind"), strconv.Itoa(plan.Counts.ToRemind); got != want {
		t.Errorf("the dry run page counts %s officers to remind, the scheduler %s", got, want)
	}
	if got, want := text("#count-cannot"), strconv.Itoa(plan.Counts.CannotRemind); got != want {
		t.Errorf("the dry run page counts %s who cannot be reminded, the scheduler %s", got, want)
	}
	screenshot("5b-remind")

	// The other pages, for a look at them during development.
	if shots != "" {
		for i, path := range []string{"/upload", "/imports", "/courses", "/accounts", "/jobs", "/officers?status=overdue", "/officers/" + firstOfficer(ds)} {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			screenshot(fmt.Sprintf("6-%d%s", i, strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path)))
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// readFigures reads each course's counts and percent from the dashboard.
func readFigures(t *testing.T, ctx context.Context) e2eFigures {
	t.Helper()
	js := `JSON.stringify(Object.fromEntries([...document.querySelectorAll('section[data-course]')].map(s => [s.dataset.course,
		Object.fromEntries([...s.querySelectorAll('td[data-k]')].map(td => [td.dataset.k, parseInt(td.textContent.trim(), 10)])
			.concat([["percent10", Math.round(parseFloat(s.querySelector('[data-percent]').dataset.percent) * 10)]]))])))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("reading figures: %v", err)
	}
	var f e2eFigures
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		t.Fatalf("figures %s: %v", raw, err)
	}
	return f
}

func compareFigures(t *testing.T, where string, got e2eFigures, want *training.ReportNode) {
	t.Helper()
	if len(got) != len(want.Courses) {
		t.Errorf("%s: the page shows %d courses, the report %d", where, len(got), len(want.Courses))
	}
	for _, c := range want.Courses {
		g := got[c.Course]
		w := map[string]int{"required": c.Required, "compliant": c.Compliant, "overdue": c.Overdue,
			"due_soon": c.DueSoon, "outstanding": c.Outstanding, "exempt": c.Exempt}
		if c.Percent != nil {
			w["percent10"] = int(*c.Percent)
		}
		for k, v := range w {
			if g[k] != v {
				t.Errorf("%s, %s: page shows %s = %d, report %d", where, c.Course, k, g[k], v)
			}
		}
	}
}

// checkExport opens the downloaded workbook and compares its first data
// row (the exported unit) with the report.
func checkExport(t *testing.T, path string, want *training.ReportNode) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatalf("Summary sheet: %v", err)
	}
	if len(rows) < 4 {
		t.Fatalf("Summary has %d rows", len(rows))
	}
	row := rows[3]
	if len(row) < 2 || row[1] != want.Unit {
		t.Fatalf("first data row is %q, want the unit %q", row, want.Unit)
	}
	for ci, c := range want.Courses {
		first := 2 + ci*7
		for k, v := range []int{c.Required, c.Compliant, c.Overdue, c.DueSoon, c.Outstanding, c.Exempt} {
			if first+1+k >= len(row) || row[first+1+k] != fmt.Sprint(v) {
				t.Errorf("export %s column %d = %v, want %d", c.Course, first+2+k, cell(row, first+1+k), v)
			}
		}
	}
}

func cell(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return "(missing)"
}

// firstOfficer returns the smallest active officer ID, for a page to look at.
func firstOfficer(ds *training.Dataset) string {
	best := ""
	for id, o := range ds.Officers {
		if o.Active() && (best == "" || id < best) {
			best = id
		}
	}
	return best
}
