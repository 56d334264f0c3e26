package serve_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/content"
	"github.com/getspectr/redline/internal/serve"
	"github.com/getspectr/redline/internal/site"
	"github.com/getspectr/redline/internal/testwait"
)

func build(contentDir string) func(ctx context.Context, out string) error {
	return func(ctx context.Context, out string) error {
		s, probs := content.Load(contentDir)
		if len(probs) > 0 {
			return probs
		}
		s.Config.BaseURL = "http://preview.test/"
		m, probs := site.Analyze(s, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC))
		if len(probs) > 0 {
			return probs
		}
		t, err := site.LoadTemplates("../../templates")
		if err != nil {
			return err
		}
		_, err = site.Build(ctx, m, t, out)
		return err
	}
}

// preview is a running preview of a content folder made by the test.
type preview struct {
	t       *testing.T
	content string // the content folder
	page    string // its one version file
	scratch string // beside it, for atomic writes
	srv     *serve.Server
	base    string
}

const (
	goodSite = "name: X\nbase_url: https://x.test/\ncontact: a@x.test\n"
	v30days  = "# Privacy\n\nWe keep data for 30 days.\n"
	v60days  = "# Privacy\n\nWe keep data for 60 days.\n"
	badDate  = "---\neffective: 2026-13-01\n---\n# Privacy\n\nBroken.\n"
)

// startPreview writes a site with one version and serves it on a free
// loopback port until the test ends.
func startPreview(t *testing.T, version string) *preview {
	t.Helper()
	root := t.TempDir()
	p := &preview{t: t, content: filepath.Join(root, "content"), scratch: filepath.Join(root, "scratch")}
	p.page = filepath.Join(p.content, "privacy", "2026-03-27.md")
	for _, d := range []string{filepath.Dir(p.page), p.scratch} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	p.write(filepath.Join(p.content, "site.yaml"), goodSite)
	p.write(p.page, version)

	ctx, cancel := context.WithCancel(context.Background())
	srv, err := serve.New(ctx, serve.Options{Content: p.content, Templates: "../../templates", Build: build(p.content), Poll: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	p.srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	p.base = "http://" + ln.Addr().String()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		srv.Close()
	})
	return p
}

// write replaces a file in one step (a temporary file renamed over it), as
// editors save, so that the server never sees half a file from the test.
func (p *preview) write(path, data string) {
	p.t.Helper()
	f, err := os.CreateTemp(p.scratch, "edit-*")
	if err == nil {
		_, err = f.WriteString(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		p.t.Fatal(err)
	}
}

func (p *preview) get(path string) (int, string) {
	p.t.Helper()
	resp, err := http.Get(p.base + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls until path answers with status and a body holding want:
// the test waits for the state it expects, never for a fixed time.
func (p *preview) waitFor(path string, status int, want string) string {
	p.t.Helper()
	deadline := testwait.Deadline(p.t)
	for {
		code, body := p.get(path)
		if code == status && strings.Contains(body, want) {
			return body
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: still %d, want %d with %q:\n%s", path, code, status, want, body)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// events follows the server's event stream.
type events struct {
	t *testing.T
	r *bufio.Reader
}

func (p *preview) events() *events {
	p.t.Helper()
	req, _ := http.NewRequestWithContext(testwait.Context(p.t), "GET", p.base+"/_redline/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { resp.Body.Close() })
	ev := &events{t: p.t, r: bufio.NewReader(resp.Body)}
	if line, err := ev.r.ReadString('\n'); err != nil || line != ": connected\n" {
		p.t.Fatalf("events: %q %v", line, err)
	}
	return ev
}

// waitFor reads events until name arrives.
func (e *events) waitFor(name string) {
	e.t.Helper()
	for {
		line, err := e.r.ReadString('\n')
		if err != nil {
			e.t.Fatalf("events: %v before %q", err, name)
		}
		if ev, ok := strings.CutPrefix(line, "event: "); ok && strings.TrimSpace(ev) == name {
			return
		}
	}
}

// TestServe: the preview serves the build with the reload script, rebuilds
// on a change and tells open pages; while a build is broken every page is
// its errors with file:line; fixing the file brings the site back.
func TestServe(t *testing.T) {
	p := startPreview(t, v30days)
	code, body := p.get("/privacy/")
	if code != 200 || !strings.Contains(body, "30 days") || !strings.Contains(body, `<script src="/_redline/reload.js?build=1" defer></script>`) ||
		!strings.Contains(body, "script-src 'self'; connect-src 'self'") {
		t.Fatalf("page: %d\n%s", code, body)
	}
	if code, _ := p.get("/nope/"); code != 404 {
		t.Errorf("missing page: %d, want 404", code)
	}
	if code, _ := p.get("/../../etc/passwd"); code != 404 {
		t.Errorf("path outside the site: %d, want 404", code)
	}

	ev := p.events()
	p.write(p.page, v60days)
	ev.waitFor("reload")
	p.waitFor("/privacy/", 200, "60 days")

	p.write(p.page, badDate)
	ev.waitFor("error-build")
	wantErr := filepath.Join(p.content, "privacy", "2026-03-27.md") + `:2: effective: &#34;2026-13-01&#34; is not a date`
	for _, path := range []string{"/privacy/", "/", "/privacy/2026-03-27/", "/nope/"} {
		if code, body := p.get(path); code != http.StatusInternalServerError || !strings.Contains(body, wantErr) || !strings.Contains(body, "/_redline/reload.js?build=") {
			t.Errorf("%s while the build is broken: %d\n%s", path, code, body)
		}
	}
	if code, body := p.get("/_redline/status"); code != http.StatusConflict || !strings.Contains(body, `"2026-13-01" is not a date`) {
		t.Errorf("status: %d %s", code, body)
	}
	if code, body := p.get("/style.css"); code != 200 || strings.Contains(body, "build failed") {
		t.Errorf("the last good stylesheet: %d", code)
	}

	p.write(p.page, v30days)
	ev.waitFor("reload")
	p.waitFor("/privacy/", 200, "30 days")
	p.waitFor("/_redline/status", 200, "ok")
}

// TestServeHalfWritten: a file written in pieces, as a slow editor or a
// copy does, ends in the build of its whole content, whatever the server
// saw in between.
func TestServeHalfWritten(t *testing.T) {
	p := startPreview(t, v30days)
	f, err := os.OpenFile(p.page, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	whole := "---\ntitle: Privacy notice\n---\n# Privacy\n\nWe keep data for 90 days.\n"
	for _, part := range []string{whole[:10], whole[10:25], whole[25:]} {
		if _, err := f.WriteString(part); err != nil {
			t.Fatal(err)
		}
		if err := f.Sync(); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	p.waitFor("/privacy/", 200, "90 days")
	p.waitFor("/_redline/status", 200, "ok")
}

// TestServeBrokenAtStart: a site that does not build at start is served as
// its errors, and comes up when fixed.
func TestServeBrokenAtStart(t *testing.T) {
	p := startPreview(t, badDate)
	if p.srv.Err() == nil {
		t.Fatal("a broken first build reports no error")
	}
	p.waitFor("/privacy/", http.StatusInternalServerError, "is not a date")
	p.write(p.page, v60days)
	p.waitFor("/privacy/", 200, "60 days")
}
