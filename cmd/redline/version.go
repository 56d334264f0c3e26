package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

const versionArgs = ` [flags]

Prints redline's version as the Go toolchain recorded it when building the
binary: the module version (or "(devel)" for a build from a checkout), the
commit and its time, whether the checkout had uncommitted changes, and the
Go version.`

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags("version", versionArgs, e.stderr)
	if err := parseNone(fs, args); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintf(e.stdout, "redline (unknown: built without module information) %s\n", runtime.Version())
		return nil
	}
	fmt.Fprintln(e.stdout, versionLine(bi))
	return nil
}

// versionLine is "redline v1.2.0 (commit 1a2b3c4d5e6f, 2026-11-28T10:00:00Z, modified) go1.26.8".
func versionLine(bi *debug.BuildInfo) string {
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var vcs []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		vcs = append(vcs, "commit "+rev[:min(len(rev), 12)])
	}
	if t := settings["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if settings["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	line := "redline " + version
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	return line + " " + bi.GoVersion
}
