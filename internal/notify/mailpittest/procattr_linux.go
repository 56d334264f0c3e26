package mailpittest

import (
	"os/exec"
	"syscall"
)

// DieWithParent makes a child process (Mailpit, a crash-test sender) get
// SIGKILL if the test binary dies first, e.g. on a test timeout.
func DieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
