//go:build !linux

package pgtest

import "os/exec"

// sysProcAttr: outside Linux the cluster runs as the current user, who must
// not be root.
func sysProcAttr(*exec.Cmd) {}

func ownDir(string) error { return nil }

func checkUser() error { return nil }

func sweepStale() {}
