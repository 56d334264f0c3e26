package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

func TestUnsubscribeHandler(t *testing.T) {
	forEachLedger(t, func(t *testing.T, open func() notify.Ledger) {
		l := open()
		var logs logBuffer
		srv := httptest.NewServer(notify.NewUnsubscribeHandler(testKey, l, slog.New(slog.NewTextHandler(&logs, nil))))
		defer srv.Close()
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		good := srv.URL + "/unsubscribe?t=" + url.QueryEscape(notify.SignToken(testKey, "Ann@Example.com"))
		bad := srv.URL + "/unsubscribe?t=" + url.QueryEscape(notify.SignToken([]byte("some-other-key-0123456789"), "ann@example.com"))

		suppressed := func() []string {
			var out []string
			must(t, l.Suppressions(context.Background(), func(e string) error { out = append(out, e); return nil }))
			return out
		}
		do := func(method, u, body string) (int, string) {
			t.Helper()
			req, _ := http.NewRequest(method, u, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}

		code, body := do("GET", good, "")
		if code != 200 || !strings.Contains(body, `<form method="post"`) || !strings.Contains(body, "Ann@Example.com") {
			t.Fatalf("GET: %d %s", code, body)
		}
		if s := suppressed(); len(s) != 0 {
			t.Fatalf("GET changed something: %v", s)
		}
		for _, tc := range []struct{ method, url string }{
			{"POST", bad}, {"POST", srv.URL + "/unsubscribe"}, {"GET", bad}, {"POST", srv.URL + "/unsubscribe?t=garbage"},
		} {
			if code, _ := do(tc.method, tc.url, "List-Unsubscribe=One-Click"); code != http.StatusBadRequest {
				t.Errorf("%s %s: %d, want 400", tc.method, tc.url, code)
			}
		}
		if code, _ := do("PUT", good, ""); code != http.StatusMethodNotAllowed {
			t.Errorf("PUT: %d", code)
		}
		if s := suppressed(); len(s) != 0 {
			t.Fatalf("bad requests changed something: %v", s)
		}

		// RFC 8058: a POST with List-Unsubscribe=One-Click, no cookies, no redirect.
		code, body = do("POST", good, "List-Unsubscribe=One-Click")
		if code != 200 || !strings.Contains(body, "You are unsubscribed") {
			t.Fatalf("POST: %d %s", code, body)
		}
		if s := suppressed(); len(s) != 1 || s[0] != "Ann@Example.com" {
			t.Fatalf("suppressions after POST: %v", s)
		}
		if code, _ := do("POST", good, "List-Unsubscribe=One-Click"); code != 200 {
			t.Fatalf("second POST: %d", code)
		}
		if out := logs.String(); strings.Count(out, "unsubscribe recorded") != 2 || strings.Contains(strings.ToLower(out), "ann@") {
			t.Fatalf("log (must record each unsubscribe, never the address):\n%s", out)
		}

		// The next run skips the address.
		opts := sendOptions(testCampaign(t), l, "email\nann@example.com\nbob@example.com\n", "smtp://127.0.0.1:1")
		opts.Send = false
		opts.OutboxDir = t.TempDir()
		sum, err := notify.Run(context.Background(), opts)
		if err != nil || sum.Written != 1 || sum.Skipped[notify.SkipSuppressed] != 1 {
			t.Fatalf("run after unsubscribe: %v\n%s", err, sum)
		}
	})
}

// Point 13: the unsubscribe server does not let a slow body or an idle
// keep-alive hold a connection. The timeouts are shortened here; the test
// waits for the server to close, however long that takes.
func TestUnsubscribeServerTimeouts(t *testing.T) {
	l, _ := openLedger(t)
	srv := notify.NewUnsubscribeServer(notify.NewUnsubscribeHandler(testKey, l, nil))
	if srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.ReadHeaderTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Fatalf("server without limits: %+v", srv)
	}
	srv.ReadTimeout, srv.IdleTimeout = 200*time.Millisecond, 200*time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	go srv.Serve(ln)
	defer srv.Close()
	closed := func(c net.Conn) bool { // reads until the server hangs up
		c.SetReadDeadline(time.Now().Add(time.Minute)) // a generous bound, not the measure
		_, err := io.Copy(io.Discard, c)
		return err == nil // EOF: closed by the server
	}
	tok := url.QueryEscape(notify.SignToken(testKey, "ann@example.com"))

	slow, err := net.Dial("tcp", ln.Addr().String())
	must(t, err)
	defer slow.Close()
	fmt.Fprintf(slow, "POST /?t=%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nList-", tok)
	if !closed(slow) {
		t.Fatal("a slow body kept its connection")
	}

	idle, err := net.Dial("tcp", ln.Addr().String())
	must(t, err)
	defer idle.Close()
	fmt.Fprintf(idle, "GET /?t=%s HTTP/1.1\r\nHost: x\r\n\r\n", tok)
	if !closed(idle) { // the answer, then nothing: closed once idle
		t.Fatal("an idle keep-alive kept its connection")
	}
}
