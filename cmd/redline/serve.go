package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/getspectr/redline/internal/serve"
	"github.com/getspectr/redline/internal/site"
)

const serveArgs = ` [flags]

Previews the site on a loopback address: builds it, serves it, and rebuilds
when content/ or templates/ change, reloading open pages. A failed build is
shown on the page while the last good one stays served. Links point at the
preview, not at base_url.`

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve", serveArgs, e.stderr)
	var sf siteFlags
	sf.register(fs)
	templates := fs.String("templates", "templates", "templates `folder`")
	listen := fs.String("listen", "127.0.0.1:1313", "`address` to serve on")
	if err := parseNone(fs, args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	sf.baseURL = "http://" + ln.Addr().String() + "/"
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	srv, err := serve.New(ctx, serve.Options{
		Content: sf.content, Templates: *templates, Logger: log,
		Build: func(ctx context.Context, out string) error { return sf.buildInto(ctx, e.getenv, *templates, out) },
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer srv.Close()
	fmt.Fprintf(e.stdout, "serving %s on %s (Ctrl-C to stop)\n", sf.content, sf.baseURL)
	return srv.Serve(ctx, ln)
}

// buildInto loads, checks and builds the site into out.
func (f *siteFlags) buildInto(ctx context.Context, getenv func(string) string, templates, out string) error {
	m, probs, err := f.load(getenv)
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		return probs
	}
	t, err := site.LoadTemplates(templates)
	if err != nil {
		return err
	}
	_, err = site.Build(ctx, m, t, out)
	return err
}
