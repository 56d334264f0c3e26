// Package browsertest starts one headless Chromium for a test, the way every
// page test of redline runs it: Debian's chromium, no sandbox (CI runs as
// root), no background networking (the machine's network is closed), a fresh
// profile removed afterwards, and an overall deadline so a hung browser
// cannot hang the suite.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/getspectr/redline/internal/testwait"
)

// Path finds the browser, or returns "". $REDLINE_CHROMIUM, when set, is
// the only candidate.
func Path() string {
	candidates := []string{"/usr/bin/chromium", "chromium", "chromium-browser"}
	if p := os.Getenv("REDLINE_CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// Start starts Chromium and returns its context; tabs are made with
// chromedp.NewContext from it. It fails the test (never skips) when there
// is no Chromium: page tests are part of make test. The browser stops when
// the test ends, or just before go test's -timeout (testwait): a starved
// machine loads pages slowly, and that is no failure. More options (a window size, a colour
// profile) come after the defaults.
func Start(t testing.TB, more ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	exe := Path()
	if exe == "" {
		t.Fatal("chromium not found: run make tools (installs Debian's chromium), or set REDLINE_CHROMIUM")
	}
	ctx, cancelTimeout := context.WithDeadline(context.Background(), testwait.Deadline(t))
	out := &lockedWriter{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.CombinedOutput(out),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(opts, more...)...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser() // closes Chromium gracefully
		cancelAlloc()   // waits for it and removes its profile
		cancelTimeout()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", exe, err, out.String())
	}
	return bctx
}

// lockedWriter collects Chromium's output, which arrives on another goroutine.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
