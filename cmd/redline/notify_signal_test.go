package main

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInterruptTwiceStopsNow: a send is stuck waiting for a server that
// never greets. The first interrupt asks for a clean stop, which waits for
// the connection; the second ends the process at once with status 130.
func TestInterruptTwiceStopsNow(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c // never greets: the client waits for the 220
		}
	}()
	dir := t.TempDir()
	write := notifySite(t, dir)
	write("recipients.csv", "email\na@example.com\n")
	bin, err := exec.LookPath("redline") // installed on PATH by testscript.Main
	if err != nil {
		t.Fatal(err)
	}
	templates, _ := filepath.Abs("../../templates")
	cmd := exec.Command(bin, "notify", "--send", "--since", "2026-01-01", "--content", filepath.Join(dir, "content"),
		"--templates", templates, "--recipients", filepath.Join(dir, "recipients.csv"),
		"--state", filepath.Join(dir, "state.db"), "--now", "2026-11-28", "--connections", "1")
	cmd.Env = append(os.Environ(), "REDLINE_SMTP_URL=smtp://"+ln.Addr().String(), "REDLINE_UNSUBSCRIBE_KEY=interrupt-test-key-0123456789")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	c := <-accepted // the run is now waiting for the greeting
	defer c.Close()

	lines := bufio.NewScanner(stderr)
	waitFor := func(want string) {
		t.Helper()
		var seen []string
		for lines.Scan() {
			if strings.Contains(lines.Text(), want) {
				return
			}
			seen = append(seen, lines.Text())
		}
		t.Fatalf("stderr ended without %q:\n%s", want, strings.Join(seen, "\n"))
	}
	must(t, cmd.Process.Signal(os.Interrupt))
	waitFor("interrupt again to stop now")
	must(t, cmd.Process.Signal(syscall.SIGINT))
	waitFor("stopped now")
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
