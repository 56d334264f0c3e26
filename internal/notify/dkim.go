package notify

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DKIMConfig turns on DKIM signing (RFC 6376, rsa-sha256, relaxed/relaxed).
// The caller reads the PEM key from REDLINE_DKIM_KEY and the selector and
// domain from the site config.
//
// go-mail v0.8.1 has a DKIM signer, but it folds the h= tag in the middle of
// header names once the list is longer than a line, which breaks the
// signature for every verifier; signing List-Unsubscribe and friends needs a
// longer list, so this small signer is used instead.
type DKIMConfig struct {
	Domain   string // d=, must be the From domain or a parent of it
	Selector string // s=, the DNS record is <selector>._domainkey.<domain>
	KeyPEM   []byte // PKCS#1 or PKCS#8 RSA private key; never logged
}

// dkimSigned are the headers the signature covers; List-Unsubscribe and
// List-Unsubscribe-Post must be signed for RFC 8058 one-click to be honoured.
// The last four are listed twice (oversigned) so that a second copy cannot be
// added in transit without breaking the signature.
var dkimSigned = []string{
	"From", "Reply-To", "To", "Subject", "Date", "Message-ID",
	"MIME-Version", "Content-Type", "Auto-Submitted",
	"List-Unsubscribe", "List-Unsubscribe-Post",
	"From", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post",
}

type dkimKey struct {
	domain, selector string
	key              *rsa.PrivateKey
}

// load parses the key and checks that the signing domain aligns with from.
func (d *DKIMConfig) load(from string) (*dkimKey, error) {
	if d.Domain == "" || d.Selector == "" {
		return nil, errors.New("notify: dkim: domain and selector are required")
	}
	signer, err := gomail.PrivKeyFromPEM(d.KeyPEM)
	if err != nil {
		return nil, fmt.Errorf("notify: dkim key (REDLINE_DKIM_KEY): %w", err)
	}
	key, ok := signer.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("notify: dkim key (REDLINE_DKIM_KEY): only RSA keys are supported")
	}
	domain := strings.ToLower(strings.TrimSuffix(d.Domain, "."))
	fromDomain := strings.ToLower(from[strings.LastIndexByte(from, '@')+1:])
	if fromDomain != domain && !strings.HasSuffix(fromDomain, "."+domain) {
		return nil, fmt.Errorf("notify: dkim: domain %q does not align with the from address domain %q (DMARC would fail)", domain, fromDomain)
	}
	return &dkimKey{domain: domain, selector: d.Selector, key: key}, nil
}

// sign returns the value of the DKIM-Signature header for a rendered message.
func (k *dkimKey) sign(msg []byte, now time.Time) (string, error) {
	head, body, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	bh := sha256.Sum256(relaxedBody(body))

	var f folder
	f.col = len("DKIM-Signature: ")
	for _, tag := range []string{"v=1;", "a=rsa-sha256;", "c=relaxed/relaxed;", "d=" + k.domain + ";",
		"s=" + k.selector + ";", "t=" + strconv.FormatInt(now.Unix(), 10) + ";"} {
		f.add(tag, " ")
	}
	f.add("h="+dkimSigned[0], " ")
	for _, h := range dkimSigned[1:] {
		f.add(":"+h, "")
	}
	f.add(";", "")
	f.add("bh="+base64.StdEncoding.EncodeToString(bh[:])+";", " ")
	f.add("b=", " ")

	fields := headerFields(string(head))
	used := make([]bool, len(fields))
	var in strings.Builder
	for _, name := range dkimSigned {
		for i := len(fields) - 1; i >= 0; i-- { // bottom-up, each instance once
			n, _, _ := strings.Cut(fields[i], ":")
			if !used[i] && strings.EqualFold(strings.TrimSpace(n), name) {
				used[i] = true
				in.WriteString(relaxedHeader(fields[i]) + "\r\n")
				break
			}
		}
	}
	in.WriteString(relaxedHeader("DKIM-Signature: " + f.b.String()))
	digest := sha256.Sum256([]byte(in.String()))
	sig, err := rsa.SignPKCS1v15(nil, k.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("notify: dkim: %w", err)
	}
	b := base64.StdEncoding.EncodeToString(sig)
	for len(b) > 0 {
		n := min(len(b), 64)
		f.add(b[:n], "")
		b = b[n:]
	}
	return f.b.String(), nil
}

// folder writes tokens, starting a continuation line (CRLF TAB) before a
// token that would pass column 76.
type folder struct {
	b   strings.Builder
	col int
}

func (f *folder) add(tok, sep string) {
	if f.b.Len() > 0 && f.col+len(sep)+len(tok) > 76 {
		f.b.WriteString("\r\n\t")
		f.col = 1
	} else {
		f.b.WriteString(sep)
		f.col += len(sep)
	}
	f.b.WriteString(tok)
	f.col += len(tok)
}

// headerFields splits a header block into fields, continuation lines included.
func headerFields(head string) []string {
	var fields []string
	for _, line := range strings.Split(head, "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1] += "\r\n" + line
			continue
		}
		fields = append(fields, line)
	}
	return fields
}

// relaxedHeader is the "relaxed" header canonicalization (RFC 6376 §3.4.2).
func relaxedHeader(field string) string {
	name, value, _ := strings.Cut(field, ":")
	value = strings.NewReplacer("\r\n", "", "\r", "", "\n", "").Replace(value)
	return strings.ToLower(strings.TrimSpace(name)) + ":" + strings.TrimSpace(collapseWSP(value))
}

// relaxedBody is the "relaxed" body canonicalization (RFC 6376 §3.4.4).
func relaxedBody(body []byte) []byte {
	lines := strings.Split(string(body), "\r\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(collapseWSP(l), " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}

// collapseWSP turns every run of spaces and tabs into one space.
func collapseWSP(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(s[i])
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}
