package notify

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// ErrBadToken is returned by VerifyToken for any token it does not accept.
// It deliberately says nothing about which part was wrong.
var ErrBadToken = errors.New("invalid unsubscribe token")

// MinKeyLen is the shortest unsubscribe signing key accepted by Run.
const MinKeyLen = 16

// tokenScope is what a token unsubscribes from: all change notices of the
// site. It is signed with the address so a token can later be scoped more
// narrowly without old tokens changing meaning.
const tokenScope = "site"

// tokenDomain separates these MACs from any other use of the same key.
const tokenDomain = "redline-unsubscribe-v1\n"

const maxTokenLen = 1024

// b64 is strict so every payload has exactly one accepted encoding.
var b64 = base64.RawURLEncoding.Strict()

// tokenV2 prefixes the opaque tokens SignToken makes.
const tokenV2 = "2."

// SignToken returns the unsubscribe token for email. It is opaque: the
// address is encrypted (AES-256-GCM), so it does not land in the URL logs
// of every server and proxy the link passes. The nonce is an HMAC of the
// payload (a synthetic IV), so one address always gets the same token and
// Verify can check the nonce was made with the key:
// "2." base64url(nonce[12] ‖ AES-GCM(email "|" scope)).
func SignToken(key []byte, email string) string { return newTokenSigner(key).sign(email) }

// tokenSigner makes SignToken's tokens with the cipher set up once: a
// run signs one token per message.
type tokenSigner struct {
	key  []byte
	aead cipher.AEAD
}

func newTokenSigner(key []byte) *tokenSigner { return &tokenSigner{key: key, aead: tokenAEAD(key)} }

func (t *tokenSigner) sign(email string) string {
	payload := email + "|" + tokenScope
	nonce := tokenNonce(t.key, payload)
	ct := t.aead.Seal(nil, nonce, []byte(payload), []byte(tokenDomain))
	return tokenV2 + b64.EncodeToString(append(nonce, ct...))
}

func tokenAEAD(key []byte) cipher.AEAD {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("redline-unsubscribe-enc-v2"))
	block, _ := aes.NewCipher(m.Sum(nil)) // 32 bytes: AES-256
	aead, _ := cipher.NewGCM(block)
	return aead
}

func tokenNonce(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("redline-unsubscribe-nonce-v2\n"))
	m.Write([]byte(payload))
	return m.Sum(nil)[:12]
}

// signTokenV1 is the earlier, readable token: base64url(email "|" scope)
// "." base64url(HMAC-SHA256(key, payload)). VerifyToken still accepts it:
// emails already sent carry it.
func signTokenV1(key []byte, email string) string {
	payload := email + "|" + tokenScope
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(tokenMAC(key, payload))
}

// VerifyToken checks a token made by SignToken (or by an earlier redline)
// with the same key and returns the address it was made for.
func VerifyToken(key []byte, token string) (string, error) {
	if len(key) == 0 || len(token) == 0 || len(token) > maxTokenLen {
		return "", ErrBadToken
	}
	if rest, ok := strings.CutPrefix(token, tokenV2); ok {
		raw, err := b64.DecodeString(rest)
		if err != nil || len(raw) < 12+16 {
			return "", ErrBadToken
		}
		pt, err := tokenAEAD(key).Open(nil, raw[:12], raw[12:], []byte(tokenDomain))
		if err != nil || !hmac.Equal(raw[:12], tokenNonce(key, string(pt))) {
			return "", ErrBadToken
		}
		return tokenAddress(string(pt))
	}
	p64, s64, ok := strings.Cut(token, ".")
	if !ok {
		return "", ErrBadToken
	}
	payload, err := b64.DecodeString(p64)
	if err != nil {
		return "", ErrBadToken
	}
	sig, err := b64.DecodeString(s64)
	if err != nil {
		return "", ErrBadToken
	}
	if !hmac.Equal(sig, tokenMAC(key, string(payload))) {
		return "", ErrBadToken
	}
	return tokenAddress(string(payload))
}

// tokenAddress checks a verified payload: address "|" scope.
func tokenAddress(payload string) (string, error) {
	// An address may itself contain "|", the scope never does.
	i := strings.LastIndexByte(payload, '|')
	if i < 0 || payload[i+1:] != tokenScope {
		return "", ErrBadToken
	}
	email := payload[:i]
	if _, err := checkAddress(email); err != nil {
		return "", ErrBadToken
	}
	return email, nil
}

func tokenMAC(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tokenDomain))
	m.Write([]byte(payload))
	return m.Sum(nil)
}
