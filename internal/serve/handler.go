package serve

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Handler serves the current build, the reload script and its events.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_redline/reload.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Write([]byte(reloadJS))
	})
	mux.HandleFunc("GET /_redline/events", s.events.serve)
	mux.HandleFunc("GET /_redline/status", func(w http.ResponseWriter, r *http.Request) {
		s.mu.RLock()
		err := s.lastErr
		s.mu.RUnlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /", s.page)
	return mux
}

// page serves a file of the current build; HTML gets the reload script.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	root := s.current
	s.mu.RUnlock()
	name := path.Clean("/" + r.URL.Path)
	file := filepath.Join(root, filepath.FromSlash(name))
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		file = filepath.Join(file, "index.html")
	}
	status := http.StatusOK
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		status = http.StatusNotFound
		file = filepath.Join(root, "404.html")
		data, err = os.ReadFile(file)
	}
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if !strings.HasSuffix(file, ".html") {
		http.ServeFile(w, r, file)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(withReload(data))
}

// withReload adds the reload script to a page and lets its CSP run it and
// open the event stream, both from this server only.
func withReload(page []byte) []byte {
	page = bytes.Replace(page, []byte("default-src 'none';"), []byte("default-src 'none'; script-src 'self'; connect-src 'self';"), 1)
	return bytes.Replace(page, []byte("</head>"), []byte(`<script src="/_redline/reload.js" defer></script>`+"\n</head>"), 1)
}

// reloadJS reloads the page after a rebuild and shows a failed build.
const reloadJS = `(function () {
  var es = new EventSource("/_redline/events");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("error-build", function () {
    fetch("/_redline/status").then(function (r) { return r.text(); }).then(function (t) {
      var d = document.getElementById("redline-build-error") || document.createElement("pre");
      d.id = "redline-build-error";
      d.textContent = "redline: build failed; showing the last good build.\n\n" + t;
      d.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:40vh;overflow:auto;margin:0;padding:1rem;background:#82071e;color:#fff;z-index:99";
      document.body.appendChild(d);
    });
  });
})();
`

// broker fans server-sent events out to every open page.
type broker struct {
	mu      sync.Mutex
	clients map[chan string]bool
	closed  bool
}

func newBroker() *broker { return &broker{clients: map[chan string]bool{}} }

func (b *broker) send(event string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		select {
		case c <- event:
		default: // a slow page misses one event; it reloads on the next
		}
	}
}

func (b *broker) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for c := range b.clients {
		close(c)
		delete(b.clients, c)
	}
}

func (b *broker) serve(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan string, 4)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.clients[c] = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.clients[c] {
			delete(b.clients, c)
		}
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev, ev)
			flusher.Flush()
		}
	}
}
