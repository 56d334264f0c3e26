package notify_test

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes a child process (Mailpit, a crash-test sender) get
// SIGKILL if the test binary dies first, e.g. on a test timeout.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
