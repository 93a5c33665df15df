package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/muster-police/muster/internal/accounts"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
)

// TestE2ERegisters: in Chromium, a trainer signs in (and lands on
// Registers), pastes the IDs of people who must still do a course (with
// a repeat and an unknown ID), checks the preview (names, units, the
// unknown ID flagged), saves it, and the completions appear in HR's
// figures; withdrawing it restores the compliance JSON byte for byte.
// axe-core checks every register page at 1280 and 320 px as the trainer,
// HR and an admin, the preview included; the sheet is checked printed.
func TestE2ERegisters(t *testing.T) {
	axe := axeSource(t)
	e := startE2E(t, true)
	ctx := context.Background()
	hash, err := accounts.HashPassword(webPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateUser(ctx, training.User{Username: "trainer", Role: training.RoleTrainer, PasswordHash: hash, Created: webNow}); err != nil {
		t.Fatal(err)
	}
	// HR reads the figures through the API, with a token.
	tok, secret, err := training.NewToken("hr", "figures", 0, webNow)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.CreateToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	const course = "trauma-informed-communication"
	figures := func() []byte {
		t.Helper()
		r, _ := http.NewRequest("GET", e.base+"/api/v1/compliance?course="+course, nil)
		r.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("compliance: %d %s", res.StatusCode, b)
		}
		return b
	}
	compliant := func(b []byte) int {
		var rep struct {
			Courses []training.CourseFigures `json:"courses"`
		}
		if err := web.JSONUnmarshal(b, &rep); err != nil || len(rep.Courses) != 1 {
			t.Fatalf("compliance JSON: %v %s", err, clipTo(string(b), 200))
		}
		return rep.Courses[0].Compliant
	}

	// Three people who must do the course and are not compliant.
	ds, err := e.st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := training.FindCourse(ds.Courses, course)
	expected := training.Expected(ds, c, "", training.DateOf(webNow))
	if len(expected) < 3 {
		t.Fatalf("only %d people expected", len(expected))
	}
	sort.Slice(expected, func(i, j int) bool { return expected[i].ID < expected[j].ID })
	people := expected[:3]
	pasted := people[0].DisplayID + "\n" + people[1].DisplayID + ", " + people[2].DisplayID + "\tNO-SUCH-ID " + people[0].DisplayID + "\n"
	before := figures()

	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(e.ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	e.login("trainer")
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); !strings.HasSuffix(l, "/registers") {
		t.Errorf("the trainer landed on %s", l)
	}
	nav, _ := chromedp.Run(e.ctx, chromedp.Text(chromedp.CSS(`nav[aria-label="Main"]`)))
	if strings.Contains(nav, "Dashboard") || !strings.Contains(nav, "Registers") {
		t.Errorf("the trainer's menu: %q", nav)
	}
	unit := people[0].Unit
	sheet := "/registers/sheet?" + url.Values{"course": {course}, "unit": {unit}, "place": {"Room 4"}}.Encode()
	for _, p := range []string{"/registers", "/registers/new", "/registers/new?" + url.Values{"unit": {unit}, "course": {course}}.Encode(), sheet} {
		e.checkPage(axe, "trainer", p)
	}
	// Printed, the sheet is the table alone: no menu, no footer, the unit
	// column back, a row per expected person plus the blank ones.
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+sheet), chromedp.WaitVisible(chromedp.ID("sign-in"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(e.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.querySelector('header.top')).display,
		getComputedStyle(document.querySelector('footer.foot')).display, getComputedStyle(document.querySelector('#sign-in th.hide-narrow')).display,
		String(document.querySelectorAll('#sign-in tbody tr').length)]`))
	if err != nil {
		t.Fatal(err)
	}
	wantRows := len(training.Expected(ds, c, unit, training.DateOf(webNow))) + 3
	if printed[0] != "none" || printed[1] != "none" || printed[2] == "none" || printed[3] != strconv.Itoa(wantRows) {
		t.Errorf("printed sheet: header %s, footer %s, unit column %s, %s rows (want %d)", printed[0], printed[1], printed[2], printed[3], wantRows)
	}
	if _, err := chromedp.Call(e.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}

	// The form: the IDs pasted (as a paste sets the field), then the preview.
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/registers/new"), chromedp.WaitVisible(chromedp.ID("ids")),
		chromedp.SetValue(chromedp.ID("course"), course),
		chromedp.SetValue(chromedp.ID("date"), "2026-11-20"),
		chromedp.SendKeys(chromedp.ID("place"), "Room 4"),
		chromedp.SetValue(chromedp.ID("ids"), pasted),
	); err != nil {
		t.Fatal(err)
	}
	click("#register-check")
	if got := text("#count-recorded"); got != "3" {
		t.Errorf("recorded: %s", got)
	}
	if got := text("#count-unknown"); got != "1" {
		t.Errorf("unknown: %s", got)
	}
	table := text("#register-preview")
	for _, p := range people {
		if !strings.Contains(table, p.Name) || !strings.Contains(table, p.Unit) {
			t.Errorf("the preview lacks %s (%s)", p.Name, p.Unit)
		}
	}
	if !strings.Contains(table, "NO-SUCH-ID") || !strings.Contains(table, "Unknown ID") {
		t.Errorf("the unknown ID is not flagged: %s", table)
	}
	if !bytes.Equal(figures(), before) {
		t.Fatal("the preview changed the figures")
	}
	e.checkHere(axe, "trainer", "/registers (preview)", 1280)
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 900)); err != nil {
		t.Fatal(err)
	}
	e.checkHere(axe, "trainer", "/registers (preview)", 320)
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	click("#register-save")
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); !strings.HasSuffix(l, "/registers") {
		t.Fatalf("saving led to %s", l)
	}
	if flash := text(".flash"); !strings.Contains(flash, "Register saved") {
		t.Errorf("flash %q", flash)
	}
	during := figures()
	if got, was := compliant(during), compliant(before); got != was+3 {
		t.Errorf("compliant after the register: %d, want %d + 3", got, was)
	}
	e.checkPage(axe, "trainer", "/registers") // with a withdraw button

	// HR and admins see the register; the register pages pass axe for them too.
	for _, who := range []string{"hr", "admin"} {
		e.login(who)
		for _, p := range []string{"/registers", "/registers/new?" + url.Values{"unit": {unit}}.Encode(), sheet} {
			e.checkPage(axe, who, p)
		}
	}

	// The trainer withdraws it: the figures are as before, byte for byte.
	e.login("trainer")
	if err := chromedp.Do(e.ctx, chromedp.Navigate(e.base+"/registers"), chromedp.WaitVisible(chromedp.ID("registers"))); err != nil {
		t.Fatal(err)
	}
	click(`#registers form[action$="/withdraw"] button`)
	if flash := text(".flash"); !strings.Contains(flash, "withdrawn") {
		t.Errorf("flash %q", flash)
	}
	if after := figures(); !bytes.Equal(after, before) {
		t.Errorf("the figures after the withdrawal differ:\nbefore %s\nafter  %s", clipTo(string(before), 300), clipTo(string(after), 300))
	}
	if n, _ := chromedp.Run(e.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#registers form[action$="/withdraw"]').length`)); n != 0 {
		t.Errorf("%d withdraw buttons left", n)
	}
}
