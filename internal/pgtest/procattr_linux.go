package pgtest

import (
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// sysProcAttr runs initdb and postgres as the postgres system user when we
// are root (PostgreSQL refuses root), and kills the server if the test
// binary dies first.
func sysProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if uid, gid, ok := postgresUser(); ok {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uid, Gid: gid}
	}
}

// ownDir gives path to the postgres user when we are root.
func ownDir(path string) error {
	if uid, gid, ok := postgresUser(); ok {
		return os.Chown(path, int(uid), int(gid))
	}
	return nil
}

func postgresUser() (uid, gid uint32, ok bool) {
	if os.Geteuid() != 0 {
		return 0, 0, false
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return 0, 0, false
	}
	a, err1 := strconv.Atoi(u.Uid)
	b, err2 := strconv.Atoi(u.Gid)
	return uint32(a), uint32(b), err1 == nil && err2 == nil
}
