package notify

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"
)

// maxUnsubscribeBody bounds what a POST may send; the RFC 8058 body is 26 bytes.
const maxUnsubscribeBody = 4 << 10

// NewUnsubscribeHandler serves the unsubscribe URL of the emails (the token
// travels in the query as t=…):
//
//   - POST with a valid token records the suppression and answers 200 — the
//     RFC 8058 one-click request (body List-Unsubscribe=One-Click), sent by
//     mail providers without cookies or redirects, and the confirmation form;
//   - GET shows a page with a button that POSTs; it changes nothing, because
//     link scanners fetch every URL in a message;
//   - a missing or invalid token is 400 and changes nothing.
//
// Each unsubscribe is logged to log (nil: not logged) without the address.
func NewUnsubscribeHandler(key []byte, s Suppressor, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &unsubscribeHandler{key: key, s: s, log: log}
}

// NewUnsubscribeServer wraps h in a server that does not let slow or idle
// clients hold connections: headers within 5 s, the whole request within
// 10 s, the answer within 10 s, an idle keep-alive closed after 30 s, and
// at most 8 KiB of headers (the handler bounds the body).
func NewUnsubscribeServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    8 << 10,
	}
}

type unsubscribeHandler struct {
	key []byte
	s   Suppressor
	log *slog.Logger
}

func (h *unsubscribeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	token := r.URL.Query().Get("t")
	email, err := VerifyToken(h.key, token)
	if err != nil {
		http.Error(w, "This unsubscribe link is not valid. Use the link from the latest email, or reply to it.", http.StatusBadRequest)
		return
	}
	if r.Method != http.MethodPost {
		h.page(w, pageConfirm, email, token)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUnsubscribeBody)
	_ = r.ParseForm() // the body is not needed: the signed URL is the request
	if err := h.s.Suppress(r.Context(), email, "one-click"); err != nil {
		h.log.Error("unsubscribe not recorded", "err", err.Error())
		http.Error(w, "Could not record the request; please try again later.", http.StatusInternalServerError)
		return
	}
	h.log.Info("unsubscribe recorded", "source", "one-click") // never the address
	h.page(w, pageDone, email, token)
}

const (
	pageConfirm = "confirm"
	pageDone    = "done"
)

var unsubscribePage = template.Must(template.New("unsubscribe").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if eq .Page "done"}}Unsubscribed{{else}}Unsubscribe{{end}}</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style>
</head><body><main>
{{if eq .Page "done"}}<h1>You are unsubscribed</h1>
<p>We will not email <strong>{{.Email}}</strong> about policy changes any more.</p>
{{else}}<h1>Unsubscribe</h1>
<p>Stop emails about policy changes to <strong>{{.Email}}</strong>?</p>
<form method="post" action="?t={{.Token}}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>
{{end}}</main></body></html>
`))

func (h *unsubscribeHandler) page(w http.ResponseWriter, page, email, token string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = unsubscribePage.Execute(w, struct{ Page, Email, Token string }{page, email, token})
}
