package main

import (
	"bytes"
	"context"
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
		})
	}
}
