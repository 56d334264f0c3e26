package notify_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/getspectr/redline/internal/notify"
)

var (
	dkimOnce sync.Once
	dkimKey  *rsa.PrivateKey
	dkimPEM  []byte
)

func testDKIM(t testing.TB) (*notify.DKIMConfig, *rsa.PublicKey) {
	t.Helper()
	dkimOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		dkimKey = k
		dkimPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	})
	return &notify.DKIMConfig{Domain: "spectr.test", Selector: "rl2026", KeyPEM: dkimPEM}, &dkimKey.PublicKey
}

func TestDKIMSignsItsOwnMessages(t *testing.T) {
	cfg, pub := testDKIM(t)
	var buf bytes.Buffer
	err := notify.Preview(&buf, notify.PreviewOptions{
		Campaign: testCampaign(t), TemplatesDir: templatesDir, UnsubscribeKey: testKey, DKIM: cfg, Now: testNow, Part: "mime",
	})
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	h, err := verifyDKIM(raw, pub)
	if err != nil {
		t.Fatalf("own signature does not verify: %v\n%s", err, raw)
	}
	for _, want := range []string{"list-unsubscribe", "list-unsubscribe-post", "from", "subject", "message-id"} {
		if !strings.Contains(":"+h+":", ":"+want+":") {
			t.Errorf("h= %q does not sign %s", h, want)
		}
	}
	tampered := bytes.Replace(raw, []byte("List-Unsubscribe: <https://legal.spectr.test/"), []byte("List-Unsubscribe: <https://evil.test/"), 1)
	if _, err := verifyDKIM(tampered, pub); err == nil {
		t.Fatal("a changed List-Unsubscribe still verifies")
	}
	added := bytes.Replace(raw, []byte("\r\n\r\n"), []byte("\r\nList-Unsubscribe: <https://evil.test/>\r\n\r\n"), 1)
	if _, err := verifyDKIM(added, pub); err == nil {
		t.Fatal("an added List-Unsubscribe still verifies (not oversigned)")
	}
	body := bytes.Replace(raw, []byte("90 days"), []byte("9 days"), 1)
	if _, err := verifyDKIM(body, pub); err == nil {
		t.Fatal("a changed body still verifies")
	}
}

func TestDKIMThroughMailpit(t *testing.T) {
	cfg, pub := testDKIM(t)
	mp := startMailpit(t)
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(3), mp.SMTPURL())
	opts.DKIM = cfg
	if sum, err := notify.Run(context.Background(), opts); err != nil || sum.Sent != 3 {
		t.Fatalf("%v\n%s", err, sum)
	}
	for _, m := range mp.Messages(t) {
		if _, err := verifyDKIM(mp.Raw(t, m.ID), pub); err != nil {
			t.Errorf("message to %s as received: %v", m.To[0].Address, err)
		}
	}
}

func TestDKIMConfigErrors(t *testing.T) {
	cfg, _ := testDKIM(t)
	secretish := "MIIEowIBAAKCAQEA-not-really-a-key"
	tests := map[string]notify.DKIMConfig{
		"bad key":          {Domain: "spectr.test", Selector: "s", KeyPEM: []byte("-----BEGIN RSA PRIVATE KEY-----\n" + secretish + "\n-----END RSA PRIVATE KEY-----\n")},
		"no selector":      {Domain: "spectr.test", KeyPEM: cfg.KeyPEM},
		"misaligned":       {Domain: "other.test", Selector: "s", KeyPEM: cfg.KeyPEM},
		"parent of parent": {Domain: "test", Selector: "s", KeyPEM: []byte("x")},
	}
	for name, dk := range tests {
		t.Run(name, func(t *testing.T) {
			err := notify.Preview(&bytes.Buffer{}, notify.PreviewOptions{
				Campaign: testCampaign(t), TemplatesDir: templatesDir, UnsubscribeKey: testKey, DKIM: &dk,
			})
			if err == nil || !strings.Contains(err.Error(), "dkim") {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), secretish) || strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Fatalf("error shows key material: %v", err)
			}
		})
	}
}

// verifyDKIM is a small, independent RFC 6376 verifier for relaxed/relaxed
// rsa-sha256 signatures. It returns the h= tag.
func verifyDKIM(raw []byte, pub *rsa.PublicKey) (string, error) {
	raw = bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return "", errors.New("no body")
	}
	var fields []string // raw header fields, folded lines joined
	for _, line := range strings.Split(string(head), "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1] += "\r\n" + line
		} else {
			fields = append(fields, line)
		}
	}
	var sigField string
	for _, f := range fields {
		if strings.HasPrefix(strings.ToLower(f), "dkim-signature:") {
			sigField = f
		}
	}
	if sigField == "" {
		return "", errors.New("no DKIM-Signature")
	}
	tags := map[string]string{}
	_, sigValue, _ := strings.Cut(sigField, ":")
	for _, part := range strings.Split(sigValue, ";") {
		k, v, _ := strings.Cut(part, "=")
		tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
	}
	if tags["a"] != "rsa-sha256" || tags["c"] != "relaxed/relaxed" {
		return "", fmt.Errorf("a=%s c=%s", tags["a"], tags["c"])
	}
	bh := sha256.Sum256(relaxedBody(body))
	if base64.StdEncoding.EncodeToString(bh[:]) != tags["bh"] {
		return "", errors.New("body hash mismatch")
	}
	used := map[int]bool{}
	var in strings.Builder
	for _, name := range strings.Split(tags["h"], ":") {
		name = strings.ToLower(strings.TrimSpace(name))
		for i := len(fields) - 1; i >= 0; i-- { // bottom-up, each instance once
			n, _, _ := strings.Cut(fields[i], ":")
			if !used[i] && strings.ToLower(strings.TrimSpace(n)) == name {
				used[i] = true
				in.WriteString(relaxedHeader(fields[i]) + "\r\n")
				break
			}
		}
	}
	emptied := regexp.MustCompile(`(^|;)(\s*b\s*=)[^;]*`).ReplaceAllString(sigField, "$1$2")
	in.WriteString(relaxedHeader(emptied))
	sig, err := base64.StdEncoding.DecodeString(tags["b"])
	if err != nil {
		return "", err
	}
	digest := sha256.Sum256([]byte(in.String()))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return "", err
	}
	return strings.ToLower(tags["h"]), nil
}

var wsp = regexp.MustCompile(`[ \t]+`)

func relaxedHeader(f string) string {
	name, value, _ := strings.Cut(f, ":")
	value = strings.ReplaceAll(value, "\r\n", "")
	value = strings.TrimSpace(wsp.ReplaceAllString(value, " "))
	return strings.ToLower(strings.TrimSpace(name)) + ":" + value
}

func relaxedBody(body []byte) []byte {
	lines := strings.Split(string(body), "\r\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(wsp.ReplaceAllString(l, " "), " ")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	return []byte(strings.Join(lines, "\r\n") + "\r\n")
}
