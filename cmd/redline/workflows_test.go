package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// workflow is the part of a GitHub Actions workflow the tests read.
type workflow struct {
	Jobs map[string]struct {
		Steps []step
	}
}

type step struct {
	ID   string
	Name string
	Uses string
	With map[string]string
	Run  string
	Env  map[string]string
}

func readWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	files, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in .github/workflows: %v", err)
	}
	out := map[string]workflow{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(src, &w); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = w
	}
	return out
}

// invocation is one command a run: script starts: make TARGET, or redline
// COMMAND with its flags.
type invocation struct {
	where string // workflow, job and step
	tool  string // "make" or "redline"
	name  string
	flags []string
}

// invocations finds the make and redline commands of a shell script, by
// words: enough for the plain scripts of our workflows.
func invocations(where, script string) []invocation {
	script = strings.ReplaceAll(script, "\\\n", " ")
	var out []invocation
	for _, line := range strings.Split(script, "\n") {
		for _, part := range regexp.MustCompile(`&&|\|\||[;|]`).Split(line, -1) {
			words := strings.Fields(strings.NewReplacer(`"`, "", `'`, "").Replace(part))
			if i := indexRedline(words); i >= 0 && i+1 < len(words) {
				inv := invocation{where: where, tool: "redline", name: words[i+1]}
				for _, w := range words[i+2:] {
					if strings.HasPrefix(w, ">") {
						break
					}
					if strings.HasPrefix(w, "-") {
						name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
						inv.flags = append(inv.flags, name)
					}
				}
				out = append(out, inv)
			}
			if len(words) > 1 && words[0] == "make" {
				out = append(out, invocation{where: where, tool: "make", name: words[1]})
			}
		}
	}
	return out
}

// indexRedline is where redline starts in words: "redline", a path ending
// in /redline, or "go run ./cmd/redline"; -1 when it does not.
func indexRedline(words []string) int {
	for i, w := range words {
		if w == "redline" || strings.HasSuffix(w, "/redline") && !strings.HasPrefix(w, "./cmd") && i == 0 {
			return i
		}
		if w == "./cmd/redline" && i >= 2 && words[i-2] == "go" && words[i-1] == "run" {
			return i
		}
	}
	return -1
}

// TestWorkflowCommands: every make target and redline command (with its
// flags) that a workflow runs exists, so a rename cannot break CI unseen.
func TestWorkflowCommands(t *testing.T) {
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^([a-z][\w-]*):`).FindAllStringSubmatch(string(makefile), -1) {
		targets[m[1]] = true
	}
	var all []invocation
	for file, w := range readWorkflows(t) {
		for job, j := range w.Jobs {
			for i, s := range j.Steps {
				all = append(all, invocations(fmt.Sprintf("%s: job %s, step %d (%s)", file, job, i+1, s.Name), s.Run)...)
			}
		}
	}
	seen := map[string]bool{}
	for _, inv := range all {
		seen[inv.tool+" "+inv.name] = true
		switch inv.tool {
		case "make":
			if !targets[inv.name] {
				t.Errorf("%s: make %s: no such target in the Makefile", inv.where, inv.name)
			}
		case "redline":
			if lookup(inv.name) == nil {
				t.Errorf("%s: redline %s: no such command", inv.where, inv.name)
				continue
			}
			var help bytes.Buffer
			if err := run(context.Background(), []string{"help", inv.name}, nil, &help, &help); err != nil {
				t.Fatal(err)
			}
			for _, f := range inv.flags {
				if !regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(f) + `\b`).MatchString(help.String()) {
					t.Errorf("%s: redline %s --%s: no such flag", inv.where, inv.name, f)
				}
			}
		}
	}
	for _, want := range []string{"make test", "make lint-workflows", "make build", "redline check", "redline review", "redline notify"} {
		if !seen[want] {
			t.Errorf("no workflow runs %s", want)
		}
	}
}

func TestInvocations(t *testing.T) {
	got := invocations("x", "make test\nredline review --base \"$BASE\" > out.md && cat out.md\ngo run ./cmd/redline notify --send \\\n  --state=/x\n\"$RUNNER_TEMP/bin/redline\" check")
	want := []invocation{
		{"x", "make", "test", nil},
		{"x", "redline", "review", []string{"base"}},
		{"x", "redline", "notify", []string{"send", "state"}},
		{"x", "redline", "check", nil},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].name != want[i].name || got[i].tool != want[i].tool || strings.Join(got[i].flags, ",") != strings.Join(want[i].flags, ",") {
			t.Errorf("%d: got %v, want %v", i, got[i], want[i])
		}
	}
}
