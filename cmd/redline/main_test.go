package main

import (
	"bytes"
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestExitCodes: 0 for success and help, 1 for failures, 2 for usage mistakes.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"help", []string{"--help"}, 0},
		{"command help", []string{"build", "--help"}, 0},
		{"no command", nil, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown flag", []string{"build", "--frob"}, 2},
		{"bad date", []string{"check", "--now", "2026-02-30"}, 2},
		{"bad base url", []string{"build", "--base-url", "example.test"}, 2},
		{"missing content", []string{"check", "--content", "testdata/nope"}, 1},
		{"help of a command", []string{"help", "diff"}, 0},
		{"help of no command", []string{"help", "frobnicate"}, 2},
		{"help of two", []string{"help", "diff", "new"}, 2},
		{"version", []string{"version"}, 0},
		{"version with an argument", []string{"version", "now"}, 2},
		{"bad color", []string{"diff", "--color", "rainbow", "privacy"}, 2},
		{"bad format", []string{"diff", "--format", "yaml", "privacy"}, 2},
		{"bad flag value", []string{"notify", "--connections", "many"}, 2},
		{"extra argument", []string{"check", "extra"}, 2},
		{"review without a base", []string{"review"}, 2},
		{"review with both bases", []string{"review", "--base", "HEAD", "--old", "x"}, 2},
		{"serve beyond loopback", []string{"serve", "--listen", "0.0.0.0:1313"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, nil, &out, &errOut)
			if got := exitCode(err, &errOut); got != tt.want {
				t.Errorf("exit %d, want %d; stderr:\n%s", got, tt.want, errOut.String())
			}
			if tt.want != 0 && errOut.Len() == 0 {
				t.Error("failure with nothing on stderr")
			}
			if tt.want == 2 && (!strings.Contains(errOut.String(), "\nhint: ") || strings.Count(errOut.String(), "redline: ") != 1) {
				t.Errorf("a usage mistake is said once, with a hint:\n%s", errOut.String())
			}
		})
	}
}

func TestVersionLine(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "1a2b3c4d5e6f7a8b9c0d"}, {Key: "vcs.time", Value: "2026-11-28T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got, want := versionLine(bi), "redline v1.2.0 (commit 1a2b3c4d5e6f, 2026-11-28T10:00:00Z, modified) go1.26.8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := versionLine(&debug.BuildInfo{GoVersion: "go1.26.8"}), "redline (devel) go1.26.8"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
