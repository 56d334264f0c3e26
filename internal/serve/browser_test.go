package serve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/getspectr/redline/internal/browsertest"
	"github.com/getspectr/redline/internal/testwait"
)

// TestServeBrowser drives a real Chromium: a page opened while the build is
// broken (a fresh tab, no page open before) shows the errors with
// file:line; fixing the file brings the page back by itself, and a page
// left open when the build breaks reloads into the errors.
func TestServeBrowser(t *testing.T) {
	p := startPreview(t, v30days)
	browser := browsertest.Start(t)

	open := func(path string) context.Context {
		t.Helper()
		tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		if err := chromedp.Do(tab, chromedp.Navigate(p.base+path)); err != nil {
			t.Fatalf("opening %s: %v", path, err)
		}
		return tab
	}
	// waitText waits until the tab's text holds want; the tab may be
	// reloading in between, so evaluation errors only mean "not yet".
	waitText := func(tab context.Context, want string) {
		t.Helper()
		deadline := testwait.Deadline(t)
		var text string
		for time.Now().Before(deadline) {
			s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			if err == nil && strings.Contains(s, want) {
				return
			}
			text = s
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("the page never showed %q; it shows:\n%s", want, text)
	}

	kept := open("/privacy/")
	waitText(kept, "30 days")

	p.write(p.page, badDate)
	p.waitFor("/_redline/status", 409, "is not a date")
	fresh := open("/privacy/")
	where := "privacy/2026-03-27.md:2: effective: \"2026-13-01\" is not a date"
	waitText(fresh, where)
	waitText(fresh, "The build failed")
	waitText(kept, where) // the open page reloaded into the errors

	p.write(p.page, v60days)
	waitText(fresh, "60 days")
	waitText(kept, "60 days")
	waitText(open("/privacy/"), "60 days")
}
