package serve

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
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
		err, gen := s.lastErr, s.gen
		s.mu.RUnlock()
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Redline-Build", strconv.Itoa(gen))
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
// While the last build is broken, every HTML page, a fresh tab's as much
// as a reload's, is the build's errors instead: the preview never shows a
// stale page as if it were current.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	root, buildErr, gen := s.current, s.lastErr, s.gen
	s.mu.RUnlock()
	name := path.Clean("/" + r.URL.Path)
	file := ""
	if root != "" {
		file = filepath.Join(root, filepath.FromSlash(name))
		if fi, err := os.Stat(file); err == nil && fi.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			file = filepath.Join(file, "index.html")
		}
	}
	status := http.StatusOK
	var data []byte
	err := fs.ErrNotExist
	if file != "" {
		data, err = os.ReadFile(file)
	}
	if buildErr != nil && (err != nil || strings.HasSuffix(file, ".html")) {
		writeErrorPage(w, buildErr, gen)
		return
	}
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
	w.Write(withReload(data, gen))
}

// writeErrorPage answers with the build's errors, one per line as
// file:line: what is wrong, and the reload script, so that the page
// comes back by itself when the file is fixed.
func writeErrorPage(w http.ResponseWriter, buildErr error, gen int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, errorPage, reloadTag(gen), html.EscapeString(buildErr.Error()))
}

const errorPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · redline serve</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328}h1{color:#82071e}pre{white-space:pre-wrap;background:#fff0f0;border-left:4px solid #82071e;padding:1rem}</style>
%s
</head>
<body>
<main>
<h1>The build failed</h1>
<p>redline serve shows no page until the site builds again. Fix what is listed here and save: this page reloads by itself.</p>
<pre id="redline-build-error">%s</pre>
</main>
</body>
</html>
`

// withReload adds the reload script to a page and lets its CSP run it and
// open the event stream, both from this server only.
func withReload(page []byte, gen int) []byte {
	page = bytes.Replace(page, []byte("default-src 'none';"), []byte("default-src 'none'; script-src 'self'; connect-src 'self';"), 1)
	return bytes.Replace(page, []byte("</head>"), []byte(reloadTag(gen)+"\n</head>"), 1)
}

// reloadTag loads the reload script, telling it which build the page is of.
func reloadTag(gen int) string {
	return `<script src="/_redline/reload.js?build=` + strconv.Itoa(gen) + `" defer></script>`
}

// reloadJS reloads the page after every build, good or failed: the server
// answers with the site or with the build's errors. When the event stream
// opens it also asks which build is served, so that a build finished
// between the page's load and the stream's start is not missed.
const reloadJS = `(function () {
  var build = new URL(document.currentScript.src).searchParams.get("build");
  var reload = function () { location.reload(); };
  var es = new EventSource("/_redline/events");
  es.addEventListener("reload", reload);
  es.addEventListener("error-build", reload);
  es.addEventListener("open", function () {
    fetch("/_redline/status", {cache: "no-store"}).then(function (r) {
      if (r.headers.get("Redline-Build") !== build) { reload(); }
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
