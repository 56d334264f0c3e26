package pgtest

import (
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
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

// checkUser says what is missing when root has no postgres user to run as.
func checkUser() error {
	if _, _, ok := postgresUser(); os.Geteuid() == 0 && !ok {
		return errors.New("running as root, and there is no postgres system user to run PostgreSQL as (it refuses root); Debian's postgresql package creates it: make tools")
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

// sweepStale removes the clusters of test binaries that died without
// stopping theirs (a panic, a kill): a postmaster.pid whose process is
// gone. A cluster still being created has no postmaster.pid yet.
func sweepStale() {
	pids, _ := filepath.Glob(filepath.Join(os.TempDir(), "redline-pg-*", "data", "postmaster.pid"))
	for _, p := range pids {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		first, _, _ := strings.Cut(string(b), "\n")
		pid, err := strconv.Atoi(strings.TrimSpace(first))
		if err != nil || pid <= 0 {
			continue
		}
		if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			os.RemoveAll(filepath.Dir(filepath.Dir(p)))
		}
	}
}
