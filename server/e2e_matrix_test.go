package server

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestE2ETeamMatrix: in Chromium, a manager goes from the dashboard to
// their unit's matrix, filters it to the overdue, and one click on a name
// opens that person's page; at 320 px every person is one block and
// nothing in a block reaches past it (a cell's dates once did).
func TestE2ETeamMatrix(t *testing.T) {
	e := startE2E(t, true)
	e.login("manager")
	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(e.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.base+"/"), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	click("#matrix-link")
	if l, _ := chromedp.Run(e.ctx, chromedp.Location()); !strings.Contains(l, "/matrix?unit=") {
		t.Fatalf("the dashboard's matrix link led to %s", l)
	}

	// Filter: only people with something overdue.
	if err := chromedp.Do(e.ctx, chromedp.SetValue(chromedp.ID("status"), "overdue")); err != nil {
		t.Fatal(err)
	}
	click(`form[action="/matrix"] button[type=submit]`)
	rows, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#matrix-table tbody tr')].map(tr => tr.textContent)`))
	if err != nil || len(rows) == 0 {
		t.Fatalf("overdue matrix: %v %d rows", err, len(rows))
	}
	for _, r := range rows {
		if !strings.Contains(r, "Overdue") || strings.Contains(r, "Nobody matches") {
			t.Errorf("a row without anything overdue: %s", strings.Join(strings.Fields(r), " "))
		}
	}

	// At 320 px: one block per person, everything inside it.
	if err := chromedp.Do(e.ctx, chromedp.EmulateViewport(320, 900), chromedp.Reload(), chromedp.WaitReady("body")); err != nil {
		t.Fatal(err)
	}
	bad, err := chromedp.Run(e.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#matrix-table tbody tr')].flatMap(tr => {
		const r = tr.getBoundingClientRect();
		const out = [];
		if (getComputedStyle(tr).display === 'table-row') out.push('row is a table row');
		if (r.width > 320) out.push('row ' + Math.round(r.width) + 'px wide');
		for (const el of tr.querySelectorAll('*')) {
			const b = el.getBoundingClientRect();
			if (b.width > 0 && (b.right > r.right + 1 || b.left < r.left - 1)) out.push(el.tagName + '.' + el.className + ' "' + el.textContent.slice(0, 40) + '" reaches ' + Math.round(b.right));
		}
		return out;
	}).slice(0, 8)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("at 320px: %s", b)
	}

	// One click to the person.
	name, err := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.querySelector('#matrix-table tbody th a').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	click(`#matrix-table tbody th a`)
	l, _ := chromedp.Run(e.ctx, chromedp.Location())
	h1, _ := chromedp.Run(e.ctx, chromedp.Evaluate[string](`document.querySelector('h1').textContent`))
	if !strings.Contains(l, "/officers/") || !strings.Contains(h1, name) {
		t.Errorf("the name %q led to %s headed %q", name, l, h1)
	}
}
