package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/getspectr/redline/internal/pgtest"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the cmp files of testscripts that fail")

func TestMain(m *testing.M) {
	testscript.Main(pgtest.Runner(m), map[string]func(){
		"redline": func() {
			ctx, stop := interruptible(context.Background(), os.Stderr, os.Exit)
			err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			stop()
			os.Exit(exitCode(err, os.Stderr))
		},
	})
}

// TestScripts runs the user stories in testdata/script: each is a fresh
// folder with the repository's templates/ and the files of the script.
func TestScripts(t *testing.T) {
	templates, err := filepath.Abs("../../templates")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("SOURCE_DATE_EPOCH", "")
			return os.CopyFS(filepath.Join(e.WorkDir, "templates"), os.DirFS(templates))
		},
	})
}
