package site_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/getspectr/redline/internal/browsertest"
	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/site"
)

// The browser test's site (testdata/browser/content) as of its build date:
// privacy has an archived, a current and an upcoming version, terms one
// version whose title is its leading heading.
var (
	browserNow = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	upcomingID = "2027-01-15"
)

// TestBrowser loads every kind of page of a built site in headless Chromium
// and checks what DESIGN.md §4 promises: no requests to other sites, no
// cookies, nothing the Content-Security-Policy refuses, semantic accessible
// HTML, pages that work without JavaScript, and dark and print styles. It
// saves screenshots to $REDLINE_SCREENSHOTS (default: a temporary folder) for
// a person to look at.
func TestBrowser(t *testing.T) {
	srv := serveSite(t, buildBrowserSite(t))
	b := startBrowser(t, srv.URL)

	pages := []struct {
		name, path string
		status     int
		h1, title  string
	}{
		{"index", "/", http.StatusOK, "Spectr policies", "Policies · Spectr"},
		{"current", "/privacy/", http.StatusOK, "Privacy Policy", "Privacy Policy · Spectr"},
		{"leading-title", "/terms/", http.StatusOK, "Terms of Service", "Terms of Service · Spectr"},
		{"archived", "/privacy/2025-06-01/", http.StatusOK, "Privacy Policy", "Privacy Policy (archived version of June 1, 2025) · Spectr"},
		{"upcoming", "/privacy/" + upcomingID + "/", http.StatusOK, "Privacy Policy", "Privacy Policy (upcoming version of January 15, 2027) · Spectr"},
		{"history", "/privacy/history/", http.StatusOK, "Privacy Policy: version history", "Privacy Policy: version history · Spectr"},
		{"404", "/no-such-policy/", http.StatusNotFound, "Page not found", "Page not found · Spectr"},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tab := b.newTab(t)
			tab.open(p.path, p.status)
			tab.checkClean()
			tab.checkSemantics(p.h1, p.title)
			tab.screenshot(p.name)
			tab.checkSkipLink()
		})
	}

	t.Run("checks catch leaks", func(t *testing.T) {
		tab := b.newTab(t)
		tab.open(leakyPath, http.StatusOK)
		got := strings.Join(tab.leaks(), "\n")
		for _, want := range []string{"third-party request: http://localhost:9/", "Content Security Policy", "cookie set: tracker=1", "stylesheet"} {
			if !strings.Contains(got, want) {
				t.Errorf("a page with leaks passes the check for %q; it reported:\n%s", want, got)
			}
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		tab := b.newTab(t)
		tab.call(func(ctx context.Context) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
		tab.open("/privacy/", http.StatusOK)
		tab.checkClean()
		// The parser reads <noscript> as markup only when scripting is off.
		if on := eval[bool](tab, `(() => { const n = document.createElement('noscript'); n.innerHTML = '<b></b>'; return n.children.length === 0; })()`); on {
			t.Fatal("scripting is on: the page was not loaded without JavaScript")
		}
		links := eval[[]string](tab, `[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))`)
		if len(links) < 5 {
			t.Fatalf("table of contents has %d links, want the document's sections: %q", len(links), links)
		}
		for _, href := range links {
			if !strings.HasPrefix(href, "#") || !eval[bool](tab, fmt.Sprintf(`!!document.getElementById(%q)`, href[1:])) {
				t.Errorf("table of contents link %q names no section of the page", href)
			}
		}
		tab.do(chromedp.Click(chromedp.CSS(`nav.toc a[href="#how-long-we-keep-it"]`)))
		if got := eval[string](tab, `location.hash`); got != "#how-long-we-keep-it" {
			t.Errorf("after following a table of contents link, location.hash = %q", got)
		}
		if text := eval[string](tab, `document.querySelector('main').innerText`); !strings.Contains(text, "We keep data for 30 days") {
			t.Errorf("the policy's text is missing without JavaScript:\n%s", text)
		}
	})

	t.Run("upcoming banner", func(t *testing.T) {
		tab := b.newTab(t)
		tab.open("/privacy/", http.StatusOK)
		banner := `aside.notice a[href="/privacy/` + upcomingID + `/"]`
		if text := eval[string](tab, fmt.Sprintf(`document.querySelector(%q)?.textContent ?? ''`, banner)); text != "Read the new version" {
			t.Fatalf("the banner of the current page has no link to the upcoming version (%s), got %q", banner, text)
		}
		tab.follow(chromedp.Click(chromedp.CSS(banner)))
		if got := eval[string](tab, `location.pathname`); got != "/privacy/"+upcomingID+"/" {
			t.Errorf("following the banner's link landed on %s", got)
		}
		if text := eval[string](tab, `document.querySelector('main').innerText`); !strings.Contains(text, "not yet in effect") {
			t.Errorf("the upcoming version does not say it is not yet in effect:\n%s", text)
		}
		tab.checkClean()
	})

	t.Run("dark and print", func(t *testing.T) {
		tab := b.newTab(t)
		tab.open("/privacy/", http.StatusOK)
		tab.media("", "light")
		light := tab.colors()
		tab.screenshot("current-light")
		tab.media("", "dark")
		dark := tab.colors()
		tab.screenshot("current-dark")
		if dark.Bg == light.Bg {
			t.Errorf("prefers-color-scheme: dark leaves the background at %s", light.Bg)
		}
		light.checkContrast(t, "light")
		dark.checkContrast(t, "dark")

		tab.media("print", "")
		tab.screenshot("current-print")
		if d := eval[string](tab, `getComputedStyle(document.querySelector('header.site nav ul')).display`); d != "none" {
			t.Errorf("print: the site navigation list has display %q, want none", d)
		}
		if bg := eval[string](tab, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(255, 255, 255)" {
			t.Errorf("print: the background is %s, want white", bg)
		}
	})

	t.Run("mobile", func(t *testing.T) {
		tab := b.newTab(t)
		tab.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		for _, p := range []string{"/", "/privacy/", "/privacy/history/"} {
			tab.open(p, http.StatusOK)
			if wide := eval[[]string](tab, overflowJS); len(wide) > 0 {
				t.Errorf("%s scrolls sideways on a 390px screen; too wide:\n%s", p, strings.Join(wide, "\n"))
			}
			size := eval[string](tab, `getComputedStyle(document.querySelector('main p')).fontSize`)
			if px, _ := strconv.ParseFloat(strings.TrimSuffix(size, "px"), 64); px < 16 {
				t.Errorf("%s: body text is %s on a phone, want at least 16px", p, size)
			}
			tab.screenshot("mobile" + strings.ReplaceAll(strings.TrimSuffix(p, "/"), "/", "-"))
		}
	})
}

// overflowJS lists the innermost elements that stick out of the viewport's
// right edge, when the page is wider than the viewport.
const overflowJS = `(() => {
	const w = document.documentElement.clientWidth;
	if (document.documentElement.scrollWidth <= w) return [];
	const out = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 0.5);
	return out.filter(e => !out.some(c => c !== e && e.contains(c)))
		.map(e => e.outerHTML.slice(0, 120) + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + 'px)');
})()`

// buildBrowserSite builds testdata/browser/content into a temporary folder,
// as `redline build` would, and returns the folder.
func buildBrowserSite(t *testing.T) string {
	t.Helper()
	s, probs := content.Load(filepath.Join("testdata", "browser", "content"))
	if len(probs) > 0 {
		t.Fatalf("test content:\n%v", probs)
	}
	m, probs := site.Analyze(s, browserNow)
	probs = append(probs, m.LinkProblems...)
	if len(probs) > 0 {
		t.Fatalf("test content:\n%v", probs)
	}
	tpl, err := site.LoadTemplates(filepath.Join("..", "..", "templates"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dist")
	if _, err := site.Build(t.Context(), m, tpl, out); err != nil {
		t.Fatal(err)
	}
	return out
}

// serveSite serves dist on 127.0.0.1 as a static host would: files as they
// are, and 404.html with status 404 for every path that has none.
func serveSite(t *testing.T, dist string) *httptest.Server {
	t.Helper()
	notFound, err := os.ReadFile(filepath.Join(dist, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	files := http.FileServer(http.Dir(dist))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == leakyPath {
			w.Header().Set("Set-Cookie", "tracker=1; Path=/")
			w.Write([]byte(leakyPage))
			return
		}
		name := filepath.Join(dist, filepath.FromSlash(path.Clean(r.URL.Path)))
		if fi, err := os.Stat(name); err != nil || fi.IsDir() && !exists(filepath.Join(name, "index.html")) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(notFound)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// leakyPage breaks every promise checkClean checks, to show that the checks
// see what they look for: it sets a cookie, loads an image from another
// origin (a closed local port), has an inline style the CSP refuses, and no
// stylesheet.
const (
	leakyPath = "/_leaky/"
	leakyPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src *">
<title>Leaky</title><style>body { color: red }</style></head>
<body><img src="http://localhost:9/pixel.gif" alt=""></body></html>`
)

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// browser is one headless Chromium for a whole test; each check opens a tab.
type browser struct {
	ctx    context.Context
	origin string // the test server's URL: every request must start with it
	shots  string // folder for screenshots
	keep   bool   // shots is $REDLINE_SCREENSHOTS, not a temporary folder
}

// startBrowser starts Debian's chromium (see browsertest). It fails the
// test when there is none: the page test is part of `make test`, never
// skipped.
func startBrowser(t *testing.T, origin string) *browser {
	t.Helper()
	shots := os.Getenv("REDLINE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.Start(t, chromedp.Flag("force-color-profile", "srgb"), chromedp.WindowSize(1280, 900))
	return &browser{ctx: ctx, origin: origin, shots: shots, keep: os.Getenv("REDLINE_SCREENSHOTS") != ""}
}

// tab is one browser tab and what it has seen: every request it sent and
// every console message, log entry and exception.
type tab struct {
	t      *testing.T
	b      *browser
	ctx    context.Context
	url    string // of the page opened last, and its expected status
	status int

	mu       sync.Mutex
	requests []string
	problems []string
}

func (b *browser) newTab(t *testing.T) *tab {
	tb := &tab{t: t, b: b}
	// Each tab has its own cookie jar and cache, as a new visitor would.
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	tb.ctx = ctx
	return tb
}

// listen runs on chromedp's event loop: it only records.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		var args []string
		for _, a := range ev.Args {
			args = append(args, string(a.Value)+a.Description)
		}
		tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
	case *runtime.EventExceptionThrown:
		tb.problems = append(tb.problems, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Source == log.EntrySourceNetwork && e.URL == tb.url && tb.status == http.StatusNotFound {
			break // a 404 page logs its own status
		}
		if e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning {
			tb.problems = append(tb.problems, fmt.Sprintf("%s %s: %s %s", e.Source, e.Level, e.Text, e.URL))
		}
	}
}

func (tb *tab) call(f func(ctx context.Context) error) {
	tb.t.Helper()
	if err := f(tb.ctx); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// open loads the page at path and checks the response's status.
func (tb *tab) open(path string, status int) {
	tb.t.Helper()
	tb.mu.Lock()
	tb.url, tb.status = tb.b.origin+path, status
	tb.mu.Unlock()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.url))
	if err != nil {
		tb.t.Fatalf("loading %s: %v", path, err)
	}
	if int(resp.Status) != status {
		tb.t.Fatalf("%s: status %d, want %d", path, resp.Status, status)
	}
}

// follow runs an action that navigates, such as a click on a link, and
// waits for the new page.
func (tb *tab) follow(action chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, action)
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.mu.Lock()
	tb.url, tb.status = resp.URL, int(resp.Status)
	tb.mu.Unlock()
}

// checkClean fails the test for every leak.
func (tb *tab) checkClean() {
	tb.t.Helper()
	for _, l := range tb.leaks() {
		tb.t.Error(l)
	}
}

// leaks checks the promises a visitor cannot see: every request went to the
// test server, no cookie was set, nothing was refused or logged as an error,
// and the stylesheet applied.
func (tb *tab) leaks() []string {
	tb.t.Helper()
	var leaks []string
	tb.mu.Lock()
	requests, problems := slices.Clone(tb.requests), slices.Clone(tb.problems)
	tb.mu.Unlock()
	for _, u := range requests {
		if !strings.HasPrefix(u, tb.b.origin+"/") {
			leaks = append(leaks, "third-party request: "+u)
		}
	}
	if !slices.Contains(requests, tb.b.origin+"/style.css") {
		leaks = append(leaks, fmt.Sprintf("the stylesheet was never requested; requests: %q", requests))
	}
	for _, p := range problems {
		leaks = append(leaks, "console: "+p)
	}

	if c := eval[string](tb, `document.cookie`); c != "" {
		leaks = append(leaks, fmt.Sprintf("document.cookie = %q", c))
	}
	var jar []*network.Cookie
	tb.call(func(ctx context.Context) error {
		page, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tb.b.origin + "/"}})
		if err != nil {
			return err
		}
		all, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		jar = append(page.Cookies, all.Cookies...)
		return err
	})
	for _, c := range jar {
		leaks = append(leaks, fmt.Sprintf("cookie set: %s=%s for %s", c.Name, c.Value, c.Domain))
	}

	if f := eval[string](tb, `getComputedStyle(document.body).fontFamily`); !strings.Contains(f, "system-ui") {
		leaks = append(leaks, fmt.Sprintf("body font-family is %q: style.css did not apply", f))
	}
	if r := eval[float64](tb, `document.querySelector('a.skip')?.getBoundingClientRect().right ?? 0`); r > 0 {
		leaks = append(leaks, fmt.Sprintf("the skip link is on screen (right edge at %gpx) before it has focus", r))
	}
	return leaks
}

// semantics is what checkSemantics reads from a page.
type semantics struct {
	Lang      string   `json:"lang"`
	Title     string   `json:"title"`
	H1        []string `json:"h1"`
	Main      int      `json:"main"`
	Banner    int      `json:"banner"`
	Nav       int      `json:"nav"`
	Footer    int      `json:"footer"`
	Levels    []int    `json:"levels"`
	Unnamed   []string `json:"unnamed"`
	Fragments []string `json:"fragments"`
}

const semanticsJS = `(() => {
	const all = s => [...document.querySelectorAll(s)];
	return {
		lang: document.documentElement.lang,
		title: document.title,
		h1: all('h1').map(h => h.textContent.trim()),
		main: all('main').length,
		banner: all('body > header').length,
		nav: all('body > header nav[aria-label]').length,
		footer: all('body > footer').length,
		levels: all('h1, h2, h3, h4, h5, h6').map(h => +h.tagName[1]),
		unnamed: all('a').filter(a => !a.textContent.trim() && !a.getAttribute('aria-label')).map(a => a.outerHTML),
		fragments: all('a[href^="#"]').map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(decodeURIComponent(id))),
	};
})()`

// checkSemantics checks the page's structure: language, one h1 with the
// title, the landmarks, heading levels that never skip, and links that all
// have a name and a target.
func (tb *tab) checkSemantics(h1, title string) {
	t := tb.t
	t.Helper()
	s := eval[semantics](tb, semanticsJS)
	if s.Lang != "en" {
		t.Errorf(`<html lang=%q>, want "en"`, s.Lang)
	}
	if len(s.H1) != 1 || s.H1[0] != h1 {
		t.Errorf("h1 = %q, want exactly one, %q", s.H1, h1)
	}
	if s.Title != title {
		t.Errorf("<title> = %q, want %q", s.Title, title)
	}
	if s.Main != 1 || s.Banner != 1 || s.Nav != 1 || s.Footer != 1 {
		t.Errorf("landmarks: %d main, %d body > header, %d labelled nav in it, %d body > footer; want one of each", s.Main, s.Banner, s.Nav, s.Footer)
	}
	for i := 1; i < len(s.Levels); i++ {
		if s.Levels[i] > s.Levels[i-1]+1 {
			t.Errorf("heading levels skip: %v", s.Levels)
			break
		}
	}
	for _, a := range s.Unnamed {
		t.Errorf("link with no text: %s", a)
	}
	for _, id := range s.Fragments {
		t.Errorf("link to #%s, which is not on the page", id)
	}
}

// checkSkipLink presses Tab once: the skip link must take focus and show,
// and activating it must move focus to main, so that the next Tab lands in
// the content and not in the navigation.
func (tb *tab) checkSkipLink() {
	t := tb.t
	t.Helper()
	tb.do(chromedp.KeyEvent(kb.Tab))
	focus := eval[struct {
		Class string  `json:"class"`
		Href  string  `json:"href"`
		Left  float64 `json:"left"`
		Top   float64 `json:"top"`
	}](tb, `(() => { const a = document.activeElement, r = a.getBoundingClientRect();
		return {class: a.className, href: a.getAttribute('href') ?? '', left: r.left, top: r.top}; })()`)
	if focus.Class != "skip" || focus.Href != "#main" {
		t.Fatalf(`first Tab focused class=%q href=%q, want the skip link to #main`, focus.Class, focus.Href)
	}
	if focus.Left < 0 || focus.Top < 0 {
		t.Errorf("the focused skip link is off screen at (%g, %g)", focus.Left, focus.Top)
	}
	tb.do(chromedp.KeyEvent(kb.Enter))
	if id := eval[string](tb, `document.activeElement.id`); id != "main" {
		t.Errorf("after the skip link, focus is on #%s, want #main", id)
	}
	tb.do(chromedp.KeyEvent(kb.Tab))
	if in := eval[bool](tb, `!!document.activeElement.closest('main')`); !in {
		t.Errorf("Tab after the skip link focused %s, outside main", eval[string](tb, `document.activeElement.outerHTML`))
	}
}

// media emulates a media type ("" for screen) and a colour scheme.
func (tb *tab) media(typ, scheme string) {
	tb.t.Helper()
	p := emulation.SetEmulatedMediaParams{Media: typ}
	if scheme != "" {
		p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	tb.call(func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, p)
		return err
	})
}

// screenshot saves a full-page PNG of the tab as name.png.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatal(err)
	}
	file := filepath.Join(tb.b.shots, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	if tb.b.keep {
		tb.t.Logf("screenshot: %s", file)
	}
}

// palette is the computed colours of a policy page's parts.
type palette struct {
	Bg         string `json:"bg"`
	Fg         string `json:"fg"`
	Muted      string `json:"muted"`
	Link       string `json:"link"`
	NoticeBg   string `json:"noticeBg"`
	NoticeFg   string `json:"noticeFg"`
	NoticeLink string `json:"noticeLink"`
	PanelBg    string `json:"panelBg"`
	PanelLink  string `json:"panelLink"`
}

func (tb *tab) colors() palette {
	tb.t.Helper()
	return eval[palette](tb, `(() => {
		const c = (s, p) => getComputedStyle(document.querySelector(s))[p];
		return {
			bg: c('body', 'backgroundColor'), fg: c('body', 'color'), muted: c('.dates', 'color'), link: c('.body a', 'color'),
			noticeBg: c('.notice', 'backgroundColor'), noticeFg: c('.notice', 'color'), noticeLink: c('.notice a', 'color'),
			panelBg: c('.toc', 'backgroundColor'), panelLink: c('.toc a', 'color'),
		};
	})()`)
}

// checkContrast checks WCAG AA contrast (4.5:1) for text on its background.
func (p palette) checkContrast(t *testing.T, scheme string) {
	t.Helper()
	for _, pair := range [][3]string{
		{"text", p.Fg, p.Bg}, {"muted text", p.Muted, p.Bg}, {"links", p.Link, p.Bg},
		{"notice text", p.NoticeFg, p.NoticeBg}, {"notice links", p.NoticeLink, p.NoticeBg},
		{"contents links", p.PanelLink, p.PanelBg},
	} {
		if r := contrast(t, pair[1], pair[2]); r < 4.5 {
			t.Errorf("%s: %s is %s on %s, contrast %.2f:1, want at least 4.5:1", scheme, pair[0], pair[1], pair[2], r)
		}
	}
}

// contrast is the WCAG contrast ratio of two opaque "rgb(r, g, b)" colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(t *testing.T, rgb string) float64 {
	t.Helper()
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(rgb, "rgb("), ")"), ",")
	if len(parts) != 3 {
		t.Fatalf("colour %q is not opaque rgb(r, g, b)", rgb)
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		n, err := strconv.Atoi(strings.TrimSpace(parts[i]))
		if err != nil {
			t.Fatalf("colour %q: %v", rgb, err)
		}
		c := float64(n) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
