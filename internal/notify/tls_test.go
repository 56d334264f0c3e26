package notify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getspectr/redline/internal/notify"
)

// selfSigned writes a certificate for 127.0.0.1 and returns its files and a
// pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	kb, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestTLS delivers over STARTTLS (required by the server) and implicit TLS,
// with authentication, and checks that an untrusted certificate stops the run.
func TestTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	tests := []struct {
		name  string
		flags []string
		url   string
	}{
		{"starttls", []string{"--smtp-require-starttls"}, "smtp://sender:pw@127.0.0.1:%d?tls=starttls"},
		{"smtps", []string{"--smtp-require-tls"}, "smtps://sender:pw@127.0.0.1:%d"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mp := startMailpit(t, append([]string{"--smtp-tls-cert", certFile, "--smtp-tls-key", keyFile, "--smtp-auth-accept-any"}, tc.flags...)...)
			url := strings.Replace(tc.url, "%d", strconv.Itoa(mp.SMTPPort), 1)
			l, _ := openLedger(t)
			opts := sendOptions(testCampaign(t), l, recipientsCSV(5), url)
			opts.SMTP.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
			if sum, err := notify.Run(context.Background(), opts); err != nil || sum.Sent != 5 {
				t.Fatalf("%v\n%s", err, sum)
			}
			if n := mp.Count(t); n != 5 {
				t.Fatalf("mailpit has %d", n)
			}

			l2, _ := openLedger(t)
			opts = sendOptions(testCampaign(t), l2, recipientsCSV(5), url) // system roots: the cert is untrusted
			sum, err := notify.Run(context.Background(), opts)
			if !errors.Is(err, notify.ErrCircuitOpen) || !strings.Contains(err.Error(), "certificate") || sum.Sent != 0 {
				t.Fatalf("untrusted certificate: %v\n%s", err, sum)
			}
		})
	}
}

// TestTLSRequiredOffLoopback: plain SMTP to a host that is not loopback is
// refused before any connection, and smtp:// to such a host insists on
// STARTTLS even when the server does not offer it.
func TestTLSRequiredOffLoopback(t *testing.T) {
	mp := startMailpit(t) // offers no STARTTLS
	var dials atomic.Int32
	redirect := func(ctx context.Context, network, _ string) (net.Conn, error) {
		dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, "127.0.0.1:"+strconv.Itoa(mp.SMTPPort))
	}
	l, _ := openLedger(t)
	opts := sendOptions(testCampaign(t), l, recipientsCSV(3), "smtp://mail.example.test:25?tls=none")
	opts.SMTP.DialContext = redirect
	_, err := notify.Run(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "refusing plain SMTP (tls=none) to a host that is not loopback") || dials.Load() != 0 {
		t.Fatalf("err = %v, dials = %d", err, dials.Load())
	}
	if _, err := l.Status(context.Background(), testCampaign(t).ID); !errors.Is(err, notify.ErrNoCampaign) {
		t.Fatalf("refused config still touched the ledger: %v", err)
	}

	opts = sendOptions(testCampaign(t), l, recipientsCSV(3), "smtp://mail.example.test:25")
	opts.SMTP.DialContext = redirect
	sum, err := notify.Run(context.Background(), opts)
	if !errors.Is(err, notify.ErrCircuitOpen) || !strings.Contains(err.Error(), "STARTTLS") || dials.Load() == 0 {
		t.Fatalf("err = %v, dials = %d", err, dials.Load())
	}
	if mp.Count(t) != 0 || sum.Status.Counts[notify.StatePending] != 3 {
		t.Fatalf("sent without TLS: mailpit %d\n%s", mp.Count(t), sum)
	}
}

// TestSecretsStayOut runs every failure that involves a secret and checks
// that neither errors nor logs nor the summary show it.
func TestSecretsStayOut(t *testing.T) {
	const password = "hunter2-Sup3rSecret"
	mp := startMailpit(t, "--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--chaos-triggers", "Authentication:535:100")
	urls := map[string]string{
		"malformed":       "smtp://user:" + password + "@127.0.0.1:notaport",
		"bad scheme":      "smtpx://user:" + password + "@127.0.0.1:25",
		"bad escape":      "smtp://user:" + password + "%zz@127.0.0.1:25",
		"plain off-host":  "smtp://user:" + password + "@mail.example.test:25?tls=none",
		"server gone":     "smtp://user:" + password + "@127.0.0.1:" + strconv.Itoa(freePort(t)),
		"auth rejected":   "smtp://user:" + password + "@127.0.0.1:" + strconv.Itoa(mp.SMTPPort),
		"password in cfg": "smtp://user@127.0.0.1:" + strconv.Itoa(mp.SMTPPort),
	}
	for name, url := range urls {
		t.Run(name, func(t *testing.T) {
			var logs logBuffer
			l, _ := openLedger(t)
			opts := sendOptions(testCampaign(t), l, recipientsCSV(3), url)
			opts.SMTP.Password = password
			opts.BreakerAfter = 2
			opts.Logger = debugLogger(&logs)
			sum, err := notify.Run(context.Background(), opts)
			if err == nil {
				t.Fatal("no error")
			}
			for what, text := range map[string]string{"error": err.Error(), "log": logs.String(), "summary": sum.String()} {
				if strings.Contains(text, password) || strings.Contains(text, string(testKey)) {
					t.Errorf("secret in %s: %s", what, text)
				}
			}
		})
	}
}
