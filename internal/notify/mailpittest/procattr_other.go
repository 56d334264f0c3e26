//go:build !linux

package mailpittest

import "os/exec"

// DieWithParent is best effort: only Linux can tie a child's life to ours.
func DieWithParent(*exec.Cmd) {}
