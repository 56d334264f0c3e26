package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/getspectr/redline/internal/serve"
	"github.com/getspectr/redline/internal/site"
)

const serveArgs = ` [flags]

Previews the site on a loopback address: builds it, serves it, and rebuilds
when content/ or templates/ change, reloading open pages. While a build is
broken every page shows its errors (file:line) instead of the site; fixing
the file brings the site back. Links point at the preview, not at base_url.`

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", serveArgs, e.stderr)
	var sf siteFlags
	sf.register(fs)
	templates := fs.String("templates", "templates", "templates `folder`")
	listen := fs.String("listen", "127.0.0.1:1313", "`address` to serve on (host:port; port 0 picks a free one)")
	bindAll := fs.Bool("bind-all", false, "allow a --listen address other than loopback: the preview is then open to your network")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	if err := loopbackOnly(*listen, *bindAll); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return listenError(*listen, err)
	}
	sf.baseURL = "http://" + ln.Addr().String() + "/"
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	var summary buildSummary
	srv, err := serve.New(ctx, serve.Options{
		Content: sf.content, Templates: *templates, Logger: log,
		Build: func(ctx context.Context, out string) error {
			return summary.record(sf.buildInto(ctx, e.getenv, *templates, out))
		},
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	if err := srv.Err(); err != nil {
		fmt.Fprintf(e.stderr, "%s\nredline: the build failed: every page shows the errors until you fix them\n", err)
	} else {
		fmt.Fprintf(e.stdout, "built %s\n", summary.String())
	}
	fmt.Fprintf(e.stdout, "serving %s at %s (Ctrl-C to stop)\n", sf.content, sf.baseURL)
	return srv.Serve(ctx, ln)
}

// loopbackOnly refuses to serve the preview beyond this machine unless
// asked to: it is a development server with live reload, not the site.
func loopbackOnly(addr string, bindAll bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErr(fmt.Sprintf("--listen %q: want host:port, e.g. 127.0.0.1:1313", addr))
	}
	if bindAll {
		return nil
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	what := host
	if host == "" {
		what = "every interface"
	}
	return hinted{usageErr(fmt.Sprintf("--listen %s would open the preview to your network (%s is not a loopback address)", addr, what)),
		"use --listen 127.0.0.1:PORT, or add --bind-all if you mean it"}
}

// listenError says what to do when the address cannot be had.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return hinted{fmt.Errorf("%s is already in use", addr),
			"another redline serve (or hugo server) may be running: stop it, or pick another port with --listen 127.0.0.1:1314 (port 0 picks a free one)"}
	}
	return fmt.Errorf("cannot listen on %s: %w", addr, err)
}

// buildSummary remembers what the last good build made, for the start line.
type buildSummary struct {
	mu   sync.Mutex
	text string
}

func (b *buildSummary) record(text string, took time.Duration, err error) error {
	if err == nil {
		b.mu.Lock()
		b.text = text + " in " + took.Round(time.Millisecond).String()
		b.mu.Unlock()
	}
	return err
}

func (b *buildSummary) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.text
}

// buildInto loads, checks and builds the site into out, and says what it
// built: "12 files for 2 documents (5 versions)".
func (f *siteFlags) buildInto(ctx context.Context, getenv func(string) string, templates, out string) (string, time.Duration, error) {
	start := time.Now()
	m, probs, err := f.load(getenv)
	if err != nil {
		return "", 0, err
	}
	if len(probs) > 0 {
		return "", 0, probs
	}
	t, err := site.LoadTemplates(templates)
	if err != nil {
		return "", 0, err
	}
	n, err := site.Build(ctx, m, t, out)
	return fmt.Sprintf("%d files for %s", n, counts(m)), time.Since(start), err
}
