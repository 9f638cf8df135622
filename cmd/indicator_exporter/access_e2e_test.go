package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Access tests: TLS and basic auth through exporter-toolkit's
// --web.config.file, with a certificate made in the test and a real TLS
// client; /-/reload only by POST; the server's header size limit and
// header read timeout.

// testCert writes a self-signed ECDSA P-256 certificate for 127.0.0.1 and
// its key to dir, and returns a pool that trusts it.
func testCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "indicator_exporter test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// webConfig writes an exporter-toolkit web config with TLS and one user.
func webConfig(t *testing.T, path, certFile, keyFile, user, password string) {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfg := "tls_server_config:\n  cert_file: " + certFile + "\n  key_file: " + keyFile + "\n" +
		"basic_auth_users:\n  " + user + ": " + string(hash) + "\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

func do(t *testing.T, c *http.Client, method, url, user, password string) (int, error) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestTLSAndBasicAuth runs the daemon behind --web.config.file with TLS
// and a bcrypt-hashed user: only a client that trusts the certificate and
// gives the right password gets /metrics, the pages or a reload; the
// config is re-read per request, so a password change needs no restart.
func TestTLSAndBasicAuth(t *testing.T) {
	s := newSite(t, generatedPlan(3))
	certFile, keyFile, pool := testCert(t, s.dir)
	cfgFile := filepath.Join(s.dir, "web.yml")
	webConfig(t, cfgFile, certFile, keyFile, "prometheus", "correct horse")
	client := &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	d := launch(t, procOptions{client: client, scheme: "https", user: "prometheus", password: "correct horse"},
		s.args("--web.config.file="+cfgFile)...)

	for _, tc := range []struct {
		name, method, path, user, password string
		want                               int
	}{
		{"the right password gets the metrics", "GET", "/metrics", "prometheus", "correct horse", 200},
		{"the right password gets the pages", "GET", "/", "prometheus", "correct horse", 200},
		{"a wrong password is refused", "GET", "/metrics", "prometheus", "wrong", 401},
		{"an unknown user is refused", "GET", "/metrics", "admin", "correct horse", 401},
		{"no credentials are refused", "GET", "/metrics", "", "", 401},
		{"the pages need credentials too", "GET", "/", "", "", 401},
		{"health needs credentials too", "GET", "/-/healthy", "", "", 401},
		{"a reload needs credentials", "POST", "/-/reload", "", "", 401},
		{"a reload by GET is refused even with credentials", "GET", "/-/reload", "prometheus", "correct horse", 405},
		{"a reload by POST with credentials works", "POST", "/-/reload", "prometheus", "correct horse", 200},
	} {
		code, err := do(t, client, tc.method, d.base+tc.path, tc.user, tc.password)
		if err != nil || code != tc.want {
			t.Errorf("%s: %s %s = %d, %v; want %d", tc.name, tc.method, tc.path, code, err, tc.want)
		}
	}

	// Plain HTTP to the TLS port gets no metrics.
	plain := &http.Client{Timeout: 5 * time.Second}
	if code, err := do(t, plain, "GET", "http://"+d.addr+"/metrics", "prometheus", "correct horse"); err == nil && code == 200 {
		t.Error("plain HTTP got the metrics from a TLS listener")
	}
	// A client that does not trust the certificate stops at the handshake.
	untrusting := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{}}}
	var uerr *tls.CertificateVerificationError
	if _, err := do(t, untrusting, "GET", d.base+"/metrics", "prometheus", "correct horse"); !errors.As(err, &uerr) {
		t.Errorf("an untrusted certificate should fail verification, got %v", err)
	}
	// TLS 1.1 and older are refused (the toolkit's default minimum is 1.2).
	old := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}}}
	if code, err := do(t, old, "GET", d.base+"/metrics", "prometheus", "correct horse"); err == nil {
		t.Errorf("a TLS 1.1 client was served (%d)", code)
	}

	// A new password takes effect without a restart; the old one stops working.
	webConfig(t, cfgFile, certFile, keyFile, "prometheus", "battery staple")
	eventually(t, 10*time.Second, "the new password to be accepted", func() bool {
		code, _ := do(t, client, "GET", d.base+"/metrics", "prometheus", "battery staple")
		return code == 200
	})
	if code, _ := do(t, client, "GET", d.base+"/metrics", "prometheus", "correct horse"); code != 401 {
		t.Errorf("the old password still works after the change: %d", code)
	}
}

// TestOversizedHeaderGets431 sends a request whose headers exceed the
// server's MaxHeaderBytes (64 KiB): it is refused with 431 before any
// handler runs, and the daemon keeps serving; ordinary large headers
// (a 16 KiB cookie) still pass.
func TestOversizedHeaderGets431(t *testing.T) {
	s := newSite(t, generatedPlan(3))
	d := launch(t, procOptions{}, s.args()...)
	send := func(n int) int {
		req, _ := http.NewRequest(http.MethodGet, d.base+"/metrics", nil)
		req.Header.Set("X-Padding", strings.Repeat("a", n))
		resp, err := d.client.Do(req)
		if err != nil {
			t.Fatalf("header of %d bytes: %v", n, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(16 << 10); code != 200 {
		t.Errorf("a 16 KiB header got %d, want 200", code)
	}
	if code := send(128 << 10); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 128 KiB header got %d, want 431", code)
	}
	if code, _ := d.get("/metrics"); code != 200 {
		t.Errorf("after an oversized request /metrics = %d", code)
	}
}

// TestSlowHeadersAreCutOff opens a connection and sends half a request
// line by line, as a slowloris client does: the server closes it after its
// header read timeout (10 s) instead of holding it, and serves others
// meanwhile.
func TestSlowHeadersAreCutOff(t *testing.T) {
	t.Parallel() // waits ~10 s; overlaps with the other parallel tests
	s := newSite(t, generatedPlan(3))
	d := launch(t, procOptions{}, s.args()...)
	conn, err := net.Dial("tcp", d.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET /metrics HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	closed := make(chan time.Duration, 1)
	go func() {
		// Trickle a header every second; the server must not wait for ever.
		r := bufio.NewReader(conn)
		go func() {
			for i := 0; i < 30; i++ {
				time.Sleep(time.Second)
				if _, err := io.WriteString(conn, "X-Slow: 1\r\n"); err != nil {
					return
				}
			}
		}()
		r.ReadString('\n') // returns when the server answers or closes
		closed <- time.Since(start)
	}()
	if code, _ := d.get("/metrics"); code != 200 {
		t.Errorf("/metrics = %d while a slow client holds a connection", code)
	}
	select {
	case el := <-closed:
		if el < 9*time.Second {
			t.Errorf("the slow connection ended after %v, before the 10 s header timeout", el)
		}
		t.Logf("slow connection cut off after %v", el.Round(100*time.Millisecond))
	case <-time.After(20 * time.Second):
		t.Fatal("a client trickling headers held its connection for 20 s; ReadHeaderTimeout is not in force")
	}
}
