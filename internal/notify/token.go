package notify

import (
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

// SignToken returns the unsubscribe token for email:
// base64url(email "|" scope) "." base64url(HMAC-SHA256(key, payload)).
func SignToken(key []byte, email string) string {
	payload := email + "|" + tokenScope
	return b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(tokenMAC(key, payload))
}

// VerifyToken checks a token made by SignToken with the same key and returns
// the address it was made for. The MAC is compared in constant time.
func VerifyToken(key []byte, token string) (string, error) {
	if len(key) == 0 || len(token) == 0 || len(token) > maxTokenLen {
		return "", ErrBadToken
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
	// An address may itself contain "|", the scope never does.
	i := strings.LastIndexByte(string(payload), '|')
	if i < 0 || string(payload[i+1:]) != tokenScope {
		return "", ErrBadToken
	}
	email := string(payload[:i])
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
