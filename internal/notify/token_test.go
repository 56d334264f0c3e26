package notify_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

func TestTokenRoundTrip(t *testing.T) {
	for _, email := range []string{"ann@example.com", "Mixed.Case+tag@Example.COM", "odd|pipe@example.com"} {
		tok := notify.SignToken(testKey, email)
		got, err := notify.VerifyToken(testKey, tok)
		if err != nil || got != email {
			t.Errorf("VerifyToken(SignToken(%q)) = %q, %v", email, got, err)
		}
		if strings.ContainsAny(tok, "+/=") {
			t.Errorf("token %q is not URL-safe", tok)
		}
	}
}

// Point 13: the token is opaque: no decoding of it shows the address.
func TestTokenOpaque(t *testing.T) {
	tok := notify.SignToken(testKey, "ann.secret@example.com")
	rest, ok := strings.CutPrefix(tok, "2.")
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if !ok || err != nil {
		t.Fatalf("token %q: %v", tok, err)
	}
	for _, s := range []string{tok, string(raw)} {
		if strings.Contains(strings.ToLower(s), "ann") || strings.Contains(s, "example") || strings.Contains(s, "|site") {
			t.Fatalf("token shows the address: %q", s)
		}
	}
	if notify.SignToken(testKey, "ann.secret@example.com") != tok {
		t.Fatal("the same address got another token")
	}
	if got, err := notify.VerifyToken(testKey, notify.SignTokenV1(testKey, "ann@example.com")); err != nil || got != "ann@example.com" {
		t.Fatalf("a token from an email already sent is refused: %q %v", got, err)
	}
	flipped := []byte(tok)
	flipped[len(flipped)-3] ^= 1
	for _, bad := range []string{string(flipped), tok[:len(tok)-4], "2." + rest[:20], "2.!!", notify.SignToken([]byte("some-other-key-0123456789"), "ann@example.com")} {
		if email, err := notify.VerifyToken(testKey, bad); !errors.Is(err, notify.ErrBadToken) || email != "" {
			t.Errorf("VerifyToken(%q) = %q, %v", bad, email, err)
		}
	}
}

// TestTokenRejects covers the earlier token format, still accepted.
func TestTokenRejects(t *testing.T) {
	good := notify.SignTokenV1(testKey, "ann@example.com")
	payload, sig, _ := strings.Cut(good, ".")
	enc := base64.RawURLEncoding.EncodeToString
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	tests := map[string]struct {
		key   []byte
		token string
	}{
		"wrong key":             {[]byte("another-key-of-some-length"), good},
		"no key":                {nil, good},
		"empty":                 {testKey, ""},
		"no dot":                {testKey, payload + sig},
		"payload tampered":      {testKey, flip(payload, 3) + "." + sig},
		"other address":         {testKey, enc([]byte("bob@example.com|site")) + "." + sig},
		"signature tampered":    {testKey, payload + "." + flip(sig, 5)},
		"signature truncated":   {testKey, payload + "." + sig[:20]},
		"not base64":            {testKey, "!!!." + sig},
		"extra dot":             {testKey, good + ".x"},
		"huge":                  {testKey, strings.Repeat("A", 5000) + "." + sig},
		"wrong scope, good mac": {testKey, forge(testKey, "ann@example.com|campaign")},
		"not an address":        {testKey, forge(testKey, "Ann <ann@example.com>|site")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			email, err := notify.VerifyToken(tc.key, tc.token)
			if !errors.Is(err, notify.ErrBadToken) || email != "" {
				t.Fatalf("VerifyToken = %q, %v; want ErrBadToken", email, err)
			}
		})
	}
}

// forge makes a correctly signed token for an arbitrary payload, to reach
// the checks after the MAC.
func forge(key []byte, payload string) string { return notify.SignPayloadForTest(key, payload) }

func FuzzVerifyToken(f *testing.F) {
	f.Add(notify.SignToken(testKey, "ann@example.com"))
	f.Add("")
	f.Add(".")
	f.Add("YQ.YQ")
	f.Add(strings.Repeat(".", 100))
	f.Fuzz(func(t *testing.T, token string) {
		email, err := notify.VerifyToken(testKey, token)
		if err == nil && notify.SignToken(testKey, email) != token && notify.SignTokenV1(testKey, email) != token {
			t.Fatalf("accepted %q for %q, which SignToken does not produce", token, email)
		}
	})
}
