package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is an output that a test reads while the command writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeStart: serve prints what it built and where, serves it, and
// stops when its context ends.
func TestServeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--content", "../../content", "--templates", "../../templates", "--now", "2026-11-28"},
			nil, &out, &errOut)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "serving") {
		if time.Now().After(deadline) {
			t.Fatalf("no start line; stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	lines := strings.Split(out.String(), "\n")
	if !strings.HasPrefix(lines[0], "built ") || !strings.Contains(lines[0], " files for ") {
		t.Errorf("first line %q, want the build summary", lines[0])
	}
	_, url, ok := strings.Cut(lines[1], " at ")
	url, _, _ = strings.Cut(url, " ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("second line %q, want the URL", lines[1])
	}
	resp, err := http.Get(url + "privacy/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/_redline/reload.js") {
		t.Errorf("GET %sprivacy/: %d\n%s", url, resp.StatusCode, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestServeListen: the preview stays on loopback unless --bind-all, and a
// port already taken says what to do.
func TestServeListen(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"all interfaces", []string{"--listen", ":1313"}, 2, "every interface is not a loopback address"},
		{"a LAN address", []string{"--listen", "192.0.2.1:1313"}, 2, "--bind-all"},
		{"a host name", []string{"--listen", "example.test:1313"}, 2, "would open the preview to your network"},
		{"no port", []string{"--listen", "127.0.0.1"}, 2, "want host:port"},
		{"port taken", []string{"--listen", taken.Addr().String()}, 1, "is already in use\nhint: another redline serve"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"serve", "--content", "../../content"}, tt.args...), nil, &out, &errOut)
			if code := exitCode(err, &errOut); code != tt.code || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut.String())
			}
		})
	}
}
