package serve

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Options configure a preview server.
type Options struct {
	Content, Templates string
	// Build renders the site into out. It is called once at start and
	// again after every change; its error is shown, and the last good
	// site stays served.
	Build func(ctx context.Context, out string) error
	// Poll is how often the folders are checked for changes; default 300ms.
	Poll   time.Duration
	Logger *slog.Logger
}

// Server serves the latest good build of a site.
type Server struct {
	opts    Options
	dir     string // holds one folder per build
	mu      sync.RWMutex
	current string // the folder served
	lastErr error
	builds  int
	events  *broker
}

// New makes a server and runs the first build. The caller must Close it.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Poll <= 0 {
		opts.Poll = 300 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir, err := os.MkdirTemp("", "redline-serve-")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, dir: dir, events: newBroker()}
	if err := s.rebuild(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Close removes the builds.
func (s *Server) Close() error { return os.RemoveAll(s.dir) }

// rebuild builds into a fresh folder and, when it succeeds, serves it.
func (s *Server) rebuild(ctx context.Context) error {
	s.mu.Lock()
	s.builds++
	out := filepath.Join(s.dir, fmt.Sprintf("build-%d", s.builds))
	old := s.current
	s.mu.Unlock()
	err := s.opts.Build(ctx, out)
	s.mu.Lock()
	s.lastErr = err
	if err == nil {
		s.current = out
	}
	s.mu.Unlock()
	if err != nil {
		os.RemoveAll(out)
		return err
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Serve answers HTTP on ln until ctx ends, rebuilding on changes.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.watch(ctx)
	go func() {
		<-ctx.Done()
		s.events.close()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// watch polls the content and templates folders and rebuilds on a change.
func (s *Server) watch(ctx context.Context) {
	last := s.stamp()
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := s.stamp()
		if now == last {
			continue
		}
		last = now
		start := time.Now()
		if err := s.rebuild(ctx); err != nil {
			s.opts.Logger.Error("build failed; still serving the last good site", "err", err)
			s.events.send("error-build")
			continue
		}
		s.opts.Logger.Info("rebuilt", "in", time.Since(start).Round(time.Millisecond))
		s.events.send("reload")
	}
}

// stamp sums up the folders' state: names, sizes and modification times.
func (s *Server) stamp() string {
	h := fnv.New64a()
	for _, root := range []string{s.opts.Content, s.opts.Templates} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintln(h, path, "!")
				return nil
			}
			if info, err := d.Info(); err == nil {
				fmt.Fprintln(h, path, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return fmt.Sprintf("%016x", h.Sum64())
}
