package notify

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
)

// maxAddressLen is the longest forward path SMTP allows (RFC 5321 §4.5.3.1.3).
const maxAddressLen = 254

// checkAddress accepts a bare addr-spec ("user@example.com") and nothing else:
// no display name, comment, angle brackets, whitespace or control characters,
// so an address can never carry a header or a second recipient.
func checkAddress(s string) (string, error) {
	switch {
	case s == "":
		return "", errors.New("empty address")
	case len(s) > maxAddressLen:
		return "", fmt.Errorf("address longer than %d bytes", maxAddressLen)
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "", errors.New("address contains whitespace or control characters")
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", errors.New("not an email address")
	}
	if a.Name != "" || a.Address != s {
		return "", errors.New("not a bare address (no display name, comment or brackets allowed)")
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") {
		return "", fmt.Errorf("domain %q has no dot", domain)
	}
	return s, nil
}

// addressKey is the case-insensitive identity of an address.
func addressKey(email string) string { return strings.ToLower(email) }

// addrHash is a compact fingerprint of an address key, used for in-memory sets
// so memory per address stays small and constant.
type addrHash [16]byte

func hashAddress(email string) addrHash {
	sum := sha256.Sum256([]byte(addressKey(email)))
	var h addrHash
	copy(h[:], sum[:])
	return h
}

// Suppressions is a set of addresses that must not be emailed, compared
// case-insensitively. The zero value is not usable; use NewSuppressions.
type Suppressions struct {
	set map[addrHash]struct{}
}

// NewSuppressions returns an empty set.
func NewSuppressions() *Suppressions {
	return &Suppressions{set: make(map[addrHash]struct{})}
}

// Add puts an address in the set.
func (s *Suppressions) Add(email string) { s.set[hashAddress(email)] = struct{}{} }

// Has reports whether the address is in the set.
func (s *Suppressions) Has(email string) bool {
	if s == nil {
		return false
	}
	_, ok := s.set[hashAddress(email)]
	return ok
}

// Len returns the number of addresses in the set.
func (s *Suppressions) Len() int { return len(s.set) }

// ReadSuppressions adds the addresses of a suppress file to s: one address per
// line; blank lines and lines starting with # are ignored, as is anything
// after " #". A line that is not a bare address is an error naming file:line.
func (s *Suppressions) ReadSuppressions(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.Index(text, " #"); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(strings.TrimPrefix(text, "\uFEFF"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if _, err := checkAddress(text); err != nil {
			return fmt.Errorf("%s:%d: %q: %w", name, line, text, err)
		}
		s.Add(text)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}
