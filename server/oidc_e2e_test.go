package server

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestE2EOIDCSignIn signs in with a real browser through the OpenID
// provider's own login page (the zitadel example OP, see oidc_test.go).
func TestE2EOIDCSignIn(t *testing.T) {
	exe := findChromium()
	if exe == "" {
		if os.Getenv("MUSTER_TEST_REQUIRE") == "1" {
			t.Fatal("chromium is not installed (apt-get install -y chromium) and MUSTER_TEST_REQUIRE=1")
		}
		t.Skip("chromium is not installed; apt-get install -y chromium to run the end-to-end test")
	}
	e := newSSOEnv(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	click := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("click %s: %v", sel, err)
		}
	}
	location := func() string {
		t.Helper()
		l, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return l
	}

	// Muster's login page: the provider's button.
	if err := chromedp.Do(ctx, chromedp.Navigate(e.base+"/officers"), chromedp.WaitVisible(chromedp.ID("sso"))); err != nil {
		t.Fatalf("login page: %v", err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sso"))); err != nil || got != "Sign in with Test OP" {
		t.Fatalf("button says %q (%v)", got, err)
	}
	click("#sso")
	// The provider's own login form.
	if l := location(); !strings.HasPrefix(l, e.issuer+"/login/username") {
		t.Fatalf("after the button the browser is at %s, want the provider's login page", l)
	}
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "ada.admin"),
		chromedp.SendKeys(chromedp.ID("password"), opPassword),
	); err != nil {
		t.Fatalf("provider's login page: %v", err)
	}
	click(`button[type=submit]`)
	if l := location(); l != e.base+"/officers" {
		t.Fatalf("after signing in at the provider the browser is at %s, want %s/officers", l, e.base)
	}
	// Signed in with an ordinary session: the page asks the API with the
	// browser's own cookie (no navigation, so no query races a page load).
	body, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch("/api/v1/session", {credentials: "same-origin"}).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(body, `"username":"ada.admin"`) || !strings.Contains(body, `"role":"admin"`) {
		t.Fatalf("session after SSO in the browser: %s (%v)", body, err)
	}
}
