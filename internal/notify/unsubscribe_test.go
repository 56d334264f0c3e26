package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

func TestUnsubscribeHandler(t *testing.T) {
	l, _ := openLedger(t)
	srv := httptest.NewServer(notify.NewUnsubscribeHandler(testKey, l))
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

	// The next run skips the address.
	opts := sendOptions(testCampaign(t), l, "email\nann@example.com\nbob@example.com\n", "smtp://127.0.0.1:1")
	opts.Send = false
	opts.OutboxDir = t.TempDir()
	sum, err := notify.Run(context.Background(), opts)
	if err != nil || sum.Written != 1 || sum.Skipped[notify.SkipSuppressed] != 1 {
		t.Fatalf("run after unsubscribe: %v\n%s", err, sum)
	}
}
