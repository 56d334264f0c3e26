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
	// again after every change. While it fails, every page shows its
	// error instead of the site.
	Build func(ctx context.Context, out string) error
	// Poll is how often the folders are checked for changes; default
	// 100ms. A change is built once the folders have stayed the same for
	// one more poll, so an editor's save in several writes is built once.
	Poll   time.Duration
	Logger *slog.Logger
}

// Server serves the latest build of a site, or the errors of a failed one.
type Server struct {
	opts    Options
	dir     string // holds one folder per build
	mu      sync.RWMutex
	current string // the folder of the last good build, "" before one
	lastErr error  // the error of the last build, nil when it succeeded
	builds  int    // builds started
	gen     int    // the number of the last build finished, good or not
	events  *broker
	built   string // the folders' stamp that the first build saw
}

// New makes a server and runs the first build. A failed first build is
// not an error: the server shows it until a change fixes it (Err tells).
// The caller must Close the server.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Poll <= 0 {
		opts.Poll = 100 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Build == nil {
		return nil, errors.New("serve: no Build function")
	}
	dir, err := os.MkdirTemp("", "redline-serve-")
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, dir: dir, events: newBroker()}
	s.built = s.stamp() // before the build: a change during it is built again
	s.rebuild(ctx)
	return s, nil
}

// Err returns the error of the last build, or nil when it succeeded.
func (s *Server) Err() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastErr
}

// Close removes the builds.
func (s *Server) Close() error { return os.RemoveAll(s.dir) }

// rebuild builds into a fresh folder and, when it succeeds, serves it. It
// returns the build's error, which is also kept for the pages.
func (s *Server) rebuild(ctx context.Context) error {
	s.mu.Lock()
	s.builds++
	n := s.builds
	out := filepath.Join(s.dir, fmt.Sprintf("build-%d", n))
	s.mu.Unlock()
	err := s.opts.Build(ctx, out)
	s.mu.Lock()
	old := s.current
	s.lastErr = err
	s.gen = max(s.gen, n)
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

// watch polls the content and templates folders and rebuilds after a
// change, once they have settled. A build during which the folders changed
// again (a file still being written) is built again before anyone is told.
func (s *Server) watch(ctx context.Context) {
	last := s.built
	t := time.NewTicker(s.opts.Poll)
	defer t.Stop()
	tick := func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	for tick() {
		now := s.stamp()
		if now == last {
			continue
		}
		for { // debounce: wait for one poll without change
			last = now
			if !tick() {
				return
			}
			if now = s.stamp(); now == last {
				break
			}
		}
		start := time.Now()
		err := s.rebuild(ctx)
		if ctx.Err() != nil {
			return
		}
		if now = s.stamp(); now != last {
			continue // changed while building: the next tick builds again
		}
		if err != nil {
			s.opts.Logger.Error("build failed; every page shows the error until it is fixed", "err", err)
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
