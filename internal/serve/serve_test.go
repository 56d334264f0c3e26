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

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServe: the preview serves the build with the reload script, rebuilds
// on a change and tells open pages; a broken edit keeps the last good site.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "privacy", "2026-03-27.md")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Dir(page), 0o755))
	must(os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("name: X\nbase_url: https://x.test/\ncontact: a@x.test\n"), 0o644))
	must(os.WriteFile(page, []byte("# Privacy\n\nWe keep data for 30 days.\n"), 0o644))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := serve.New(ctx, serve.Options{Content: dir, Templates: "../../templates", Build: build(dir), Poll: 20 * time.Millisecond})
	must(err)
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	code, body := get(t, base+"/privacy/")
	if code != 200 || !strings.Contains(body, "30 days") || !strings.Contains(body, `<script src="/_redline/reload.js" defer></script>`) ||
		!strings.Contains(body, "script-src 'self'; connect-src 'self'") {
		t.Fatalf("page: %d\n%s", code, body)
	}
	if code, _ := get(t, base+"/nope/"); code != 404 {
		t.Errorf("missing page: %d, want 404", code)
	}
	if code, _ := get(t, base+"/../../etc/passwd"); code != 404 {
		t.Errorf("path outside the site: %d, want 404", code)
	}

	resp, err := http.Get(base + "/_redline/events")
	must(err)
	defer resp.Body.Close()
	events := bufio.NewReader(resp.Body)
	next := func() string {
		t.Helper()
		for {
			line, err := events.ReadString('\n')
			if err != nil {
				t.Fatalf("events: %v", err)
			}
			if ev, ok := strings.CutPrefix(line, "event: "); ok {
				return strings.TrimSpace(ev)
			}
		}
	}
	must(os.WriteFile(page, []byte("# Privacy\n\nWe keep data for 60 days.\n"), 0o644))
	if ev := next(); ev != "reload" {
		t.Fatalf("event %q after an edit, want reload", ev)
	}
	if _, body := get(t, base+"/privacy/"); !strings.Contains(body, "60 days") {
		t.Errorf("not rebuilt:\n%s", body)
	}

	must(os.WriteFile(page, []byte("---\neffective: 2026-13-01\n---\nBroken.\n"), 0o644))
	if ev := next(); ev != "error-build" {
		t.Fatalf("event %q after a broken edit, want error-build", ev)
	}
	if _, body := get(t, base+"/privacy/"); !strings.Contains(body, "60 days") {
		t.Errorf("the last good site is gone:\n%s", body)
	}
	if code, body := get(t, base+"/_redline/status"); code != http.StatusConflict || !strings.Contains(body, `"2026-13-01" is not a date`) {
		t.Errorf("status: %d %s", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
